"use strict";
// Where a first-sight lookup's time goes, layer by layer: B1g's method (a fresh process looks one other CSR up 20
// times, then 100 CSRs with a key each, once each) for every layer from a bare GET to the main entry, and the SDK.
//
//   node bench/first-sight-layers.js [--runs 5]     after `npm run build`; about 2 minutes with 5 runs
//
// Prints, per layer, the median wall and CPU time per lookup over the runs (a fresh process each), and its ratio
// to the official SDK. A diagnostic for docs/performance.md, not one of npm run bench's targets.

const { runInChild } = require("./child");
const { startSeededEmulator } = require("./emulator");
const { medianOf, ms, ratio } = require("./stats");

const LAYERS = [
  ["bareHttp", "bare node:http GET"],
  ["axiosGet", "axios.get alone"],
  ["unverified", "our HTTP client"],
  ["clientDecode", "  + the PEM decoded"],
  ["clientVerify", "  + the rest of verification"],
  ["unbatched", "a LookupSession, no batching"],
  ["plain", "the plain entry (/lookup)"],
  ["shipped", "the main entry"],
  ["officialSdk", "official SDK (customCsrs.get)"],
];

async function main() {
  const at = process.argv.indexOf("--runs");
  const runs = at > 0 ? Number(process.argv[at + 1]) : 5;
  const count = 100;
  const { emulator, target, csrs } = await startSeededEmulator({ count: count + 1, keyPoolSize: count + 1 });
  try {
    const [warmId, ...ids] = csrs.map((csr) => csr.id);
    const results = Object.fromEntries(LAYERS.map(([contender]) => [contender, []]));
    for (let run = 0; run < runs; run++) {
      for (const [contender] of LAYERS) {
        results[contender].push(await runInChild({ kind: "distinct", target, contender, ids, warmId }));
      }
    }
    const sdk = medianOf(results.officialSdk, "wallMs");
    console.log(`first sight, ${count} CSRs with a key each after 20 warm-up lookups; median of ${runs} processes`);
    for (const [contender, label] of LAYERS) {
      const wall = medianOf(results[contender], "wallMs");
      const cpu = medianOf(results[contender], "cpuMs");
      console.log(`${label.padEnd(34)} ${ms(wall).padStart(10)} (CPU ${ms(cpu)})  ${ratio(wall, sdk)} SDK`);
    }
  } finally {
    await emulator.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
