"use strict";
// B3: `pulumi up` of 200 CustomCsr resources under the real engine, against `pulumi up` of 200 dynamic
// resources whose provider does nothing: the difference is what our provider adds to a deployment.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { SemVer } = require("semver");
const pulumi = require("@pulumi/pulumi");
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const cli = require("../scripts/pulumi-cli");
const { linkProgramModules } = require("../scripts/program-modules");
const { startSeededEmulator } = require("./emulator");
const { watchPeakRss } = require("./process-memory");
const { medianOf, ratio, seconds, mib, kib } = require("./stats");

const COUNT = 200;
const CUSTOM_CSR_TYPE = "pulumi-nodejs:cloudflare:CustomCsr";
const NOOP_TYPE = "pulumi-nodejs:dynamic:Resource";
/** Cloudflare's real budget: 200 resources must fit in it with room to spare. */
const RATE_LIMIT = { limit: 1200, windowSeconds: 300 };
/** The Node.js dynamic provider's entry point, as it appears in the provider process's command line. */
const PROVIDER_PROCESS = "dynamic-provider/index.js";

/** The engine's floor: a dynamic provider that answers create and nothing else. */
const noopProvider = { create: async () => ({ id: "x", outs: {} }) };

/** The same, with an output of `bytes` characters (built in the provider: only the number is serialized). */
function paddedProvider(bytes) {
  return { create: async () => ({ id: "x", outs: { pad: "x".repeat(bytes) } }) };
}

/** The pinned CLI that `npm run setup:pulumi` built (or one on PATH), as the end-to-end tests use it. */
async function pulumiCommand() {
  const version = new SemVer(cli.pinnedPulumiVersion());
  if (fs.existsSync(path.join(cli.toolsRoot(), "bin", "pulumi")))
    return PulumiCommand.get({ root: cli.toolsRoot(), version });
  return PulumiCommand.get({ version });
}

/**
 * A throwaway file backend and PULUMI_HOME. The program directory's node_modules links the repository's packages
 * and this package (the checkout): the dynamic provider process resolves @pulumi/pulumi and this package there.
 */
