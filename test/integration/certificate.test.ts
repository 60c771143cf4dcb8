import { CertificateMismatchError, checkCertificate, getCustomCsr, type CustomCsrResult } from "../../sdk";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { opensslPublicKeySha256, TestCa } from "../support/openssl";

let env: SeededEmulator;
let ca: TestCa;
let rsa: CustomCsrResult;
let ec: CustomCsrResult;

/** The workflow: look the CSR up (real HTTP to the emulator), have the CA sign its PEM, check before uploading. */
beforeAll(async () => {
  env = await startSeededEmulator();
  ca = new TestCa();
  const options = { apiToken: MARKER_TOKEN, baseUrl: env.emulator.baseUrl };
  rsa = await getCustomCsr({ customCsrId: env.rsa.id, accountId: env.emulator.accountId }, options);
  ec = await getCustomCsr({ customCsrId: env.ec.id, accountId: env.emulator.accountId }, options);
});
afterAll(async () => {
  ca.dispose();
  await env.emulator.stop();
});

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("checkCertificate with the emulator's CSRs", () => {
  it.each([
    ["RSA-2048", () => rsa],
    ["ECDSA-P256", () => ec],
  ])("accepts the certificate a CA issued for a %s CSR", (_kind, csr) => {
    const facts = checkCertificate(csr(), ca.issue(csr().pem), { now: inAnHour(), minDaysRemaining: 29 });
    expect(facts.publicKeySha256).toBe(opensslPublicKeySha256(csr().pem));
    expect(facts.sans).toEqual(csr().sans);
    expect(facts.issuer).toBe("CN=Test CA");
  });

  it("rejects the certificate of one CSR checked against another, listing every problem", () => {
    let thrown: unknown;
    try {
      checkCertificate(ec, ca.issue(rsa.pem), { now: inAnHour() });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CertificateMismatchError);
    expect((thrown as CertificateMismatchError).customCsrId).toBe(env.ec.id);
    expect((thrown as CertificateMismatchError).problems).toEqual([
      `it was issued for another key: its public key's SHA-256 is ${rsa.publicKeySha256}, ` +
        `the CSR's is ${ec.publicKeySha256}`,
      "it does not cover the CSR's SAN api.example.dev (its SANs are www.example.dev, example.dev)",
    ]);
  });

  it("accepts a wildcard certificate for the CSR's key when it covers every SAN", () => {
    const wildcard = ca.issue(rsa.pem, { sans: "DNS:*.example.dev,DNS:example.dev" });
    const facts = checkCertificate(rsa, wildcard, { now: inAnHour() });
    expect(facts.sans).toEqual(["*.example.dev", "example.dev"]);
  });
});
