"use strict";
// What a first-sight lookup allocates: B1g's lookups (a fresh process looks one other CSR up 20 times, then 100 CSRs
// with a key each, once each) under V8's sampling heap profiler, for each contender, in a plain process and in one
// that has loaded @pulumi/pulumi first (as a Pulumi program has).
//
//   node bench/first-sight-allocation.js [--runs 3] [--sources 8]     after `npm run build`; about a minute
//
// Prints KiB allocated per lookup (the median of the runs, a fresh process each), then the largest sources of the
// main entry's and the SDK's allocations in the last plain run. A diagnostic for docs/performance.md: on a shared
// machine allocation costs wall time out of proportion to its CPU, and more so once Pulumi has grown V8's young
// generation.

const { runInChild } = require("./child");
const { startSeededEmulator } = require("./emulator");
const { medianOf } = require("./stats");

const CONTENDERS = [
  ["bareHttp", "bare node:http GET"],
  ["unverified", "our HTTP client"],
  ["plain", "the plain entry (/lookup)"],
  ["shipped", "the main entry"],
  ["officialSdk", "official SDK (customCsrs.get)"],
];

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main() {
  const runs = option("--runs", 3);
  const shown = option("--sources", 8);
  const count = 100;
  const { emulator, target, csrs } = await startSeededEmulator({ count: count + 1, keyPoolSize: count + 1 });
  try {
    const [warmId, ...ids] = csrs.map((csr) => csr.id);
    const totals = new Map();
    const lastSources = new Map();
    for (let run = 0; run < runs; run++) {
      for (const loadPulumi of [false, true]) {
        for (const [contender] of CONTENDERS) {
          const result = await runInChild({ kind: "allocation", target, contender, ids, warmId, loadPulumi });
          const key = `${contender} ${loadPulumi}`;
          totals.set(key, [...(totals.get(key) ?? []), result]);
          if (!loadPulumi) lastSources.set(contender, result.sources);
        }
      }
    }
    const kib = (results) => `${medianOf(results, "totalKiB").toFixed(1)} KiB`;
    console.log(`KiB allocated per first-sight lookup (${count} CSRs after 20 warm-ups), median of ${runs} processes`);
    console.log(`${"".padEnd(34)} ${"plain process".padStart(14)} ${"Pulumi loaded".padStart(14)}`);
    for (const [contender, label] of CONTENDERS) {
      const plain = kib(totals.get(`${contender} false`));
      const withPulumi = kib(totals.get(`${contender} true`));
      console.log(`${label.padEnd(34)} ${plain.padStart(14)} ${withPulumi.padStart(14)}`);
    }
    for (const contender of ["shipped", "officialSdk"]) {
      console.log(`\nlargest sources, ${contender} (KiB per lookup):`);
      for (const [source, value] of lastSources.get(contender).slice(0, shown)) {
        console.log(`${value.toFixed(2).padStart(8)}  ${source}`);
      }
    }
  } finally {
    await emulator.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
