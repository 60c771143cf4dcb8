import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/pulumi";

jest.setTimeout(300_000);

/** `npm run demo` minus the build steps `npm test` has already done: the main job on embedded defaults. */
it("the demo runs the root Pulumi.yaml program, orders and renews an ACME certificate, checks a CA's certificate, shows drift, and cleans up", async () => {
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(REPO_ROOT, "scripts/demo.js")],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (_error, out) => resolve({ code: child.exitCode, stdout: out }),
    );
  });
  expect(stdout).toContain("-----BEGIN CERTIFICATE REQUEST-----");
  // The ACME chain against Pebble: ordered in the first up, renewed when due, DNS records cleaned up.
  expect(stdout).toMatch(/issuer\s+CN=Pebble Intermediate CA/);
  expect(stdout).toMatch(/DNS-01\s+2 TXT records created and 2 deleted through the Cloudflare API; 0 left/);
  expect(stdout).toMatch(/pulumi preview\s+2 unchanged, 1 updated/);
  expect(stdout).toMatch(/pulumi up\s+2 unchanged, 1 updated; valid until /);
  // The fleet check catches the 20-day certificate Cloudflare serves for the CSR: exit 1, as text and annotations.
  expect(stdout).toMatch(/custom-csr expiry --zone \S+ --account \S+ --min-days 30 --format text {4}\(exit code 1\)/);
  expect(stdout).toMatch(
    /::error title=expiry\/expiring%3A custom_ssl \S+::custom certificate .* days left, fewer than 30/,
  );
  expect(stdout).toMatch(/sans\s+www\.acme\.dev, acme\.dev/);
  expect(stdout).toMatch(/commonName\s+www\.acme\.dev/);
  expect(stdout).toMatch(/= [0-9a-f]{64}\s+matches publicKeySha256/);
  expect(stdout).toContain("checkCertificate(csr, web.crt, { minDaysRemaining: 30 }): the certificate fits");
  expect(stdout).toMatch(/issuer\s+CN=Demo CA/);
  expect(stdout).toMatch(/valid until\s+\S+ \(\d+ days left\)/);
  expect(stdout).toContain('new cloudflare.CustomSsl("web", { zoneId, customCsrId: csr.customCsrId, certificate })');
  expect(stdout).toContain("-> CertificateMismatchError:");
  expect(stdout).toMatch(/- it was issued for another key: its public key's SHA-256 is [0-9a-f]{64}, the CSR's is/);
  expect(stdout).not.toContain("OriginCaCertificate");
  expect(stdout).toContain("the check passes: no drift");
  expect(stdout).toContain("Cloudflare's API has no update for a Custom CSR");
  expect(stdout).toMatch(/~ name\s*: "web" => "changed-in-emulator"/);
  expect(stdout).toMatch(/- pulumi-nodejs:cloudflare:CustomCsr csr delete/);
  expect(stdout).toContain("DELETE requests the emulator received during destroy: 0");
  expect(code).toBe(0);
  expect(fs.existsSync(path.join(REPO_ROOT, "Pulumi.demo.yaml"))).toBe(false);
  expect(fs.existsSync(path.join(REPO_ROOT, ".demo"))).toBe(false);
});
