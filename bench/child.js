"use strict";
// Runs one measurement in a fresh Node process, so that its timings are not disturbed by the emulator (which
// stays in the parent) and `process.resourceUsage().maxRSS` is the peak of that measurement alone.
//
// Parent side: runInChild(job) -> the child's result. Child side: `node bench/child.js`, started by fork(),
// receives the job over IPC, replies once and exits.

const { fork } = require("node:child_process");
const { contenders } = require("./contenders");

/** Extra Node flags for children, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] (see run.js --profile). */
const childExecArgv = [];

/** Starts a child, sends it `job` and resolves with what it answers; rejects if it fails or exits silently. */
function runInChild(job) {
  return new Promise((resolve, reject) => {
    // --expose-gc: the latency loop collects garbage between timed loops, so one contender's garbage is not
    // collected on the next one's time.
    const child = fork(__filename, [], { execArgv: ["--expose-gc", ...childExecArgv], serialization: "advanced" });
    let answer;
    child.once("message", (message) => (answer = message));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (answer === undefined) reject(new Error(`bench child for ${job.kind} exited with code ${code} and no result`));
      else if (answer.error !== undefined) reject(new Error(`bench child for ${job.kind} failed: ${answer.error}`));
      else resolve(answer.result);
    });
    child.send(job);
  });
}

/**
 * B1: sequential lookups, one at a time, for each case in turn. The order of the cases rotates every run so
 * that none always runs first (right after a GC) or last.
 * Result: per case label and run, the mean wall and CPU milliseconds per lookup. CPU time is this process's
 * own work, which other load on the machine inflates far less than the wall time.
 */
async function latency({ target, cases, runs, lookups, warmup }) {
  const prepared = cases.map((c) => ({ ...c, lookup: contenders[c.contender](target) }));
  for (const c of prepared) {
    for (let i = 0; i < warmup; i++) {
      const result = await c.lookup(c.id);
      const id = result.customCsrId ?? result.id;
      if (id !== c.id) throw new Error(`${c.label} returned ${JSON.stringify(result).slice(0, 200)} for ${c.id}`);
    }
  }
  const perRun = Object.fromEntries(prepared.map((c) => [c.label, []]));
  for (let run = 0; run < runs; run++) {
    for (let k = 0; k < prepared.length; k++) {
      const c = prepared[(run + k) % prepared.length];
      global.gc();
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      for (let i = 0; i < lookups; i++) await c.lookup(c.id);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const { user, system } = process.cpuUsage(cpu);
      perRun[c.label].push({ wallMs: wallMs / lookups, cpuMs: (user + system) / 1000 / lookups });
    }
  }
  return perRun;
}

/**
 * B2: every id at once with Promise.all, as a program that needs them all would write it. The wall time starts
 * after the contender's modules are loaded (their cost shows in peak RSS, not in the wall time).
 */
