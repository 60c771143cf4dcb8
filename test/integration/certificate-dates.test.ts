import { createHash } from "node:crypto";
import { checkCertificate } from "../../src/csr/certificate-check";
import { CertificateMismatchError } from "../../src/errors";
import { certificateDer, keyPair, pemOf } from "../support/der-builder";

/**
 * Validity dates are read from the certificate's DER on every Node version CI runs (this suite also runs under
 * Node 24, whose X509Certificate parses dates itself; Node 20's only prints them).
 */
const key = keyPair("ec");
const csr = {
  customCsrId: "dates",
  pem: "",
  sans: ["www.acme.dev"],
  publicKeySha256: createHash("sha256").update(key.spki).digest("hex"),
};
const now = new Date("2026-12-06T12:00:00Z");

function leaf(notBefore: string, notAfter: string): string {
  const der = certificateDer({
    spki: key.spki,
    signer: key.privateKey,
    sans: [{ dns: "www.acme.dev" }],
    notBefore,
    notAfter,
  });
  return pemOf(der, "CERTIFICATE");
}

test.each([
  ["GeneralizedTime year 30", "00010101000000Z", "00301231235959Z", "0030-12-31T23:59:59.000Z"],
  ["GeneralizedTime year 49", "00010101000000Z", "00491231235959Z", "0049-12-31T23:59:59.000Z"],
  ["GeneralizedTime 1949", "19000101000000Z", "19491231235959Z", "1949-12-31T23:59:59.000Z"],
  ["UTCTime 99 (1999)", "900101000000Z", "991231235959Z", "1999-12-31T23:59:59.000Z"],
])("a certificate that expired in %s is expired", (_what, notBefore, notAfter, iso) => {
  expect(() => checkCertificate(csr, leaf(notBefore, notAfter), { now })).toThrow(CertificateMismatchError);
  expect(() => checkCertificate(csr, leaf(notBefore, notAfter), { now })).toThrow(`it expired ${iso}`);
});

test.each([
  ["UTCTime 49 (2049)", "261101000000Z", "491231235959Z", "2049-12-31T23:59:59.000Z"],
  ["GeneralizedTime 2051", "20261101000000Z", "20510101000000Z", "2051-01-01T00:00:00.000Z"],
])("a certificate valid until %s is valid", (_what, notBefore, notAfter, iso) => {
  expect(checkCertificate(csr, leaf(notBefore, notAfter), { now }).notAfter.toISOString()).toBe(iso);
});
