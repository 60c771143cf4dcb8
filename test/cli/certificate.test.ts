import { certificateChecks, readCertificateFile } from "../../src/cli/certificate-checks";
import { readCertificate } from "../../src/csr/certificate-check";
import type { DecodedCsr } from "../../src/csr";
import { TestCa } from "../support/openssl";
import { OpensslWorkspace, opensslPublicKeySha256 } from "../unit/csr-fixtures";

let workspace: OpensslWorkspace;
let ca: TestCa;
let decoded: DecodedCsr;
let issued: string;

beforeAll(() => {
  workspace = new OpensslWorkspace();
  ca = new TestCa();
  const csr = workspace.csr({ key: "ec-p256", subject: "/CN=a.acme.dev", sans: ["DNS:a.acme.dev"] });
  decoded = {
    subject: "CN=a.acme.dev",
    commonNames: ["a.acme.dev"],
    sans: ["a.acme.dev"],
    publicKeyAlgorithm: "ECDSA-P256",
    publicKeySha256: opensslPublicKeySha256(csr.path),
    signatureValid: true,
  };
  issued = ca.issue(csr.pem, { days: 10 });
});
afterAll(() => {
  workspace.remove();
  ca.dispose();
});

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("--cert checks", () => {
  it("one passing check per aspect, each saying what was compared", () => {
    const options = { now: inAnHour(), minDaysRemaining: 0 };
    const { checks, certificate } = certificateChecks(decoded, readCertificate(issued), options);
    const { notBefore, notAfter } = certificate;
    const validity = `valid ${notBefore.toISOString()} to ${notAfter.toISOString()}, 9 days left`;
    expect(checks).toEqual([
      {
        id: "certificate-key",
        description: "the certificate carries the CSR's public key",
        ok: true,
        details: [`SubjectPublicKeyInfo SHA-256 ${decoded.publicKeySha256.slice(0, 16)}… in both`],
      },
      {
        id: "certificate-sans",
        description: "the certificate covers every SAN of the CSR",
        ok: true,
        details: ["a.acme.dev covered by a.acme.dev"],
      },
      { id: "certificate-validity", description: "the certificate is valid now", ok: true, details: [validity] },
    ]);
  });

  it("failures carry checkCertificate's sentences under the aspect they break", () => {
    const otherKey = { ...decoded, sans: [], publicKeySha256: "ab".repeat(32) };
    const { checks } = certificateChecks(otherKey, readCertificate(issued), { now: inAnHour(), minDaysRemaining: 20 });
    expect(checks.map(({ id, ok }) => [id, ok])).toEqual([
      ["certificate-key", false],
      ["certificate-sans", true],
      ["certificate-validity", false],
    ]);
    expect(checks[0].details).toEqual([expect.stringMatching(/^it was issued for another key/)]);
    expect(checks[1].details).toEqual(["the CSR requests no SANs"]);
    expect(checks[2]).toMatchObject({
      description: "the certificate is valid now and for at least 20 more days",
      details: [expect.stringMatching(/^it has 9 days left .* fewer than the 20 required$/)],
    });
  });

  it("a --cert file that holds no certificate is named with what it holds instead", async () => {
    const csrFile = workspace.csr({ key: "rsa:2048", subject: "/CN=b.acme.dev" }).path;
    const what = "the text is a certificate signing request, not a certificate";
    await expect(readCertificateFile(csrFile)).rejects.toThrow(`--cert ${csrFile}: ${what}`);
    await expect(readCertificateFile(`${csrFile}.missing`)).rejects.toThrow(
      `--cert ${csrFile}.missing cannot be read (ENOENT)`,
    );
  });
});