async function many({ target, contender, ids }) {
  const lookup = contenders[contender](target);
  // The peak so far is what loading the contender's modules cost, before any lookup.
  const loadedRssBytes = process.resourceUsage().maxRSS * 1024;
  const errors = new Map();
  const started = process.hrtime.bigint();
  const outcomes = await Promise.all(
    ids.map((id) =>
      lookup(id).then(
        () => true,
        (error) => {
          const message = String(error?.message ?? error).slice(0, 160);
          errors.set(message, (errors.get(message) ?? 0) + 1);
          return false;
        },
      ),
    ),
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const failed = outcomes.filter((ok) => !ok).length;
  return { wallMs, failed, errors: [...errors], loadedRssBytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}

/**
 * B1, first sight: a fresh process looks one other CSR up 20 times (so module loading, the first connection and
 * the JIT are behind it, as in a program that has run a few lookups), then each id once, one at a time, as a
 * script that needs many different CSRs would. No memo or cache can help with those. With `loadPulumi`, the
 * process loads `@pulumi/pulumi` first, as a Pulumi program has.
 */
async function distinct({ target, contender, ids, warmId, loadPulumi }) {
  if (loadPulumi) require("@pulumi/pulumi");
  const lookup = contenders[contender](target);
  for (let i = 0; i < 20; i++) await lookup(warmId);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const id of ids) await lookup(id);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const { user, system } = process.cpuUsage(cpu);
  return { wallMs: wallMs / ids.length, cpuMs: (user + system) / 1000 / ids.length };
}

/**
 * B1g's lookups under V8's sampling heap profiler: the bytes a first-sight lookup allocates (objects collected since
 * included), in all and by where they were allocated (a package under node_modules by its name, else the file).
 */
async function allocation({ target, contender, ids, warmId, loadPulumi }) {
  if (loadPulumi) require("@pulumi/pulumi");
  const inspector = require("node:inspector");
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  const lookup = contenders[contender](target);
  for (let i = 0; i < 20; i++) await lookup(warmId);
  await post("HeapProfiler.startSampling", {
    samplingInterval: 128,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (const id of ids) await lookup(id);
  const { profile } = await post("HeapProfiler.stopSampling");
  session.disconnect();
  const bySource = new Map();
  // A builtin (no url) is charged to the code that called it.
  const walk = (node, caller) => {
    const source = sourceOf(node.callFrame.url) ?? caller;
    bySource.set(source, (bySource.get(source) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, source);
  };
  walk(profile.head, "(engine)");
  const kib = (bytes) => bytes / ids.length / 1024;
  const total = [...bySource.values()].reduce((sum, bytes) => sum + bytes, 0);
  const sources = [...bySource].sort((a, b) => b[1] - a[1]).map(([source, bytes]) => [source, kib(bytes)]);
  return { totalKiB: kib(total), sources };
}

function sourceOf(url) {
  if (!url) return undefined;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return pkg ? pkg[1] : url.replace(/^file:\/\//, "").replace(/^.*\/dist\//, "dist/");
}

/**
 * B1, verification alone, per key type, in CPU milliseconds per CSR (the work is synchronous, and other load on a
 * shared machine inflates wall time far more than CPU time):
 * - `cold`: decoding and signature-checking PEMs this fresh process has never seen, each once;
 * - `warm`: the same PEMs again through the decoder, which keeps no memo (JIT warm, nothing cached);
 * - `memo`: `verifyCustomCsr` of a record it verified before, as every repeated lookup pays it.
 */
async function verifyCost({ target, ids }) {
  const { decodeCsrPem } = require("../dist/src/csr/decode");
  const { verifyCustomCsr } = require("../dist/src/csr/verify");
  const fetch = contenders.bareHttp(target);
  const records = [];
  for (const id of ids) records.push(await fetch(id));
  const cpuMs = async (times, work) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < times; i++) await work(i);
    const { user, system } = process.cpuUsage(cpu);
    return (user + system) / 1000 / times;
  };
  const cost = {};
  for (const keyType of [...new Set(records.map((r) => r.key_type))]) {
    const mine = records.filter((r) => r.key_type === keyType);
    const cold = await cpuMs(mine.length, (i) => decodeCsrPem(mine[i].csr));
    for (let round = 0; round < 20; round++) for (const r of mine) await decodeCsrPem(r.csr);
    const warm = await cpuMs(mine.length * 4, (i) => decodeCsrPem(mine[i % mine.length].csr));
    await verifyCustomCsr(mine[0]);
    const memo = await cpuMs(2000, () => verifyCustomCsr(mine[0]));
    cost[keyType] = { cold, warm, memo };
  }
  return cost;
}

/**
 * B5: the longest event-loop stall during one getCustomCsrs call (the whole call: pages, checks, verification), as
 * perf_hooks.monitorEventLoopDelay reports it, and the call's wall time.
 */
async function loopDelay({ baseUrl, token, accountId, expect }) {
  const { monitorEventLoopDelay } = require("node:perf_hooks");
  const { getCustomCsrs } = require("../dist/sdk/lookup");
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = process.hrtime.bigint();
  const results = await getCustomCsrs({ accountId }, { apiToken: token, baseUrl });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  histogram.disable();
  if (results.length !== expect) throw new Error(`getCustomCsrs returned ${results.length} CSRs, not ${expect}`);
  return { wallMs, maxDelayMs: histogram.max / 1e6 };
}

/** B5c: how long decodeCsrPem takes to refuse `bytes` of BEGIN lines that never end. */
function pemScan({ bytes }) {
  const { decodeCsrPem } = require("../dist/src/csr/decode");
  const text = "-----BEGIN X-----".repeat(Math.ceil(bytes / 17));
  const refused = (pem) => {
    try {
      decodeCsrPem(pem);
    } catch {
      // refused, as expected
    }
  };
  refused("x");
  const started = process.hrtime.bigint();
  refused(text);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

const jobs = { latency, many, distinct, allocation, verifyCost, loopDelay, pemScan };

if (require.main === module) {
  process.once("message", async (job) => {
    let reply;
    try {
      reply = { result: await jobs[job.kind](job) };
    } catch (error) {
      reply = { error: error?.stack ?? String(error) };
    }
    // Exit explicitly: keep-alive sockets would otherwise keep the child alive.
    process.send(reply, () => process.exit(0));
  });
}

module.exports = { runInChild, childExecArgv };