function createSandbox(env) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-bench-"));
  for (const sub of ["state", "home", "work"]) fs.mkdirSync(path.join(dir, sub));
  linkProgramModules(path.join(dir, "work"));
  const envVars = {
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_CONFIG_PASSPHRASE: "bench-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...env,
  };
  return { workDir: path.join(dir, "work"), envVars, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** One `pulumi up` of a fresh stack: wall time of the up alone, requests, state sizes, provider peak RSS. */
async function measureUp({ sandbox, command, emulator, program, type, stackName, env }) {
  const stack = await LocalWorkspace.createStack(
    { stackName, projectName: "custom-csr-bench", program },
    {
      pulumiCommand: command,
      workDir: sandbox.workDir,
      envVars: { ...sandbox.envVars, ...env },
      secretsProvider: "passphrase",
      projectSettings: {
        name: "custom-csr-bench",
        runtime: "nodejs",
        backend: { url: sandbox.envVars.PULUMI_BACKEND_URL },
      },
    },
  );
  emulator.setRateLimit(RATE_LIMIT);
  emulator.clearRequests();
  const memory = watchPeakRss(PROVIDER_PROCESS);
  const started = process.hrtime.bigint();
  const up = await stack.up().finally(() => memory.stop());
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const providerRssBytes = memory.stop();
  const created = up.summary.resourceChanges?.create ?? 0;
  if (created !== COUNT + 1)
    throw new Error(`B3 ${type}: expected ${COUNT + 1} creates, got ${JSON.stringify(up.summary.resourceChanges)}`);
  const requests = emulator.requests.length;
  const exported = await stack.exportStack();
  const mine = exported.deployment.resources.filter((r) => r.type === type);
  const mean = (resources) =>
    resources.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / resources.length;
  const rsa = mine.filter((r) => r.outputs?.keyType === "rsa2048");
  const rsaStateBytes = rsa.length > 0 ? mean(rsa) : NaN; // the no-op variants have no RSA resources
  // The stacks are throwaway and the resources touch nothing remote: removing the sandbox is the cleanup.
  return { wallMs, requests, stateBytes: mean(mine), rsaStateBytes, providerRssBytes };
}

async function runB3({ quick }) {
  const runs = quick ? 1 : 3;
  const { emulator, csrs } = await startSeededEmulator({ count: COUNT, rateLimit: RATE_LIMIT });
  const sandbox = createSandbox({ CLOUDFLARE_API_TOKEN: emulator.token, CLOUDFLARE_BASE_URL: emulator.baseUrl });
  const command = await pulumiCommand();
  const customCsrs = async () => {
    const { CustomCsr } = require("../dist/sdk");
    for (const [i, csr] of csrs.entries())
      new CustomCsr(`csr-${i}`, { customCsrId: csr.id, accountId: emulator.accountId });
  };
  const noops = async () => {
    for (let i = 0; i < COUNT; i++) new pulumi.dynamic.Resource(noopProvider, `noop-${i}`, {});
  };
  // The file backend rewrites the whole checkpoint after every step, so a deployment's time grows with the size
  // of its state. Two diagnostics show how much of the gap that is: B3c gives no-op resources as much state as a
  // CustomCsr (padding measured from the first B3a/B3b pair); B3d/B3e repeat B3a/B3b without intermediate
  // checkpoints.
  let padBytes = 0;
  const paddedNoops = async () => {
    const provider = paddedProvider(padBytes);
    for (let i = 0; i < COUNT; i++) new pulumi.dynamic.Resource(provider, `padded-${i}`, {});
  };
  const skip = { PULUMI_SKIP_CHECKPOINTS: "true" };
  const variants = [
    { row: "B3b", label: `engine floor: ${COUNT} no-op dynamic resources`, type: NOOP_TYPE, program: noops },
    { row: "B3a", label: `${COUNT} CustomCsr resources`, type: CUSTOM_CSR_TYPE, program: customCsrs, floor: "B3b" },
    {
      row: "B3c",
      label: "no-op resources padded to CustomCsr state size (diagnostic)",
      type: NOOP_TYPE,
      program: paddedNoops,
      floor: "B3b",
    },
    {
      row: "B3e",
      label: "engine floor, PULUMI_SKIP_CHECKPOINTS=true (diagnostic)",
      type: NOOP_TYPE,
      program: noops,
      env: skip,
    },
    {
      row: "B3d",
      label: "CustomCsr, PULUMI_SKIP_CHECKPOINTS=true (diagnostic)",
      type: CUSTOM_CSR_TYPE,
      program: customCsrs,
      env: skip,
      floor: "B3e",
    },
  ];
  const results = Object.fromEntries(variants.map((v) => [v.row, []]));
  try {
    // Alternate the variants so a slower phase of the machine hits them all alike.
    for (let run = 0; run < runs; run++) {
      for (const variant of variants) {
        const stackName = `${variant.row.toLowerCase()}-${run}`;
        const result = await measureUp({ sandbox, command, emulator, stackName, ...variant });
        results[variant.row].push(result);
        if (padBytes === 0 && results.B3a.length > 0)
          padBytes = Math.round(results.B3a[0].stateBytes - results.B3b[0].stateBytes);
        process.stderr.write(
          `  ${variant.row} run ${run + 1}: ${seconds(result.wallMs)}, ${result.requests} requests\n`,
        );
      }
    }
  } finally {
    sandbox.dispose();
    await emulator.stop();
  }

  const m = Object.fromEntries(
    variants.map((v) => {
      const fields = ["wallMs", "requests", "stateBytes", "rsaStateBytes", "providerRssBytes"];
      return [v.row, Object.fromEntries(fields.map((f) => [f, medianOf(results[v.row], f)]))];
    }),
  );
  const ours = m.B3a;
  const floor = m.B3b;
  const rows = [...variants]
    .sort((a, b) => a.row.localeCompare(b.row))
    .map((v) => ({
      id: v.row,
      case: `pulumi up: ${v.label}`,
      runs: String(results[v.row].length),
      time: seconds(m[v.row].wallMs),
      ratio:
        v.floor === undefined
          ? `1.00x (${v.row === "B3b" ? "floor" : "base"})`
          : `${ratio(m[v.row].wallMs, m[v.floor].wallMs)} ${v.floor === "B3b" ? "floor" : v.floor}`,
      requests: String(m[v.row].requests),
      rss: `${mib(m[v.row].providerRssBytes)} (provider)`,
      state: kib(m[v.row].stateBytes),
    }));
  const perResourceMs = (ours.wallMs - floor.wallMs) / COUNT;
  const notes = [
    `B3 setup: ${COUNT} resources, no added latency, Cloudflare's rate limit (1200 / 300 s), the engine's default parallelism; ` +
      `wall time of \`pulumi up\` alone (Automation API, inline program, file backend); state = JSON of one resource in ` +
      `\`pulumi stack export\`; RSS = VmHWM of the dynamic provider process. ` +
      `CustomCsr adds ${perResourceMs.toFixed(1)} ms per resource over the floor with checkpoints, ` +
      `${((m.B3d.wallMs - m.B3e.wallMs) / COUNT).toFixed(1)} ms without.`,
    `B3 no-op resources padded to CustomCsr's state size (B3c) take ${Math.round((100 * m.B3c.wallMs) / ours.wallMs)}% of CustomCsr's time: ` +
      `the file backend writes the whole checkpoint after every step, so state size drives the engine's time.`,
  ];
  const targets = [
    {
      row: "B3a",
      target: "B3: pulumi up within 1.3x of the engine floor",
      measured: `${seconds(ours.wallMs)} vs ${seconds(floor.wallMs)} = ${ratio(ours.wallMs, floor.wallMs)}`,
      pass: ours.wallMs <= 1.3 * floor.wallMs,
    },
    {
      row: "B3a",
      target: "B3: at most 3.5 KiB of exported state per CustomCsr (median over RSA-2048 and P-256)",
      measured: kib(ours.stateBytes),
      pass: ours.stateBytes <= 3.5 * 1024,
    },
    {
      row: "B3a",
      target: "B3: at most 3.5 KiB of exported state per RSA-2048 CustomCsr",
      measured: kib(ours.rsaStateBytes),
      pass: ours.rsaStateBytes <= 3.5 * 1024,
    },
    {
      row: "B3a",
      target: "B3: dynamic provider process at most 200 MiB peak RSS",
      measured: mib(ours.providerRssBytes),
      pass: ours.providerRssBytes <= 200 * 2 ** 20,
    },
  ];
  return { rows, notes, targets };
}

module.exports = { runB3 };
