import { checkCertificate, checkExpectations } from "../../src/cli/verification";
import type { CertificateFacts } from "../../src/cli/certificate";
import type { DecodedCsr } from "../../src/csr";

const decoded: DecodedCsr = { subject: "CN=a.acme.dev", commonNames: ["a.acme.dev"], sans: [], publicKeyAlgorithm: "RSA-2048", publicKeySha256: "aa".repeat(32), signatureValid: true };
const certificate: CertificateFacts = { subject: "CN=a.acme.dev", issuer: "CN=CA", notBefore: new Date(0), notAfter: new Date(1), publicKeySha256: "aa".repeat(32), sans: [] };

describe("verification checks", () => {
  it("a CSR without SANs leaves the certificate nothing to cover", () => {
    expect(checkCertificate(decoded, certificate)).toEqual([
      { id: "certificate-key", description: "the certificate carries the CSR's public key", ok: true, details: [`SubjectPublicKeyInfo SHA-256 ${"a".repeat(16)}… in both`] },
      { id: "certificate-sans", description: "the certificate covers every SAN of the CSR", ok: true, details: ["the CSR requests no SANs"] },
    ]);
  });

  it("a certificate without SANs covers none of the CSR's", () => {
    const [, sans] = checkCertificate({ ...decoded, sans: ["a.acme.dev"] }, certificate);
    expect(sans).toMatchObject({ ok: false, details: ["not covered: a.acme.dev (the certificate names no SANs)"] });
  });

  it("no expectations, no checks", () => {
    expect(checkExpectations(decoded, {})).toEqual([]);
  });
});
