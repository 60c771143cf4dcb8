"use strict";
// B5: the event loop under hostile or large input. A Pulumi provider process serves every resource of a stack on one
// event loop, so one long synchronous stretch stalls every other call, timer and socket. Measured in a child process
// with perf_hooks.monitorEventLoopDelay (10 ms resolution): the longest stall while
// - B5a listing 10,000 CSRs of one account with getCustomCsrs (200 pages, every record verified);
// - B5b reading one worst-case page: ~7 MiB of 400 CSRs, each with 150 SANs of ~40 characters, all verified;
// and B5c the time to refuse 64 KiB of `-----BEGIN X-----` lines with no END (a quadratic scan took ~90 ms).

const http = require("node:http");
const { runInChild } = require("./child");
const { startEmulator } = require("../dist/src/emulator");
const { CsrFactory } = require("../dist/src/emulator/csr-factory");
const { medianOf, ms } = require("./stats");

const UNLIMITED = { limit: 1_000_000, windowSeconds: 300 };
const TARGET_MS = 100;
const SUBJECT = { country: "US", state: "California", locality: "San Francisco", organization: "Bench" };

/** An emulator holding `count` P-256 CSRs of its default account (a small key pool keeps seeding to seconds). */
async function seededEmulator(count) {
  const emulator = await startEmulator({ keyPoolSize: 4, rateLimit: UNLIMITED });
  const scope = { accountId: emulator.accountId };
  for (let start = 0; start < count; start += 1000) {
    const inputs = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
      const name = `host${start + k}.loop.acme.dev`;
      return { ...SUBJECT, common_name: name, sans: [name], key_type: "p256v1" };
    });
    await emulator.seedMany(scope, inputs);
  }
  return emulator;
}

/** A loopback server answering every list request with one page of `records` (the worst case for one response). */
async function worstCasePageServer(count) {
  const factory = new CsrFactory(4);
  const records = [];
  for (let i = 0; i < count; i++) {
    const sans = Array.from({ length: 150 }, (_, k) => `s${k}-${"x".repeat(24)}.r${i}.loop.acme.dev`);
    const { pem } = await factory.generate({ ...SUBJECT, common_name: sans[0] }, sans, "p256v1");
    records.push({
      id: `csr-${i}`,
      created_at: "2026-11-27T14:06:08Z",
      key_type: "p256v1",
      csr: pem,
      common_name: sans[0],
      sans,
    });
  }
  const info = { page: 1, per_page: count, count, total_count: count, total_pages: 1 };
  const body = Buffer.from(
    JSON.stringify({ success: true, errors: [], messages: [], result: records, result_info: info }),
  );
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}/client/v4`;
  return { baseUrl, bytes: body.length, stop: () => new Promise((resolve) => server.close(resolve)) };
}

async function runB5({ quick }) {
  const runs = quick ? 1 : 3;
  const count = quick ? 2000 : 10_000;
  const emulator = await seededEmulator(count);
  const pageRecords = quick ? 100 : 400;
  const page = await worstCasePageServer(pageRecords);
  const list = [];
  const worst = [];
  let scan;
  try {
    const target = { baseUrl: emulator.baseUrl, token: emulator.token, accountId: emulator.accountId };
    for (let run = 0; run < runs; run++) {
      list.push(
        await runInChild({
          kind: "loopDelay",
          baseUrl: target.baseUrl,
          token: target.token,
          accountId: target.accountId,
          expect: count,
        }),
      );
      worst.push(
        await runInChild({
          kind: "loopDelay",
          baseUrl: page.baseUrl,
          token: "bench-token-123456",
          accountId: emulator.accountId,
          expect: pageRecords,
        }),
      );
    }
    scan = await runInChild({ kind: "pemScan", bytes: 64 * 1024 });
  } finally {
    await page.stop();
    await emulator.stop();
  }
  const maxOf = (results) => Math.max(...results.map((r) => r.maxDelayMs));
  const rows = [
    {
      id: "B5a",
      case: `event-loop stall: getCustomCsrs of ${count.toLocaleString("en")} CSRs`,
      runs: String(runs),
      time: ms(medianOf(list, "wallMs")),
      ratio: `max stall ${ms(maxOf(list))}`,
    },
    {
      id: "B5b",
      case: `event-loop stall: one worst-case page (${(page.bytes / 1048576).toFixed(1)} MiB, 150 SANs a CSR)`,
      runs: String(runs),
      time: ms(medianOf(worst, "wallMs")),
      ratio: `max stall ${ms(maxOf(worst))}`,
    },
    { id: "B5c", case: "refusing 64 KiB of '-----BEGIN X-----' without END", runs: "1", time: ms(scan.ms) },
  ];
  const notes = [
    "B5 setup: each case in a fresh child process; `max stall` is the largest event-loop delay that " +
      "perf_hooks.monitorEventLoopDelay (10 ms resolution) saw during the whole call, page transfers included.",
  ];
  const targets = [
    {
      row: "B5a",
      target: `B5: listing ${count.toLocaleString("en")} CSRs never stalls the event loop over ${TARGET_MS} ms`,
      measured: `max ${ms(maxOf(list))}`,
      pass: maxOf(list) <= TARGET_MS,
    },
    {
      row: "B5b",
      target: `B5: a worst-case 8 MiB-class page never stalls the event loop over ${TARGET_MS} ms`,
      measured: `max ${ms(maxOf(worst))}`,
      pass: maxOf(worst) <= TARGET_MS,
    },
    {
      row: "B5c",
      target: "B5: a hostile 64 KiB PEM run is refused in under 5 ms (linear scan)",
      measured: ms(scan.ms),
      pass: scan.ms < 5,
    },
  ];
  return { rows, notes, targets };
}

module.exports = { runB5 };
