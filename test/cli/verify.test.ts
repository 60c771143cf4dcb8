import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { opensslPublicKeySha256 } from "../support/openssl";
import { cleanEnv, ensureBuilt, runCustomCsr } from "./support";

let env: SeededEmulator;
let childEnv: NodeJS.ProcessEnv;
let dir: string;

/** Runs openssl in the temp directory. */
function openssl(...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

/**
 * Issues a certificate from the test CA for a CSR file, as a CA would: `copy` keeps the CSR's SANs, a string
 * replaces them with that `subjectAltName`.
 */
function issue(csrFile: string, out: string, sans: "copy" | string): string {
  const extensions = sans === "copy" ? ["-copy_extensions", "copy"] : ["-extfile", write(`${out}.ext`, `subjectAltName=${sans}\n`)];
  openssl("x509", "-req", "-in", csrFile, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-out", out, ...extensions);
  return path.join(dir, out);
}

function write(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
}

beforeAll(async () => {
  ensureBuilt();
  env = await startSeededEmulator();
  childEnv = cleanEnv({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-verify-"));
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Test CA", "-days", "2");
  write("web.csr", env.rsa.csr as string);
  // Another key asking for the same names: what a mix-up of CSRs during a renewal looks like.
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-subj", "/CN=www.example.dev", "-addext", "subjectAltName=DNS:www.example.dev,DNS:example.dev", "-out", "other.csr");
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await env.emulator.stop();
});

const verify = (...flags: string[]) => runCustomCsr(["verify", env.rsa.id, "--account", env.emulator.accountId, ...flags], childEnv);

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
    const { code, stdout } = await verify("--cert", issue("web.csr", "web.pem", "copy"));
    expect(code).toBe(0);
    expect(stdout).toContain("  PASS  the certificate carries the CSR's public key\n");
    expect(stdout).toContain(`SubjectPublicKeyInfo SHA-256 ${opensslPublicKeySha256(env.rsa.csr as string).slice(0, 16)}… in both`);
    expect(stdout).toContain("  PASS  the certificate covers every SAN of the CSR\n");
    expect(stdout).toContain("issued by CN=Test CA");
    expect(stdout).toContain("All 5 checks passed.\n");
  });

  it("--cert: a certificate for another key fails, even though its names match", async () => {
    const { code, stdout } = await verify("--cert", issue("other.csr", "other.pem", "copy"));
    expect(code).toBe(1);
    expect(stdout).toContain("  FAIL  the certificate carries the CSR's public key\n");
    expect(stdout).toContain("it was issued for another key");
    expect(stdout).toContain("  PASS  the certificate covers every SAN of the CSR\n");
    expect(stdout).toContain("1 of 5 checks failed.\n");
  });

  it("--cert: a certificate for the right key that leaves out a SAN fails the coverage check", async () => {
    const { code, stdout } = await verify("--cert", issue("web.csr", "partial.pem", "DNS:www.example.dev"));
    expect(code).toBe(1);
    expect(stdout).toContain("  PASS  the certificate carries the CSR's public key\n");
    expect(stdout).toContain("  FAIL  the certificate covers every SAN of the CSR\n");
    expect(stdout).toContain("not covered: example.dev (the certificate names www.example.dev)");
  });

  it("--cert: a wildcard certificate covers one label; a chain file is read from its first certificate", async () => {
    const wildcard = issue("web.csr", "wildcard.pem", "DNS:*.example.dev,DNS:example.dev");
    const chain = write("chain.pem", fs.readFileSync(wildcard, "utf8") + fs.readFileSync(path.join(dir, "ca.pem"), "utf8"));
    const { code, stdout } = await verify("--cert", chain);
    expect(code).toBe(0);
    expect(stdout).toContain("www.example.dev, example.dev covered by *.example.dev, example.dev");
  });

  it("--expect-sans and --expect-key-sha256 pass when they match (any order, case, colons)", async () => {
    const digest = opensslPublicKeySha256(env.rsa.csr as string);
    const colons = digest.toUpperCase().match(/../g)?.join(":") as string;
    const { code, stdout } = await verify("--expect-sans", "EXAMPLE.dev, www.example.dev", "--expect-key-sha256", colons);
    expect(code).toBe(0);
    expect(stdout).toContain("  PASS  the CSR's SANs are exactly EXAMPLE.dev, www.example.dev\n");
    expect(stdout).toContain(`  PASS  the public key's SHA-256 is ${digest.slice(0, 16)}…\n`);
  });

  it("--expect-sans and --expect-key-sha256 fail when they do not, saying what differs", async () => {
    const { code, stdout } = await verify("--expect-sans", "www.example.dev,api.example.dev", "--expect-key-sha256", "ab".repeat(32));
    expect(code).toBe(1);
    expect(stdout).toContain("  FAIL  the CSR's SANs are exactly www.example.dev, api.example.dev\n");
    expect(stdout).toContain("missing from the CSR: api.example.dev");
    expect(stdout).toContain("in the CSR but not expected: example.dev");
    expect(stdout).toContain(`the CSR's public key SHA-256 is ${opensslPublicKeySha256(env.rsa.csr as string)}`);
    expect(stdout).toContain("2 of 5 checks failed.\n");
  });

  it("--json reports every check with a stable id, and the certificate", async () => {
    const { code, stdout } = await verify("--json", "--cert", path.join(dir, "other.pem"), "--expect-sans", "www.example.dev,example.dev");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; checks: { id: string; ok: boolean }[]; certificate: { issuer: string; publicKeySha256: string } };
    expect(report).toMatchObject({ customCsrId: env.rsa.id, accountId: env.emulator.accountId, ok: false });
    expect(report.checks.map(({ id, ok }) => [id, ok])).toEqual([
      ["pem", true],
      ["signature", true],
      ["api-fields", true],
      ["certificate-key", false],
      ["certificate-sans", true],
      ["expected-sans", true],
    ]);
    expect(report.certificate).toMatchObject({ issuer: "CN=Test CA", publicKeySha256: opensslPublicKeySha256(fs.readFileSync(path.join(dir, "other.csr"), "utf8")) });
  });

  it("a PEM that disagrees with the API fails the api-fields check, naming each mismatch", async () => {
    const drifted = await env.emulator.createCsr(env.account, {
      common_name: "drifted.example.dev", sans: ["drifted.example.dev"], country: "US", state: "CA", locality: "SF", organization: "Example",
    });
    env.emulator.updateCsr(env.account, drifted.id, { sans: ["drifted.example.dev", "added.example.dev"], key_type: "p256v1" });
    const { code, stdout } = await runCustomCsr(["verify", drifted.id, "--account", env.emulator.accountId], childEnv);
    expect(code).toBe(1);
    expect(stdout).toContain("  FAIL  the PEM agrees with the API's common_name, sans and key_type\n");
    expect(stdout).toContain("SANs listed by the API but absent from the PEM: added.example.dev");
    expect(stdout).toContain("the API's key_type is p256v1 (ECDSA-P256) but the PEM holds a RSA-2048 key");
  });

  it("a --cert file that is missing or holds no certificate is an error (exit 2), checked before any request", async () => {
    env.emulator.clearRequests();
    const missing = await verify("--cert", path.join(dir, "nope.pem"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`error: cannot read --cert ${path.join(dir, "nope.pem")}: ENOENT`);
    const notACertificate = await verify("--cert", path.join(dir, "web.csr"));
    expect(notACertificate.code).toBe(2);
    expect(notACertificate.stderr).toContain("no -----BEGIN CERTIFICATE----- block found");
    expect(env.emulator.requests).toEqual([]);
  });
});
