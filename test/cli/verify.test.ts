import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { opensslPublicKeySha256, TestCa, type IssueOptions } from "../support/openssl";
import { parseJunit, parseSarif } from "../support/ci-parsers";
import { cleanEnv, runCustomCsr } from "./support";

let env: SeededEmulator;
let childEnv: NodeJS.ProcessEnv;
let ca: TestCa;
let otherCsr: string;

/** Has the test CA issue a certificate for a CSR, as the user's CA would, and writes it to a file. */
function issue(csrPem: string, out: string, options: IssueOptions = {}): string {
  return ca.write(out, ca.issue(csrPem, options));
}

beforeAll(async () => {
  env = await startSeededEmulator();
  childEnv = cleanEnv({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
  ca = new TestCa();
  // Another key asking for the same names: what a mix-up of CSRs during a renewal looks like.
  otherCsr = execFileSync(
    "openssl",
    [
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      path.join(ca.dir, "other.key"),
      "-subj",
      "/CN=www.example.dev",
      "-addext",
      "subjectAltName=DNS:www.example.dev,DNS:example.dev",
    ],
    { stdio: "pipe" },
  ).toString();
});
afterAll(async () => {
  ca.dispose();
  await env.emulator.stop();
});

const verify = (...flags: string[]) =>
  runCustomCsr(["verify", env.rsa.id, "--account", env.emulator.accountId, ...flags], childEnv);

describe("custom-csr verify", () => {
  it("passes the PEM checks of a sound CSR, printing each one", async () => {
    const { code, stdout, stderr } = await verify();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain("  PASS  the PEM is one well-formed PKCS#10 request\n");
    expect(stdout).toContain("  PASS  the self-signature verifies with the CSR's own public key\n");
    expect(stdout).toContain("  PASS  the PEM agrees with the API's common_name, sans and key_type\n");
    expect(stdout).toContain("All 3 checks passed.\n");
  });

  it("--cert: a certificate openssl issued for this CSR carries its key and covers its SANs", async () => {
    const { code, stdout } = await verify("--cert", issue(env.rsa.csr as string, "web.pem"));
    expect(code).toBe(0);
    expect(stdout).toContain("  PASS  the certificate carries the CSR's public key\n");
    expect(stdout).toContain(
      `SubjectPublicKeyInfo SHA-256 ${opensslPublicKeySha256(env.rsa.csr as string).slice(0, 16)}… in both`,
    );
    expect(stdout).toContain("  PASS  the certificate covers every SAN of the CSR\n");
    expect(stdout).toContain("issued by CN=Test CA");
    expect(stdout).toContain("All 6 checks passed.\n");
  });

  it("--cert: a certificate for another key fails, even though its names match", async () => {
    const { code, stdout } = await verify("--cert", issue(otherCsr, "other.pem"));
    expect(code).toBe(1);
    expect(stdout).toContain("  FAIL  the certificate carries the CSR's public key\n");
    expect(stdout).toContain("it was issued for another key");
    expect(stdout).toContain("  PASS  the certificate covers every SAN of the CSR\n");
    expect(stdout).toContain("1 of 6 checks failed.\n");
  });

  it("--cert: a certificate for the right key that leaves out a SAN fails the coverage check", async () => {
    const partial = issue(env.rsa.csr as string, "partial.pem", { sans: "DNS:www.example.dev" });
    const { code, stdout } = await verify("--cert", partial);
    expect(code).toBe(1);
    expect(stdout).toContain("  PASS  the certificate carries the CSR's public key\n");
    expect(stdout).toContain("  FAIL  the certificate covers every SAN of the CSR\n");
    expect(stdout).toContain("it does not cover the CSR's SAN example.dev (its SANs are www.example.dev)");
  });

  it("--cert: a wildcard certificate covers one label; a chain file is read from its first certificate", async () => {
    const wildcard = issue(env.rsa.csr as string, "wildcard.pem", { sans: "DNS:*.example.dev,DNS:example.dev" });
    const chain = ca.write("chain.pem", fs.readFileSync(wildcard, "utf8") + ca.pem);
    const { code, stdout } = await verify("--cert", chain);
    expect(code).toBe(0);
    expect(stdout).toContain("www.example.dev, example.dev covered by *.example.dev, example.dev");
  });

  it("--expect-sans and --expect-key-sha256 pass when they match (any order, case, colons)", async () => {
    const digest = opensslPublicKeySha256(env.rsa.csr as string);
    const colons = digest.toUpperCase().match(/../g)?.join(":") as string;
    const { code, stdout } = await verify(
      "--expect-sans",
      "EXAMPLE.dev, www.example.dev",
      "--expect-key-sha256",
      colons,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("  PASS  the CSR's SANs are exactly EXAMPLE.dev, www.example.dev\n");
    expect(stdout).toContain(`  PASS  the public key's SHA-256 is ${digest.slice(0, 16)}…\n`);
  });

  it("--expect-sans and --expect-key-sha256 fail when they do not, saying what differs", async () => {
    const { code, stdout } = await verify(
      "--expect-sans",
      "www.example.dev,api.example.dev",
      "--expect-key-sha256",
      "ab".repeat(32),
    );
    expect(code).toBe(1);
    expect(stdout).toContain("  FAIL  the CSR's SANs are exactly www.example.dev, api.example.dev\n");
    expect(stdout).toContain("missing from the CSR: api.example.dev");
    expect(stdout).toContain("in the CSR but not expected: example.dev");
    expect(stdout).toContain(`the CSR's public key SHA-256 is ${opensslPublicKeySha256(env.rsa.csr as string)}`);
    expect(stdout).toContain("2 of 5 checks failed.\n");
  });

  it("--json reports every check with a stable id, and the certificate", async () => {
    const other = issue(otherCsr, "other-json.pem");
    const { code, stdout } = await verify("--json", "--cert", other, "--expect-sans", "www.example.dev,example.dev");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      checks: { id: string; ok: boolean }[];
      certificate: { issuer: string; publicKeySha256: string };
    };
    expect(report).toMatchObject({ customCsrId: env.rsa.id, accountId: env.emulator.accountId, ok: false });
    expect(report.checks.map(({ id, ok }) => [id, ok])).toEqual([
      ["pem", true],
      ["signature", true],
      ["api-fields", true],
      ["certificate-key", false],
      ["certificate-sans", true],
      ["certificate-validity", true],
      ["expected-sans", true],
    ]);
    const otherKey = opensslPublicKeySha256(otherCsr);
    expect(report.certificate).toMatchObject({ issuer: "CN=Test CA", publicKeySha256: otherKey });
  });

  it("a PEM that disagrees with the API fails the api-fields check, naming each mismatch", async () => {
    const drifted = await env.emulator.createCsr(env.account, {
      common_name: "drifted.example.dev",
      sans: ["drifted.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Example",
    });
    env.emulator.updateCsr(env.account, drifted.id, {
      sans: ["drifted.example.dev", "added.example.dev"],
      key_type: "p256v1",
    });
    const { code, stdout } = await runCustomCsr(["verify", drifted.id, "--account", env.emulator.accountId], childEnv);
    expect(code).toBe(1);
    expect(stdout).toContain("  FAIL  the PEM agrees with the API's common_name, sans and key_type\n");
    expect(stdout).toContain("SANs listed by the API but absent from the PEM: added.example.dev");
    expect(stdout).toContain("the API's key_type is p256v1 (ECDSA-P256) but the PEM holds a RSA-2048 key");
  });

  it("--cert --min-days: a certificate with fewer days left fails the validity check", async () => {
    const short = issue(env.rsa.csr as string, "short.pem", { days: 1 });
    const { code, stdout } = await verify("--cert", short, "--min-days", "30");
    expect(code).toBe(1);
    expect(stdout).toContain("  PASS  the certificate carries the CSR's public key\n");
    expect(stdout).toContain("  FAIL  the certificate is valid now and for at least 30 more days\n");
    expect(stdout).toMatch(/it has 0 days left \(valid until \S+\), fewer than the 30 required/);
    expect(stdout).toContain("1 of 6 checks failed.\n");
  });

  it("--min-days without --cert, or not a number, is a usage error", async () => {
    const alone = await verify("--min-days", "30");
    expect(alone).toMatchObject({ code: 2, stderr: expect.stringContaining("--min-days needs --cert <file>") });
    const notANumber = await verify("--cert", issue(env.rsa.csr as string, "nan.pem"), "--min-days", "soon");
    const usage = expect.stringContaining("expected a number of days, 0 or more.");
    expect(notANumber).toMatchObject({ code: 2, stderr: usage });
  });

  it("a --cert file that is missing or holds no certificate is an error (exit 2), checked before any request", async () => {
    env.emulator.clearRequests();
    const missing = await verify("--cert", path.join(ca.dir, "nope.pem"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`error: --cert ${path.join(ca.dir, "nope.pem")} cannot be read (ENOENT)`);
    const notACertificate = await verify("--cert", ca.write("web.csr", env.rsa.csr as string));
    expect(notACertificate.code).toBe(2);
    expect(notACertificate.stderr).toContain("the text is a certificate signing request, not a certificate");
    expect(env.emulator.requests).toEqual([]);
  });
});

describe("custom-csr verify --format", () => {
  it("junit: one test case per check, the failed expectation as a failure of its rule; exit 1 as in text", async () => {
    const { code, stdout } = await verify("--format", "junit", "--expect-sans", "nope.example.dev");
    expect(code).toBe(1);
    const junit = parseJunit(stdout);
    expect(junit.cases.map((c) => c.name)).toEqual(["pem", "signature", "api-fields", "expected-sans"]);
    expect(junit.cases[3].failures.map((f) => f.type)).toEqual(["verify/expected-sans"]);
    expect(junit.failures).toBe(1);
  });

  it("sarif: valid SARIF 2.1.0; a sound CSR has no result and exits 0", async () => {
    const { code, stdout } = await verify("--format", "sarif");
    expect(code).toBe(0);
    expect(parseSarif(stdout).runs[0].results).toEqual([]);
  });
});
