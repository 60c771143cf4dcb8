import * as fs from "node:fs";
import * as path from "node:path";
import { CustomCsr, CustomCsrCertificate, checkCertificateOutput } from "../../sdk";
import { decodeCsrPem } from "../../src/csr";
import { startEmulator, type CloudflareEmulator } from "../../src/emulator";
import { MARKER_TOKEN } from "../support/emulator";
import { startPebble, type PebbleCa } from "../support/pebble";
import { createSandbox, inlineStack, runCli, type Sandbox } from "../support/pulumi";

/**
 * CustomCsrCertificate under the real engine, against Let's Encrypt's Pebble issuing 20-day certificates: up orders
 * one, a later preview shows the renewal (fewer than 30 days left) and up performs it, a resource with a shorter
 * renewal window stays unchanged, a new CSR key replaces the certificate, destroy forgets it, and no secret (the
 * ACME account key, the EAB MAC key, the token) is stored in clear.
 */
jest.setTimeout(300_000);

/** The text of every file under a directory (state, backups, history, logs). */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "latin1"));
}

const SUBJECT = { country: "US", state: "California", locality: "San Francisco", organization: "Acme" };
const HMAC_KEY = Buffer.from("an-e2e-mac-key-of-32-bytes-long!").toString("base64url");
let pebble: PebbleCa;
let emulator: CloudflareEmulator;
let sandbox: Sandbox;

beforeAll(async () => {
  pebble = await startPebble({ validitySeconds: 20 * 86_400, eabKeys: { "kid-e2e": HMAC_KEY } });
  emulator = await startEmulator({ tokens: [MARKER_TOKEN], dnsMirror: { url: pebble.challtestsrvUrl } });
  sandbox = createSandbox({
    CLOUDFLARE_API_TOKEN: MARKER_TOKEN,
    CLOUDFLARE_BASE_URL: emulator.baseUrl,
    // The provider process trusts Pebble's HTTPS listener through Node's own mechanism; nothing turns TLS off.
    NODE_EXTRA_CA_CERTS: pebble.listenerRootPath,
  });
});

afterAll(async () => {
  sandbox?.dispose();
  await emulator?.stop();
  await pebble?.stop();
});

test("up orders, preview shows the renewal, up renews, a new key replaces, destroy forgets; no secret in state", async () => {
  const scope = { zoneId: emulator.zoneId };
  const created = await emulator.createCsr(scope, {
    ...SUBJECT,
    common_name: "www.acme.dev",
    sans: ["www.acme.dev", "acme.dev"],
    key_type: "p256v1",
  });
  const stack = await inlineStack(sandbox, async () => {
    const csr = new CustomCsr("web", { customCsrId: created.id, zoneId: emulator.zoneId });
    const common = {
      customCsr: csr,
      zoneId: emulator.zoneId,
      directoryUrl: pebble.directoryUrl,
      email: "ops@acme.dev",
      externalAccountBinding: { kid: "kid-e2e", hmacKey: HMAC_KEY },
    };
    const due = new CustomCsrCertificate("due", common);
    const fresh = new CustomCsrCertificate("fresh", { ...common, renewBeforeDays: 10 });
    const check = checkCertificateOutput(csr, due.certificatePem);
    return {
      notAfter: due.notAfter,
      certificate: due.certificatePem,
      freshCertificate: fresh.certificatePem,
      checkedSans: check.sans,
      issuer: due.issuer,
      publicKeySha256: due.publicKeySha256,
    };
  });

  // What the engine prints by default. (Verbose engine logs, `-v` at any level with --logtostderr, dump the gRPC
  // payloads of every resource with their secret outputs in clear, as they do decrypted config: see the README.)
  const up = await stack.up();
  const printed = `${up.stdout}\n${up.stderr}`;
  const first = up.outputs.certificate.value as string;
  expect(up.outputs.checkedSans.value).toEqual(expect.arrayContaining(["www.acme.dev", "acme.dev"]));
  expect(up.outputs.issuer.value).toMatch(/Pebble Intermediate/);
  expect(emulator.listDnsRecords(emulator.zoneId)).toEqual([]);

  // A refresh keeps the certificate, and keeps the account key a secret.
  const refreshed = await stack.refresh();
  expect(refreshed.summary.resourceChanges).not.toHaveProperty("delete");
  // `pulumi stack export` (the Automation API's exportStack would decrypt secrets) and every file of the backend.
  const exported = (await runCli(sandbox, stack, ["stack", "export"])).stdout;
  // The backend and Pulumi home (not the program directory, whose node_modules holds READMEs of every kind).
  const backend = [...filesUnder(path.join(sandbox.dir, "state")), ...filesUnder(path.join(sandbox.dir, "home"))].join(
    "\n",
  );
  expect(printed).toContain("CustomCsrCertificate"); // the output is really there
  for (const secret of ["PRIVATE KEY", HMAC_KEY, MARKER_TOKEN]) {
    expect(exported).not.toContain(secret);
    expect(backend).not.toContain(secret);
    expect(printed).not.toContain(secret);
  }
  expect(exported).toMatch(
    /"accountKeyPem": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/,
  );

  // 20-day certificates: "due" (renew 30 days ahead) is due at once, "fresh" (10 days ahead) is not.
  const preview = await stack.preview();
  expect(preview.changeSummary).toMatchObject({ update: 1 });
  const renewed = await stack.up();
  expect(renewed.summary.resourceChanges).toMatchObject({ update: 1 });
  expect(renewed.outputs.certificate.value).not.toBe(first);
  expect(renewed.outputs.freshCertificate.value).toBe(up.outputs.freshCertificate.value);

  // A new key for the CSR (Cloudflare-side re-creation): up replaces both certificates with ones for the new key.
  // (A preview cannot know the new PEM before the CSR is read again, so it shows them as updates.)
  const regenerated = await emulator.regenerateCsr(scope, created.id);
  const replaced = await stack.up();
  expect(replaced.summary.resourceChanges).toMatchObject({ replace: 2 });
  const newKey = (await decodeCsrPem(regenerated.csr as string)).publicKeySha256;
  expect(replaced.outputs.publicKeySha256.value).toBe(newKey);

  emulator.clearRequests();
  const destroyed = await stack.destroy();
  expect(destroyed.summary.resourceChanges).toMatchObject({ delete: 4 });
  expect(emulator.requests.filter((request) => request.method !== "GET")).toEqual([]);
});
