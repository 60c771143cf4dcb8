import { createHash } from "node:crypto";
import { checkCertificate, getCustomCsr, getCustomCsrs } from "../../../sdk";
import { run } from "../../../src/cli/main";
import { decodeCsrPem } from "../../../src/csr";
import { CertificateMismatchError, CsrVerificationError, InvalidCustomCsrArgsError } from "../../../src/errors";
import { captureIo } from "../../cli/support";
import {
  certificateDer,
  keyPair,
  pemOf,
  requestDer,
  rsaSpkiWithoutNull,
  type SanSpec,
} from "../../support/der-builder";
import { opensslPublicKeySha256 } from "../../support/openssl";
import { envelope, rejectionOf, withHostileServer } from "../support/hostile-server";
import type { HostileScenario } from "./scenario";

/**
 * Scenarios about the certificate check and the verified PEM under hostile input: names compared exactly, dates read
 * from the DER, one key identity, no untyped error from a name Node's URL parser refuses.
 */
export const certificateScenarios: HostileScenario[] = [];

const ZONE = "0123456789abcdef0123456789abcdef";
const CSR_ID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";
const TOKEN = "hostile-token-certificate-9f1e2d3c";
const NOW = new Date("2026-12-06T12:00:00Z");

function scenario(name: string, body: () => Promise<void>): void {
  certificateScenarios.push({ area: "certificate truth", name, run: body });
}

const ec = keyPair("ec");
const sha256 = (der: Uint8Array) => createHash("sha256").update(der).digest("hex");

/** A certificate for the P-256 test key, valid around {@link NOW} unless said otherwise. */
function certificate(sans: readonly SanSpec[], dates: { notBefore?: string; notAfter?: string } = {}): string {
  const der = certificateDer({
    spki: ec.spki,
    signer: ec.privateKey,
    sans,
    notBefore: dates.notBefore ?? "261101000000Z",
    notAfter: dates.notAfter ?? "270301000000Z",
  });
  return pemOf(der, "CERTIFICATE");
}

const csrOf = (sans: string[]) => ({ customCsrId: CSR_ID, pem: "", sans, publicKeySha256: sha256(ec.spki) });

function mismatchOf(action: () => unknown): CertificateMismatchError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateMismatchError);
    return error as CertificateMismatchError;
  }
  throw new Error("expected a CertificateMismatchError, but the certificate was accepted");
}

// ---- names compare exactly ---------------------------------------------------------------------------------------

scenario("a CSR SAN padded with whitespace and a newline covers nothing and is named", async () => {
  const error = mismatchOf(() =>
    checkCertificate(csrOf([" www.acme.dev\n"]), certificate([{ dns: "www.acme.dev" }]), { now: NOW }),
  );
  expect(error.problems.join("\n")).toContain(JSON.stringify(" www.acme.dev\n"));
});

scenario("a certificate SAN with a trailing tab or a NUL covers no name", async () => {
  for (const junk of ["www.acme.dev\t", "www.acme.dev\u0000.evil.dev", "www.acme.dev "]) {
    mismatchOf(() => checkCertificate(csrOf(["www.acme.dev"]), certificate([{ dns: junk }]), { now: NOW }));
  }
});

scenario("two trailing dots, a partial wildcard or a wildcard over a public suffix cover nothing", async () => {
  const cases: [string, string][] = [
    ["www.acme.dev..", "www.acme.dev"],
    ["w*.acme.dev", "www.acme.dev"],
    ["*.dev", "acme.dev"],
    ["*.*.acme.dev", "a.b.acme.dev"],
    ["*.acme.dev", "a.b.acme.dev"],
  ];
  for (const [name, wanted] of cases) {
    mismatchOf(() => checkCertificate(csrOf([wanted]), certificate([{ dns: name }]), { now: NOW }));
  }
  // and what RFC 6125 allows still passes: case, one trailing dot, a whole-label wildcard
  const allowed = certificate([{ dns: "WWW.Acme.Dev." }, { dns: "*.api.acme.dev" }]);
  expect(checkCertificate(csrOf(["www.acme.dev", "eu.api.acme.dev."]), allowed, { now: NOW }).sans).toHaveLength(2);
});

