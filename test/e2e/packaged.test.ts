import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { packedBuild } from "../support/packed-build";
import { createSandbox, pulumiCommand, REPO_ROOT, type Sandbox } from "../support/pulumi";

const run = promisify(execFile);
jest.setTimeout(600_000);

let env: SeededEmulator;
let sandbox: Sandbox;
let project: string;

/**
 * Packaged use, as users consume it: `npm pack`, install the tarball into a fresh Pulumi project outside the
 * repository (its own package.json and node_modules), then `up` and `refresh` a directory program there.
 * This is what catches `exports` and `require()` resolution faults of the serialized provider.
 */
beforeAll(async () => {
  env = await startSeededEmulator();
  sandbox = createSandbox({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
  // The tarball that `npm pack` made for this run (jest's global setup).
  const { tarball, files: shipped } = packedBuild();
  expect(shipped).toEqual(
    expect.arrayContaining([
      "package.json",
      "README.md",
      "LICENSE",
      "dist/sdk/index.js",
      "dist/sdk/index.d.ts",
      "dist/src/provider/runtime.js",
      "dist/src/emulator/index.js",
    ]),
  );
  expect(shipped.filter((p) => !/^(package\.json|README\.md|LICENSE|dist\/(sdk|src)\/.*)$/.test(p))).toEqual([]);
  expect(shipped.filter((p) => p.startsWith("dist/test") || (p.endsWith(".ts") && !p.endsWith(".d.ts")))).toEqual([]);

  project = path.join(sandbox.dir, "user-project");
  fs.mkdirSync(project);
  const pulumiVersion = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify(
      {
        name: "user-project",
        private: true,
        dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-cloudflare-custom-csr": `file:${tarball}` },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: user-project\nruntime: nodejs\n");
  fs.writeFileSync(
    path.join(project, "index.js"),
    `const pulumi = require("@pulumi/pulumi");
const { CustomCsr, getCustomCsrOutput } = require("pulumi-cloudflare-custom-csr");
const config = new pulumi.Config();
const csr = new CustomCsr("web", { customCsrId: config.require("csrId"), accountId: config.require("accountId") });
const looked = getCustomCsrOutput({ customCsrId: config.require("csrId"), accountId: config.require("accountId") });
exports.pem = csr.pem;
exports.sans = csr.sans;
exports.fingerprintsAgree = pulumi.all([csr.publicKeySha256, looked.publicKeySha256]).apply(([a, b]) => a === b);
`,
  );
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: project,
    maxBuffer: 64 * 1024 * 1024,
  });
});
afterAll(async () => {
  sandbox.dispose();
  await env.emulator.stop();
});

it("a project that installs the packed tarball runs up and refresh", async () => {
  expect(fs.realpathSync(path.join(project, "node_modules/pulumi-cloudflare-custom-csr")).startsWith(project)).toBe(
    true,
  );
  const stack = await LocalWorkspace.createStack(
    { stackName: "packaged", workDir: project },
    { pulumiCommand: await pulumiCommand(), envVars: sandbox.envVars, secretsProvider: "passphrase" },
  );
  await stack.setAllConfig({ csrId: { value: env.rsa.id }, accountId: { value: env.emulator.accountId } });
  const up = await stack.up();
  expect(up.outputs.pem.value).toBe(env.rsa.csr);
  expect(up.outputs.sans.value).toEqual(env.rsa.sans);
  expect(up.outputs.fingerprintsAgree.value).toBe(true);

  const state = await stack.exportStack();
  const resource = state.deployment.resources.find(
    (r: { type: string }) => r.type === "pulumi-nodejs:cloudflare:CustomCsr",
  );
  expect(resource.outputs.__provider).toContain('require("pulumi-cloudflare-custom-csr/provider-runtime")');
  expect(resource.outputs.__provider).not.toContain(REPO_ROOT);

  const refresh = await stack.refresh({ expectNoChanges: true });
  expect(refresh.summary.resourceChanges).toEqual({ same: 2 });
  await stack.destroy();
  await stack.workspace.removeStack("packaged");
});

it("every subpath has types under each module resolution a user may have, node10 included", async () => {
  fs.writeFileSync(
    path.join(project, "types-check.ts"),
    `import { getCustomCsr, CustomCsr } from "pulumi-cloudflare-custom-csr";
import { getCustomCsr as plainGetCustomCsr } from "pulumi-cloudflare-custom-csr/lookup";
import { orderCertificate } from "pulumi-cloudflare-custom-csr/acme";
import { startEmulator, type CloudflareEmulator } from "pulumi-cloudflare-custom-csr/emulator";
import { provider } from "pulumi-cloudflare-custom-csr/provider-runtime";
export const checks: [typeof getCustomCsr, typeof CustomCsr, typeof plainGetCustomCsr, typeof orderCertificate] = [
  getCustomCsr, CustomCsr, plainGetCustomCsr, orderCertificate,
];
export const emulator: () => Promise<CloudflareEmulator> = () => startEmulator();
export const methods: string[] = Object.keys(provider);
`,
  );
  const tsc = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");
  for (const [moduleResolution, module] of [
    ["node10", "commonjs"],
    ["node16", "node16"],
    ["bundler", "esnext"],
  ]) {
    const typeRoots = path.join(REPO_ROOT, "node_modules/@types");
    const args = [
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      "--typeRoots",
      typeRoots,
      "--types",
      "node",
      "--module",
      module,
    ];
    const result = await run(
      process.execPath,
      [tsc, ...args, "--moduleResolution", moduleResolution, "types-check.ts"],
      {
        cwd: project,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: `FAILED ${moduleResolution}: ${error.stdout ?? ""}` }));
    expect(result.stdout).toBe("");
  }
});

it("the emulator runs from an install that holds only the package's own dependencies", async () => {
  const script = `const { startEmulator } = require("pulumi-cloudflare-custom-csr/emulator");
startEmulator().then(async (emulator) => {
  const csr = await emulator.createCsr({ accountId: emulator.accountId }, {
    common_name: "www.acme.dev", sans: ["www.acme.dev"], country: "US", state: "CA", locality: "SF", organization: "Acme",
  });
  console.log(JSON.stringify({ ok: csr.csr.startsWith("-----BEGIN CERTIFICATE REQUEST-----") }));
  await emulator.stop();
});`;
  const { stdout } = await run(process.execPath, ["-e", script], { cwd: project });
  expect(JSON.parse(stdout)).toEqual({ ok: true });
  expect(fs.existsSync(path.join(project, "node_modules/@peculiar/asn1-csr"))).toBe(false);
});
