import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { getCustomCsr, InvalidCustomCsrArgsError } from "../../sdk/lookup";
import { isolateCloudflareEnv, MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { packedBuild } from "../support/packed-build";

let env: SeededEmulator;
isolateCloudflareEnv();

beforeAll(async () => {
  env = await startSeededEmulator();
});
afterAll(() => env.emulator.stop());

/**
 * Runs a script in a fresh node process, from a program directory that has the packed package installed, where
 * `@pulumi/*` cannot be resolved (as if it were not installed); the script gets the entry as `plain` through
 * the package's `exports`. Returns what the script printed.
 */
function runWithoutPulumi(script: string, extraEnv: Record<string, string>): Promise<string> {
  const withoutPulumi = [
    'const Module = require("node:module");',
    "const resolve = Module._resolveFilename;",
    "Module._resolveFilename = function (request, ...rest) {",
    '  const missing = Object.assign(new Error(`Cannot find module ${request}`), { code: "MODULE_NOT_FOUND" });',
    '  if (request.startsWith("@pulumi/")) throw missing;',
    "  return resolve.call(this, request, ...rest);",
    "};",
    'const plain = require("pulumi-cloudflare-custom-csr/lookup");',
  ].join("\n");
  return runPackaged(`${withoutPulumi}\n${script}`, extraEnv);
}

/** Runs a script in a fresh node process, from a program directory that has the packed package installed. */
async function runPackaged(script: string, extraEnv: Record<string, string>): Promise<string> {
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...extraEnv };
  const program = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-plain-"));
  fs.symlinkSync(packedBuild().modules, path.join(program, "node_modules"), "dir");
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", script], { cwd: program, env: childEnv });
    return stdout.trim();
  } finally {
    fs.rmSync(program, { recursive: true, force: true });
  }
}

describe("pulumi-cloudflare-custom-csr/lookup", () => {
  it("looks CSRs up where @pulumi/pulumi is not installed, reading stack config from PULUMI_CONFIG", async () => {
    const config = { "cloudflare:config:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": env.emulator.baseUrl };
    const script = [
      `const args = ${JSON.stringify({ customCsrId: env.ec.id, accountId: env.emulator.accountId })};`,
      "Promise.all([plain.getCustomCsr(args), plain.getCustomCsrs({ accountId: args.accountId })])",
      "  .then(([csr, all]) => console.log(JSON.stringify({",
      "    id: csr.customCsrId, algorithm: csr.publicKeyAlgorithm,",
      "    listed: all.some((c) => c.customCsrId === args.customCsrId),",
      "    checkCertificate: typeof plain.checkCertificate,",
      '    pulumiModules: Object.keys(require.cache).filter((file) => file.includes("@pulumi")).length,',
      "  })))",
      "  .catch((error) => { console.log(JSON.stringify({ error: error.message })); });",
    ].join("\n");
    const printed = JSON.parse(await runWithoutPulumi(script, { PULUMI_CONFIG: JSON.stringify(config) }));
    const expected = {
      id: env.ec.id,
      algorithm: "ECDSA-P256",
      listed: true,
      checkCertificate: "function",
      pulumiModules: 0,
    };
    expect(printed).toEqual(expected);
  });

  it("exports the errors, and without any credential source fails before sending a request", async () => {
    const script = [
      'plain.getCustomCsr({ customCsrId: "x", accountId: "023e105f4ecef8ad9ca31a8372d0c353" })',
      "  .catch((error) => {",
      "    const isError = error instanceof plain.InvalidCustomCsrArgsError;",
      "    console.log(JSON.stringify({ name: error.name, isError }));",
      "  });",
    ].join("\n");
    env.emulator.clearRequests();
    const printed = JSON.parse(await runWithoutPulumi(script, {}));
    expect(printed).toEqual({ name: "InvalidCustomCsrArgsError", isError: true });
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("inside a Pulumi program (Pulumi already loaded), reads stack config through pulumi.runtime", async () => {
    pulumi.runtime.setAllConfig({ "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": env.emulator.baseUrl });
    try {
      const csr = await getCustomCsr({ customCsrId: env.rsa.id, accountId: env.emulator.accountId });
      expect(csr.customCsrId).toBe(env.rsa.id);
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });

  it("refuses invalid arguments with the package's own error class", async () => {
    const lookup = getCustomCsr({ customCsrId: "bad id!", accountId: env.emulator.accountId });
    await expect(lookup).rejects.toBeInstanceOf(InvalidCustomCsrArgsError);
  });
});

describe("pulumi-cloudflare-custom-csr (the main entry)", () => {
  it("looks CSRs up without loading @pulumi/pulumi, and loads it when a resource is first used", async () => {
    const script = [
      'const main = require("pulumi-cloudflare-custom-csr");',
      "const pulumiLoaded = () => Object.keys(require.cache).some((file) => /[\\\\/]@pulumi[\\\\/]pulumi[\\\\/]/.test(file));",
      `const args = ${JSON.stringify({ customCsrId: env.rsa.id, accountId: env.emulator.accountId })};`,
      `const options = ${JSON.stringify({ apiToken: MARKER_TOKEN, baseUrl: env.emulator.baseUrl })};`,
      "const atLoad = pulumiLoaded();",
      "Promise.all([main.getCustomCsr(args, options), main.getCustomCsrs({ accountId: args.accountId }, options)])",
      "  .then(([csr, all]) => {",
      "    const afterLookups = pulumiLoaded();",
      "    const resource = main.CustomCsr;",
      "    console.log(JSON.stringify({",
      "      id: csr.customCsrId, listed: all.length > 0, atLoad, afterLookups, afterResource: pulumiLoaded(),",
      '      isResource: resource.prototype instanceof require("@pulumi/pulumi").CustomResource,',
      "      sameClass: main.CustomCsr === resource,",
      "      others: [typeof main.CustomCsrCertificate, typeof main.checkCertificateOutput],",
      "    }));",
      "  })",
      "  .catch((error) => { console.log(JSON.stringify({ error: error.message })); });",
    ].join("\n");
    expect(JSON.parse(await runPackaged(script, {}))).toEqual({
      id: env.rsa.id,
      listed: true,
      atLoad: false,
      afterLookups: false,
      afterResource: true,
      isResource: true,
      sameClass: true,
      others: ["function", "function"],
    });
  });
});