scenario("a CSR's URI, e-mail and registered-id SANs are covered by a certificate with the same names", async () => {
  const sans: SanSpec[] = [
    { dns: "www.acme.dev" },
    { uri: "https://acme.dev/id" },
    { email: "ops@acme.dev" },
    { registeredId: "1.3.6.1.4.1.99999.1" },
  ];
  const decoded = await decodeCsrPem(
    pemOf(requestDer(ec.spki, ec.privateKey, "www.acme.dev", sans), "CERTIFICATE REQUEST"),
  );
  const csr = { customCsrId: CSR_ID, pem: "", sans: [...decoded.sans], publicKeySha256: decoded.publicKeySha256 };
  const check = checkCertificate(csr, certificate(sans), { now: NOW });
  expect(check.sans).toEqual(decoded.sans);
});

scenario('a certificate with an empty subject (as ACME CAs issue them) is read: subject "", SANs checked', async () => {
  const der = certificateDer({
    spki: ec.spki,
    signer: ec.privateKey,
    sans: [{ dns: "www.acme.dev" }],
    notBefore: "261101000000Z",
    notAfter: "270301000000Z",
    subject: "",
  });
  const check = checkCertificate(csrOf(["www.acme.dev"]), pemOf(der, "CERTIFICATE"), { now: NOW });
  expect({ subject: check.subject, sans: check.sans }).toEqual({ subject: "", sans: ["www.acme.dev"] });
});

// ---- dates from the DER ------------------------------------------------------------------------------------------

scenario("a certificate that expired in year 30, 49 or 1949 is expired, on every Node version", async () => {
  // UTCTime "49..." is 2049 (RFC 5280), so year 49 and 1949 need GeneralizedTime; "491231..." stays for contrast below.
  for (const notAfter of ["00301231235959Z", "00491231235959Z", "19491231235959Z", "991231235959Z"]) {
    const notBefore = notAfter.length === 13 ? "010101000000Z" : "00010101000000Z";
    const pem = certificate([{ dns: "www.acme.dev" }], { notBefore, notAfter });
    const error = mismatchOf(() => checkCertificate(csrOf(["www.acme.dev"]), pem, { now: NOW }));
    expect(error.problems.join("\n")).toMatch(/expired/);
  }
});

