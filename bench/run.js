"use strict";
// npm run bench: every benchmark (issues 5 and 10) against the package's emulator, printed as one Markdown table
// with the machine it ran on, each row's target as PASS or MISS, then every target in full.
//
//   node bench/run.js                 full run (about 8 to 10 minutes on 2 cores; B2's official-SDK and
//                                     unbatched variants wait out 30 s rate-limit windows)
//   node bench/run.js --quick         one or few repetitions of each, for a smoke run
//   node bench/run.js --only B1,B4    a subset (B1 latency, B2 many lookups, B3 engine, B4 cold start,
//                                     B5 event-loop stalls, B6 ACME orders against Pebble)
//   node bench/run.js --cpu-prof      also write CPU profiles of the B1/B2 child processes (path printed)
//
// Progress goes to stderr, the report to stdout. `npm run bench` builds dist/ and the Pulumi CLI first.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { childExecArgv } = require("./child");
const { describeMachine } = require("./machine");
const { renderTable } = require("./table");
const { seconds } = require("./stats");

// Loaded on demand: B3 alone pulls in @pulumi/pulumi and its Automation API.
const BENCHES = {
  B1: (options) => require("./b1-latency").runB1(options),
  B2: (options) => require("./b2-many").runB2(options),
  B3: (options) => require("./b3-engine").runB3(options),
  B4: (options) => require("./b4-cold-start").runB4(options),
  B5: (options) => require("./b5-event-loop").runB5(options),
  B6: (options) => require("./b6-acme").runB6(options),
};

const COLUMNS = [
  { key: "id", title: "row" },
  { key: "case", title: "case" },
  { key: "runs", title: "runs" },
  { key: "time", title: "median time" },
  { key: "ratio", title: "ratio" },
  { key: "requests", title: "requests" },
  { key: "throttled", title: "429s" },
  { key: "failed", title: "failed" },
  { key: "rss", title: "peak RSS" },
  { key: "state", title: "state / resource" },
  { key: "target", title: "target" },
];

function parseArgs(argv) {
  const options = { quick: false, only: Object.keys(BENCHES), cpuProf: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") options.quick = true;
    else if (arg === "--cpu-prof") options.cpuProf = true;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? (argv[++i] ?? "") : arg.slice("--only=".length);
      options.only = value
        .split(",")
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean);
      const unknown = options.only.filter((name) => !(name in BENCHES));
      if (unknown.length > 0 || options.only.length === 0)
        usage(`--only takes a list of ${Object.keys(BENCHES).join(", ")}`);
    } else usage(`unknown argument ${arg}`);
  }
  return options;
}

function usage(problem) {
  process.stderr.write(
    `bench: ${problem}\nusage: node bench/run.js [--quick] [--only B1,B2,B3,B4,B5,B6] [--cpu-prof]\n`,
  );
  process.exit(2);
}

/** The rows of every bench, each with PASS or MISS for the targets that name it. */
function withTargets(results) {
  const targets = results.flatMap((r) => r.targets);
  return results
    .flatMap((r) => r.rows)
    .map((row) => {
      const own = targets.filter((t) => t.row === row.id);
      return own.length === 0 ? row : { ...row, target: own.map((t) => (t.pass ? "PASS" : "MISS")).join(", ") };
    });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const machine = describeMachine();
  if (options.cpuProf) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-bench-prof-"));
    childExecArgv.push("--cpu-prof", `--cpu-prof-dir=${dir}`);
    process.stderr.write(`CPU profiles of the child processes go to ${dir}\n`);
  }

  const results = [];
  for (const name of options.only) {
    process.stderr.write(`${name}...\n`);
    const benchStarted = Date.now();
    results.push(await BENCHES[name](options));
    process.stderr.write(`${name} done in ${seconds(Date.now() - benchStarted)}\n`);
  }

  const version = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).version;
  const args = process.argv.slice(2).join(" ");
  const report = [
    `pulumi-cloudflare-custom-csr ${version} benchmark, against the package's emulator over loopback`,
    `Machine: ${machine}`,
    `Command: node bench/run.js${args === "" ? "" : ` ${args}`} (total ${seconds(Date.now() - started)}, load ${os.loadavg()[0].toFixed(2)} at end)`,
    "",
    renderTable(COLUMNS, withTargets(results)),
    "",
    ...results.flatMap((r) => r.notes),
    "",
    "Targets:",
    ...results.flatMap((r) => r.targets).map((t) => `- ${t.pass ? "PASS" : "MISS"}  ${t.target}: ${t.measured}`),
  ];
  process.stdout.write(`${report.join("\n")}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
