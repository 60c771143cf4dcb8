import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { CustomCsr } from "../../sdk";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { createSandbox, driftPulumiEnv, inlineStack, type Sandbox } from "../support/pulumi";
import { parseJunit } from "../support/ci-parsers";
import { cleanEnv, runCustomCsr } from "./support";

jest.setTimeout(180_000);

let env: SeededEmulator;
let sandbox: Sandbox;
let stack: Stack;
let childEnv: NodeJS.ProcessEnv;

/** `custom-csr drift` on the sandbox's program directory, as a CI job runs it. */
const drift = (...flags: string[]) =>
  runCustomCsr(["drift", "--cwd", sandbox.workDir, "--stack", stack.name, ...flags], childEnv);

beforeAll(async () => {
  env = await startSeededEmulator();
  const cloudflare = { CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl };
  sandbox = createSandbox(cloudflare);
  childEnv = cleanEnv({ ...sandbox.envVars, ...cloudflare, ...driftPulumiEnv() });
  stack = await inlineStack(sandbox, async () => {
    new CustomCsr("web", { customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    new CustomCsr("api", { customCsrId: env.ec.id, accountId: env.emulator.accountId });
  });
  await stack.up();
});
afterAll(async () => {
  sandbox.dispose();
  await env.emulator.stop();
});

describe("custom-csr drift", () => {
  it("reports no drift (exit 0) while Cloudflare holds what the stack recorded", async () => {
    const { code, stdout, stderr } = await drift();
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(`Stack ${stack.name}: no drift in 2 CustomCsr resources.\nOther resources: no changes.\n`);

    const json = await drift("--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      stack: stack.name,
      drifted: false,
      checked: 2,
      resources: [],
      otherChanges: {},
    });
  });

  it("a refresh the provider cannot do (rejected token) is an error (exit 2) with its message and no credential", async () => {
    const wrongToken = "wrong-token-0d6c1f2e9a7b4c35";
    const { code, stdout, stderr } = await runCustomCsr(["drift", "--cwd", sandbox.workDir, "--stack", stack.name], {
      ...childEnv,
      CLOUDFLARE_API_TOKEN: wrongToken,
    });
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(/^error: pulumi refresh --preview-only of stack \S+ failed: /);
    expect(stderr).toContain('It needs the "SSL and Certificates Read" permission');
    expect(stderr).not.toContain(wrongToken);
  });

  it("names a deleted and a changed CSR (exit 1), with the changed fields side by side, and changes no state", async () => {
    const before = await stack.exportStack();
    env.emulator.deleteCsr(env.account, env.rsa.id);
    await env.emulator.regenerateCsr(env.account, env.ec.id, {
      name: "renamed",
      sans: ["api.example.dev", "api2.example.dev"],
    });

    const { code, stdout, stderr } = await drift();
    expect({ code, stderr }).toEqual({ code: 1, stderr: "" });
    expect(stdout).toContain(`Stack ${stack.name}: 2 of 2 CustomCsr resources drifted.`);
    expect(stdout).toContain(`  - web (custom CSR ${env.rsa.id}): deleted in Cloudflare\n`);
    expect(stdout).toContain(`  ~ api (custom CSR ${env.ec.id}): changed in Cloudflare\n`);
    expect(stdout).toMatch(/\n {6}FIELD\s+STACK\s+CLOUDFLARE\n/);
    expect(stdout).toMatch(/\n {6}name\s+\(absent\)\s+"renamed"\n/);
    expect(stdout).toMatch(/\n {6}sans\s+\["api\.example\.dev"\]\s+\["api\.example\.dev","api2\.example\.dev"\]\n/);
    expect(stdout).toMatch(/\n {6}pem\s+sha256:[0-9a-f]{12}…\s+sha256:[0-9a-f]{12}…\n/);
    expect(stdout).toContain("Changed: run `pulumi up` to accept what Cloudflare holds now");
    expect(stdout).toContain("Deleted: `pulumi up` alone fails while the program names a CSR that no longer exists.");
    expect(stdout).not.toContain("BEGIN CERTIFICATE REQUEST");
    expect(stdout).not.toMatch(/observed|__provider/);

    const json = await drift("--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      resources: { name: string; changes: { field: string; old: unknown; new: unknown }[] }[];
    };
    expect(report).toMatchObject({ stack: stack.name, drifted: true, checked: 2, otherChanges: {} });
    expect(report.resources).toEqual([
      expect.objectContaining({
        name: "api",
        customCsrId: env.ec.id,
        status: "changed",
        urn: expect.stringMatching(/::pulumi-nodejs:cloudflare:CustomCsr::api$/),
      }),
      {
        name: "web",
        customCsrId: env.rsa.id,
        status: "deleted",
        changes: [],
        urn: expect.stringMatching(/::pulumi-nodejs:cloudflare:CustomCsr::web$/),
      },
    ]);
    const changes = Object.fromEntries(report.resources[0].changes.map((change) => [change.field, change]));
    expect(Object.keys(changes)).toEqual(expect.arrayContaining(["name", "sans", "pem", "publicKeySha256"]));
    expect(changes.name).toEqual({ field: "name", old: null, new: "renamed" });
    expect(changes.pem.new).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(changes.publicKeySha256.new).not.toEqual(changes.publicKeySha256.old);

    // A preview: the stack still records both CSRs as they were.
    const after = await stack.exportStack();
    expect(after.deployment.resources).toEqual(before.deployment.resources);
    for (const output of [stdout, stderr, json.stdout, json.stderr]) expect(output).not.toContain(MARKER_TOKEN);
  });

  it("after a plain `pulumi refresh --yes` has written the current values, still names the changed field", async () => {
    const own = await inlineStack(sandbox, async () => {
      new CustomCsr("solo", { customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId });
    });
    await own.up();
    // The field digests cost a few dozen bytes: an RSA-2048 CustomCsr's whole state stays under 3.5 KiB.
    const exported = await own.exportStack();
    const solo = exported.deployment.resources.find((resource: { urn: string }) => resource.urn.endsWith("::solo"));
    expect(JSON.stringify(solo).length).toBeLessThan(3.5 * 1024);
    env.emulator.updateCsr(env.zone, env.zoneCsr.id, { description: "edited in Cloudflare" });
    await own.refresh();
    const run = (...flags: string[]) =>
      runCustomCsr(["drift", "--cwd", sandbox.workDir, "--stack", own.name, ...flags], childEnv);
    const { code, stdout } = await run("--json");
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { resources: { name: string; changes: { field: string; new: unknown }[] }[] };
    expect(report.resources).toEqual([
      expect.objectContaining({
        name: "solo",
        status: "changed",
        changes: [{ field: "description", old: null, new: "edited in Cloudflare" }],
      }),
    ]);
    const junit = parseJunit((await run("--format", "junit")).stdout);
    expect(junit.cases).toEqual([
      {
        name: "solo",
        classname: `custom-csr.drift.${own.name}`,
        failures: [expect.objectContaining({ type: "drift/changed" })],
      },
    ]);
    expect(junit.cases[0].failures[0].message).toContain("description");
  });

  it("a --pulumi that is not a Pulumi installation's bin/pulumi is an error (exit 2) naming the flag", async () => {
    const notPulumi = path.join(sandbox.dir, "bin", "pulumi");
    const { code, stdout, stderr } = await drift("--pulumi", notPulumi);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toBe(`error: --pulumi ${notPulumi}: no executable file there.\n`);
  });

  it("a stack that does not exist, or a directory without a project, is an error (exit 2)", async () => {
    const missing = await runCustomCsr(["drift", "--cwd", sandbox.workDir, "--stack", "no-such-stack"], childEnv);
    expect(missing).toEqual({
      code: 2,
      stdout: "",
      stderr: expect.stringMatching(
        /^error: pulumi refresh --preview-only of stack no-such-stack failed: .*no stack named 'no-such-stack' found/,
      ),
    });

    const empty = fs.mkdtempSync(path.join(sandbox.dir, "empty-"));
    const noProject = await runCustomCsr(["drift", "--stack", stack.name], childEnv, empty);
    expect(noProject).toEqual({
      code: 2,
      stdout: "",
      stderr: `error: no Pulumi project in ${empty} (no Pulumi.yaml); pass the project directory with --cwd <dir>\n`,
    });
  });
});