scenario("a certificate valid until 2051 (GeneralizedTime) is valid, with its own dates", async () => {
  const pem = certificate([{ dns: "www.acme.dev" }], { notBefore: "20261101000000Z", notAfter: "20510101000000Z" });
  const check = checkCertificate(csrOf(["www.acme.dev"]), pem, { now: NOW });
  expect(check.notAfter.toISOString()).toBe("2051-01-01T00:00:00.000Z");
  expect(check.notBefore.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  expect(check.daysRemaining).toBe(Math.floor((Date.UTC(2051, 0, 1) - NOW.getTime()) / 86_400_000));
  const utc = certificate([{ dns: "www.acme.dev" }], { notBefore: "261101000000Z", notAfter: "491231235959Z" });
  expect(checkCertificate(csrOf(["www.acme.dev"]), utc, { now: NOW }).notAfter.toISOString()).toBe(
    "2049-12-31T23:59:59.000Z",
  );
});

// ---- one key identity --------------------------------------------------------------------------------------------

scenario("an RSA CSR whose key omits the NULL parameters is refused, naming the encoding", async () => {
  const rsa = keyPair("rsa");
  const spki = rsaSpkiWithoutNull(rsa.spki);
  const pem = pemOf(requestDer(spki, rsa.privateKey, "www.acme.dev", [{ dns: "www.acme.dev" }]), "CERTIFICATE REQUEST");
  const record = {
    id: CSR_ID,
    created_at: "2026-11-27T14:06:08Z",
    key_type: "rsa2048",
    csr: pem,
    common_name: "www.acme.dev",
    sans: ["www.acme.dev"],
  };
  await withHostileServer(
    () => ({ status: 200, body: envelope(record) }),
    async (server) => {
      const error = await rejectionOf(
        getCustomCsr({ customCsrId: CSR_ID, zoneId: ZONE }, { apiToken: TOKEN, baseUrl: server.baseUrl }),
      );
      expect(error).toBeInstanceOf(CsrVerificationError);
      expect(error.message).toMatch(/not canonically encoded/);
    },
  );
});

scenario("a verified CSR's publicKeySha256 is openssl's, and a certificate for its key matches", async () => {
  const pem = pemOf(
    requestDer(ec.spki, ec.privateKey, "www.acme.dev", [{ dns: "www.acme.dev" }]),
    "CERTIFICATE REQUEST",
  );
  const decoded = await decodeCsrPem(pem);
  expect(decoded.publicKeySha256).toBe(opensslPublicKeySha256(pem));
  const csr = { customCsrId: CSR_ID, pem, sans: ["www.acme.dev"], publicKeySha256: decoded.publicKeySha256 };
  expect(checkCertificate(csr, certificate([{ dns: "www.acme.dev" }]), { now: NOW }).publicKeySha256).toBe(
    decoded.publicKeySha256,
  );
});

// ---- names Node's URL parser refuses -----------------------------------------------------------------------------

const ZONED = "fe80::1%eth0";

scenario("an IPv6 SAN filter with a zone id is refused before any request", async () => {
  await withHostileServer(
    () => ({ status: 500, body: "{}" }),
    async (server) => {
      const error = await rejectionOf(
        getCustomCsrs({ zoneId: ZONE, san: ZONED }, { apiToken: TOKEN, baseUrl: server.baseUrl }),
      );
      expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
      expect(error.message).toMatch(/san/);
      expect(server.requests).toHaveLength(0);
    },
  );
});

scenario("an API record listing an IPv6 SAN with a zone id fails verification, typed", async () => {
  const pem = pemOf(
    requestDer(ec.spki, ec.privateKey, "www.acme.dev", [{ dns: "www.acme.dev" }]),
    "CERTIFICATE REQUEST",
  );
  const record = {
    id: CSR_ID,
    created_at: "2026-11-27T14:06:08Z",
    key_type: "p256v1",
    csr: pem,
    common_name: "www.acme.dev",
    sans: ["www.acme.dev", ZONED],
  };
  await withHostileServer(
    (request) => ({
      status: 200,
      body: request.target.includes("page=")
        ? envelope([record], { page: 1, per_page: 50, count: 1, total_count: 1, total_pages: 1 })
        : envelope(record),
    }),
    async (server) => {
      const options = { apiToken: TOKEN, baseUrl: server.baseUrl };
      const single = await rejectionOf(getCustomCsr({ customCsrId: CSR_ID, zoneId: ZONE }, options));
      expect(single).toBeInstanceOf(CsrVerificationError);
      const listed = await rejectionOf(getCustomCsrs({ zoneId: ZONE, san: "www.acme.dev" }, options));
      expect(listed).toBeInstanceOf(CsrVerificationError);
    },
  );
});

scenario("checkCertificate with a zoned IPv6 SAN reports it uncovered instead of throwing a TypeError", async () => {
  const error = mismatchOf(() =>
    checkCertificate(csrOf([ZONED]), certificate([{ ip: Buffer.alloc(16, 1) }]), { now: NOW }),
  );
  expect(error.problems.join("\n")).toContain(ZONED);
});

scenario("custom-csr list --san with a zoned IPv6 address exits 2 naming the field", async () => {
  await withHostileServer(
    () => ({ status: 500, body: "{}" }),
    async (server) => {
      const io = captureIo({ CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: server.baseUrl });
      const code = await run(["list", "--zone", ZONE, "--san", ZONED], io);
      expect({ code, requests: server.requests.length }).toEqual({ code: 2, requests: 0 });
      expect(io.err()).toMatch(/san/);
      expect(io.err()).not.toMatch(/Invalid URL|TypeError/);
    },
  );
});
