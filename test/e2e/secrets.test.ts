import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { CustomCsr } from "../../sdk";
import {
  MARKER_API_KEY,
  MARKER_EMAIL,
  MARKER_TOKEN,
  startSeededEmulator,
  type SeededEmulator,
} from "../support/emulator";
import { createSandbox, inlineStack, runCli, type Sandbox } from "../support/pulumi";

jest.setTimeout(300_000);

let env: SeededEmulator;
const CONFIG_TOKEN = "config-marker-token-5e1d0c9b7a3f";

beforeAll(async () => {
  env = await startSeededEmulator({ tokens: [MARKER_TOKEN, CONFIG_TOKEN] });
});
afterAll(() => env.emulator.stop());

/** Every file under a directory, read as text (state, backups, history, logs, plugin caches). */
function filesUnder(dir: string): { file: string; text: string }[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .map((file) => ({ file, text: fs.readFileSync(file, "latin1") }));
}

/** Runs up, refresh and destroy at debug verbosity and returns everything the engine printed. */
async function deployWithDebugLogs(
  sandbox: Sandbox,
  stack: Stack,
  logVerbosity: number,
): Promise<{ printed: string; providerSizes: number[]; state: string }> {
  const verbose = { debug: true, logVerbosity, logToStdErr: true } as const;
  const up = await stack.up(verbose);
  const refresh = await stack.refresh(verbose);
  // The state as stored and as `pulumi stack export` prints it (the Automation API's exportStack decrypts secrets).
  const exported = JSON.parse((await runCli(sandbox, stack, ["stack", "export"])).stdout);
  const providerSizes = exported.deployment.resources
    .filter((r: { type: string }) => r.type === "pulumi-nodejs:cloudflare:CustomCsr")
    .map((r: { outputs: { __provider: string } }) => Buffer.byteLength(r.outputs.__provider));
  const state = JSON.stringify(exported);
  const destroy = await stack.destroy(verbose);
  return {
    printed: [up.stdout, up.stderr, refresh.stdout, refresh.stderr, destroy.stdout, destroy.stderr].join("\n"),
    providerSizes,
    state,
  };
}

function program(): () => Promise<Record<string, unknown>> {
  return async () => {
    const a = new CustomCsr("a", { customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    const b = new CustomCsr("b", { customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId });
    return { a: a.pem, b: b.publicKeySha256 };
  };
}

describe("credentials never reach state or logs", () => {
  it("with the token in CLOUDFLARE_API_TOKEN", async () => {
    const sandbox: Sandbox = createSandbox({
      CLOUDFLARE_API_TOKEN: MARKER_TOKEN,
      CLOUDFLARE_BASE_URL: env.emulator.baseUrl,
    });
    try {
      const stack = await inlineStack(sandbox, program());
      const { printed, providerSizes, state } = await deployWithDebugLogs(sandbox, stack, 9);
      expect(printed.length).toBeGreaterThan(10_000); // debug logs really were captured
      expect(providerSizes).toHaveLength(2);
      for (const size of providerSizes) expect(size).toBeLessThan(16 * 1024);
      console.log(`__provider per resource: ${providerSizes.join(", ")} bytes`);
      expect(state).not.toContain(MARKER_TOKEN);
      expect(printed).not.toContain(MARKER_TOKEN);
      const leaks = filesUnder(sandbox.dir)
        .filter(({ text }) => text.includes(MARKER_TOKEN))
        .map(({ file }) => file);
      expect(leaks).toEqual([]);
    } finally {
      sandbox.dispose();
    }
  });

  it("with the token in cloudflare:apiToken set as a secret", async () => {
    const sandbox: Sandbox = createSandbox({ CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
    try {
      const stack = await inlineStack(sandbox, program());
      await stack.setConfig("cloudflare:apiToken", { value: CONFIG_TOKEN, secret: true });
      env.emulator.clearRequests();
      // At -v=7 and above the Pulumi engine itself logs the decrypted stack config it hands to the dynamic
      // provider (any secret config, not only ours); -v=6 still includes the engine's step and plugin logs.
      const { printed, state } = await deployWithDebugLogs(sandbox, stack, 6);
      expect(env.emulator.requests.length).toBeGreaterThan(0);
      expect(env.emulator.requests.every((r) => r.status === 200)).toBe(true);
      expect(state).toContain(
        '"cloudflare:apiToken":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext"',
      );
      expect(state).not.toContain(CONFIG_TOKEN);
      expect(printed).not.toContain(CONFIG_TOKEN);
      const leaks = filesUnder(sandbox.dir)
        .filter(({ text }) => text.includes(CONFIG_TOKEN))
        .map(({ file }) => file);
      expect(leaks).toEqual([]);
    } finally {
      sandbox.dispose();
    }
  });

  it("with an API key and email in CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL", async () => {
    const sandbox: Sandbox = createSandbox({
      CLOUDFLARE_API_KEY: MARKER_API_KEY,
      CLOUDFLARE_EMAIL: MARKER_EMAIL,
      CLOUDFLARE_BASE_URL: env.emulator.baseUrl,
    });
    try {
      const stack = await inlineStack(sandbox, program());
      env.emulator.clearRequests();
      const { printed, state } = await deployWithDebugLogs(sandbox, stack, 9);
      expect(env.emulator.requests.length).toBeGreaterThan(0);
      expect(env.emulator.requests.every((r) => r.authSchemes.join() === "api-key" && r.status === 200)).toBe(true);
      for (const marker of [MARKER_API_KEY, MARKER_EMAIL]) {
        expect(state).not.toContain(marker);
        expect(printed).not.toContain(marker);
        expect(
          filesUnder(sandbox.dir)
            .filter(({ text }) => text.includes(marker))
            .map(({ file }) => file),
        ).toEqual([]);
      }
    } finally {
      sandbox.dispose();
    }
  });
});
