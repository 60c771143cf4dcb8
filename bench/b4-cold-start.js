"use strict";
// B4: cold start. One lookup from process start to exit, as a shell script or CI step runs it: our CLI, a
// one-lookup script through the plain-lookup entry, and the same lookup as a `node -e` one-liner with the official
// SDK. Each is a fresh `node` process; the cases alternate so load on the machine hits them alike.

const { execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { promisify } = require("node:util");
const { linkProgramModules } = require("../scripts/program-modules");
const { startSeededEmulator } = require("./emulator");
const { medianOf, ratio, ms } = require("./stats");

const REPO = path.join(__dirname, "..");
const CLI = path.join(REPO, "dist", "src", "cli", "main.js");
const COUNT_PULUMI_MODULES = path.join(__dirname, "count-pulumi-modules.js");

function cases(target, id) {
  const args = JSON.stringify({ customCsrId: id, accountId: target.accountId });
  const lookupVia = (entry) => `require("${entry}").getCustomCsr(${args}).then((c) => console.log(c.customCsrId))`;
  const cli = [CLI, "get", id, "--account", target.accountId, "--json"];
  return [
    { row: "B4a", label: "custom-csr get <id> --json", args: cli },
    {
      row: "B4b",
      label: "one-lookup script, plain entry (pulumi-cloudflare-custom-csr/lookup)",
      args: ["-e", lookupVia("pulumi-cloudflare-custom-csr/lookup")],
    },
    {
      row: "B4c",
      label: "node -e one-liner, official SDK (customCsrs.get, unverified)",
      args: [
        "-e",
        'const C = require("cloudflare").default; new C({ apiToken: process.env.CLOUDFLARE_API_TOKEN, ' +
          `baseURL: process.env.CLOUDFLARE_BASE_URL }).customCsrs.get(${JSON.stringify(id)}, ` +
          `{ account_id: ${JSON.stringify(target.accountId)} }).then((c) => console.log(c.id))`,
      ],
    },
    {
      row: "B4d",
      label: "one-lookup script, main entry (diagnostic)",
      args: ["-e", lookupVia("pulumi-cloudflare-custom-csr")],
    },
  ];
}

/** Runs one case to completion in `cwd`; the printed id proves the lookup happened. */
async function timeOnce(c, env, id, cwd) {
  const started = process.hrtime.bigint();
  const { stdout } = await promisify(execFile)(process.execPath, c.args, { cwd, env });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (!stdout.includes(id)) throw new Error(`B4 ${c.row} printed ${stdout.slice(0, 200)}`);
  return { wallMs };
}

async function runB4({ quick }) {
  const runs = quick ? 3 : 11;
  const { emulator, target, csrs } = await startSeededEmulator({ count: 2 });
  const id = csrs[0].id;
  // Only what a user's shell would hold: the credential and the endpoint, nothing from this process.
  const env = { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: target.token, CLOUDFLARE_BASE_URL: target.baseUrl };
  const all = cases(target, id);
  const results = Object.fromEntries(all.map((c) => [c.row, []]));
  let pulumiModules;
  // The scripts run where a user's would: a directory whose node_modules has the package installed (linked).
  const program = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-bench-b4-"));
  linkProgramModules(program);
  try {
    for (let run = 0; run < runs; run++) for (const c of all) results[c.row].push(await timeOnce(c, env, id, program));
    const counting = ["--require", COUNT_PULUMI_MODULES, ...all[0].args];
    const { stderr } = await promisify(execFile)(process.execPath, counting, { cwd: program, env });
    pulumiModules = Number(/pulumi-modules=(\d+)/.exec(stderr)?.[1] ?? NaN);
  } finally {
    fs.rmSync(program, { recursive: true, force: true });
    await emulator.stop();
  }
  const m = Object.fromEntries(all.map((c) => [c.row, medianOf(results[c.row], "wallMs")]));
  const rows = all.map((c) => ({
    id: c.row,
    case: `cold start: ${c.label}`,
    runs: String(runs),
    time: ms(m[c.row]),
    ratio: c.row === "B4c" ? "1.00x (SDK)" : `${ratio(m[c.row], m.B4c)} SDK`,
  }));
  const notes = [
    "B4 setup: one lookup per fresh `node` process, from spawn to exit (module loading included), credential and " +
      "endpoint from CLOUDFLARE_API_TOKEN / CLOUDFLARE_BASE_URL; cases alternate; median of the runs.",
  ];
  const targets = [
    {
      row: "B4a",
      target: "B4: custom-csr get --json no slower than the official SDK one-liner (median)",
      measured: `${ms(m.B4a)} vs ${ms(m.B4c)} = ${ratio(m.B4a, m.B4c)}`,
      pass: m.B4a <= m.B4c,
    },
    {
      row: "B4b",
      target: "B4: plain-entry script no slower than the official SDK one-liner (median)",
      measured: `${ms(m.B4b)} vs ${ms(m.B4c)} = ${ratio(m.B4b, m.B4c)}`,
      pass: m.B4b <= m.B4c,
    },
    {
      target: "B4: custom-csr get loads no @pulumi/* module (only `drift` does)",
      measured: `${pulumiModules} @pulumi modules loaded`,
      pass: pulumiModules === 0,
    },
  ];
  return { rows, notes, targets };
}

module.exports = { runB4 };
