import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { opensslPublicKeySha256, opensslSubject } from "../support/openssl";
import { cleanEnv, runCustomCsr, runInTerminal, runPipeline, CLI } from "./support";

let env: SeededEmulator;
let childEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await startSeededEmulator();
  childEnv = cleanEnv({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
});
afterAll(() => env.emulator.stop());

describe("custom-csr get", () => {
  it("prints a readable summary of the verified CSR", async () => {
    const { code, stdout, stderr } = await runCustomCsr(
      ["get", env.rsa.id, "--account", env.emulator.accountId],
      childEnv,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(`Custom CSR ${env.rsa.id} in account ${env.emulator.accountId}`);
    expect(stdout).toMatch(/Name\s+web\n/);
    expect(stdout).toMatch(/Common name\s+www\.example\.dev\n/);
    expect(stdout).toMatch(/SANs\s+www\.example\.dev, example\.dev\n/);
    expect(stdout).toMatch(/Key\s+RSA-2048 \(rsa2048\)\n/);
    expect(stdout).toMatch(new RegExp(`Key SHA-256\\s+${opensslPublicKeySha256(env.rsa.csr as string)}\\n`));
    expect(stdout).toContain(opensslSubject(env.rsa.csr as string));
    expect(stdout).toMatch(new RegExp(`Created\\s+${env.rsa.created_at}`));
    expect(stdout).not.toContain("\u001b["); // not a terminal: no colours
  });

  it("--pem prints only the PEM, which openssl reads from a pipe", async () => {
    const pem = await runCustomCsr(["get", env.ec.id, "--account", env.emulator.accountId, "--pem"], childEnv);
    expect(pem).toEqual({ code: 0, stdout: env.ec.csr, stderr: "" });

    const piped = await runPipeline(
      `node ${CLI} get ${env.ec.id} --account ${env.emulator.accountId} --pem | openssl req -noout -text`,
      childEnv,
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain("Subject: C = DE, ST = Berlin, L = Berlin, O = Example GmbH, CN = api.example.dev");
    expect(piped.stdout).toContain("DNS:api.example.dev");
    expect(piped.stdout).toContain("ASN1 OID: prime256v1");
  });

  it("--json prints the same fields as getCustomCsr, for a CSR looked up by zone", async () => {
    const { code, stdout } = await runCustomCsr(
      ["get", env.zoneCsr.id, "--zone", env.emulator.zoneId, "--json"],
      childEnv,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      customCsrId: env.zoneCsr.id,
      zoneId: env.emulator.zoneId,
      pem: env.zoneCsr.csr,
      sans: ["shop.example.dev"],
      commonName: "shop.example.dev",
      keyType: "rsa2048",
      organization: "Example Shop",
      country: "US",
      state: "Texas",
      locality: "Austin",
      accountTag: env.emulator.accountId,
      createdAt: env.zoneCsr.created_at,
      subject: opensslSubject(env.zoneCsr.csr as string),
      publicKeyAlgorithm: "RSA-2048",
      publicKeySha256: opensslPublicKeySha256(env.zoneCsr.csr as string),
    });
  });

  it("--base-url wins over CLOUDFLARE_BASE_URL", async () => {
    const wrongEnv = { ...childEnv, CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" };
    const { code, stdout } = await runCustomCsr(
      ["get", env.rsa.id, "--account", env.emulator.accountId, "--pem", "--base-url", env.emulator.baseUrl],
      wrongEnv,
    );
    expect({ code, stdout }).toEqual({ code: 0, stdout: env.rsa.csr });
  });

  it("a CSR whose PEM disagrees with the API fails verification: exit 1 with each mismatch", async () => {
    const broken = await env.emulator.createCsr(env.account, {
      common_name: "broken.example.dev",
      sans: ["broken.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Example",
    });
    env.emulator.updateCsr(env.account, broken.id, { common_name: "other.example.dev" });
    const { code, stdout, stderr } = await runCustomCsr(
      ["get", broken.id, "--account", env.emulator.accountId],
      childEnv,
    );
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toContain(`error: The PEM of custom CSR ${broken.id} failed verification`);
    expect(stderr).toContain(
      `the API's common_name is "other.example.dev" but the PEM's subject CN is "broken.example.dev"`,
    );
  });

  it("colours the summary on a terminal, and not when NO_COLOR is set", async () => {
    const coloured = await runInTerminal(["get", env.rsa.id, "--account", env.emulator.accountId], childEnv);
    expect(coloured.code).toBe(0);
    expect(coloured.stdout).toContain(`\u001b[1mCustom CSR ${env.rsa.id}\u001b[22m`);

    const plain = await runInTerminal(["get", env.rsa.id, "--account", env.emulator.accountId], {
      ...childEnv,
      NO_COLOR: "1",
    });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain(`Custom CSR ${env.rsa.id}`);
    expect(plain.stdout).not.toContain("\u001b[");
  });
});
