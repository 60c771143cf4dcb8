import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { SERIALIZED_PROVIDER } from "../../src/provider/provider";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { packedBuild } from "../support/packed-build";

const run = promisify(execFile);

let env: SeededEmulator;
let text: string;

beforeAll(async () => {
  env = await startSeededEmulator();
  // Credentials present everywhere the program could see them while the provider is serialized.
  process.env.CLOUDFLARE_API_TOKEN = MARKER_TOKEN;
  pulumi.runtime.setAllConfig({ "cloudflare:apiToken": MARKER_TOKEN });
  // Exactly what every CustomCsr stores in `__provider`.
  text = SERIALIZED_PROVIDER;
});
afterAll(async () => {
  delete process.env.CLOUDFLARE_API_TOKEN;
  pulumi.runtime.setAllConfig({});
  await env.emulator.stop();
});

describe("the serialized provider", () => {
  it("is small: one line that loads the runtime", () => {
    expect(Buffer.byteLength(text)).toBeLessThan(128);
    expect(text.trim().split("\n")).toHaveLength(1);
  });

  it("contains no credential and no live object", () => {
    expect(text).not.toContain(MARKER_TOKEN);
    expect(text).not.toMatch(/axios|Agent|Map\(/);
    expect(text).toContain('require("pulumi-cloudflare-custom-csr/provider-runtime")');
  });

  it("performs a lookup when loaded in a fresh node process, as the provider plugin does", async () => {
    // The plugin loads the text with require-from-string from the program directory (here, a directory outside
    // the repository whose node_modules is the packed build) and configures it with the stack config.
    const script = `
      const provider = require("require-from-string")(process.env.PROVIDER_TEXT).handler();
      const config = { "cloudflare:apiToken": process.env.TOKEN, "cloudflare:baseUrl": process.env.BASE_URL };
      (async () => {
        await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
        const checked = await provider.check({}, { customCsrId: process.env.CSR_ID, accountId: process.env.ACCOUNT_ID });
        const created = await provider.create(checked.inputs);
        const loadedFrom = require.resolve("pulumi-cloudflare-custom-csr/provider-runtime");
        process.stdout.write(JSON.stringify({ created, loadedFrom }));
      })().catch((e) => { console.error(String(e)); process.exit(1); });`;
    const program = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-serialized-"));
    fs.symlinkSync(packedBuild().modules, path.join(program, "node_modules"), "dir");
    const { stdout } = await run(process.execPath, ["-e", script], {
      cwd: program,
      env: {
        PATH: process.env.PATH,
        PROVIDER_TEXT: text,
        TOKEN: MARKER_TOKEN,
        BASE_URL: env.emulator.baseUrl,
        CSR_ID: env.rsa.id,
        ACCOUNT_ID: env.emulator.accountId,
      },
    }).finally(() => fs.rmSync(program, { recursive: true, force: true }));
    const { created, loadedFrom } = JSON.parse(stdout) as {
      created: { id: string; outs: Record<string, unknown> };
      loadedFrom: string;
    };
    expect(fs.realpathSync(loadedFrom).startsWith(fs.realpathSync(packedBuild().modules))).toBe(true);
    expect(created.id).toBe(env.rsa.id);
    expect(created.outs.pem).toBe(env.rsa.csr);
    expect(created.outs.publicKeyAlgorithm).toBe("RSA-2048");
  });
});
