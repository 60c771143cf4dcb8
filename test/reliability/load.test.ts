/**
 * Load: 2,000 concurrent lookups against the emulator while 1 % of its requests, drawn at random (seeded), meet a
 * fault. Every lookup must settle; each either resolves to exactly its own CSR or fails with a typed error, and only
 * when one of its requests met a fault that must not be retried. Prints the figures and the peak RSS.
 */
import type * as pulumi from "@pulumi/pulumi";
import { getCustomCsr } from "../../sdk";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import {
  startEmulator,
  type CloudflareEmulator,
  type CreateCsrInput,
  type CsrScope,
  type Fault,
} from "../../src/emulator";
import { CloudflareApiError, CsrVerificationError, InvalidCustomCsrArgsError } from "../../src/errors";
import { resolveClientConfig } from "../../src/lookup/connection-settings";
import type { CustomCsrResult } from "../../src/public-types";
import { LookupSession } from "../../src/lookup/session";
import { provider, UNKNOWN } from "../../src/provider/runtime";

/** The CustomCsr provider as the engine calls it, and the marker of an unknown input. */
const runtime = { ...provider, UNKNOWN };
import { isolateCloudflareEnv, MARKER_TOKEN } from "../support/emulator";
import { watchUnhandledRejections } from "./support/unhandled-rejections";

jest.setTimeout(300_000);
isolateCloudflareEnv();

const LOOKUPS = 2_000;
const FAULT_RATE = 0.01;
/** Longest a whole run may take before unsettled lookups count as lost. */
const DEADLINE_MS = 120_000;

const hex = (prefix: string, n: number) => `${prefix}${String(n).padStart(32 - prefix.length, "0")}`;
const ACCOUNTS = [1, 2, 3, 4].map((n) => hex("acc", n));
const ZONES = [1, 2, 3, 4].map((n) => hex("2011e", n));
const SCOPES: CsrScope[] = [...ACCOUNTS.map((accountId) => ({ accountId })), ...ZONES.map((zoneId) => ({ zoneId }))];

/** Every fault the emulator has, except those whose retry waits longer than a load test should. */
const FAULTS: Fault[] = [
  { kind: "rate-limit", retryAfterSeconds: 1 },
  { kind: "server-error", status: 500 },
  { kind: "server-error", status: 503 },
  { kind: "html-502" },
  { kind: "reset" },
  { kind: "hang" },
  { kind: "truncated-json" },
  { kind: "success-false" },
];
/** The one fault above that the client must not retry (HTTP 200 with `success: false` is a final answer). */
const FINAL_FAULT = "success-false";

interface Target {
  csr: ApiCustomCsr;
  scope: CsrScope;
}

interface Figures {
  variant: string;
  ok: number;
  typedFailures: number;
  lost: number;
  duplicated: number;
  requests: number;
  faulted: number;
  seconds: number;
  /** Resident set size right after the run, MiB. */
  rssMiB: number;
}

/**
 * Deadline of one attempt. Not shorter: verifying a burst of hundreds of PEMs keeps the event loop busy for a second or
 * more, and a per-attempt timer that fires meanwhile would retry requests the emulator had answered in time.
 */
const TIMEOUT_MS = 5_000;

let emulator: CloudflareEmulator;
let targets: Target[];
const figures: Figures[] = [];
let unhandled: ReturnType<typeof watchUnhandledRejections>;
let seededRssMiB = 0;

beforeAll(async () => {
  unhandled = watchUnhandledRejections();
  emulator = await startEmulator({
    tokens: [MARKER_TOKEN],
    accounts: ACCOUNTS,
    zones: ZONES,
    keyPoolSize: 2,
    // The client's own limiter keeps to Cloudflare's budget; here the point is faults, not the quota.
    rateLimit: { limit: 1_000_000, windowSeconds: 300 },
  });
  const perScope = LOOKUPS / SCOPES.length;
  targets = [];
  for (const [s, scope] of SCOPES.entries()) {
    const inputs = Array.from({ length: perScope }, (_, i): CreateCsrInput => {
      const cn = `csr-${s}-${i}.load.example.dev`;
      return {
        common_name: cn,
        sans: [cn],
        country: "US",
        state: "Texas",
        locality: "Austin",
        organization: "Load",
        key_type: i % 4 === 0 ? "p256v1" : "rsa2048",
      };
    });
    for (const csr of await emulator.seedMany(scope, inputs)) targets.push({ csr, scope });
  }
  seededRssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
});

afterAll(async () => {
  await emulator?.stop();
  unhandled.stop();
  const peakMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const lines = figures.map(
    (f) =>
      `  ${f.variant}: ${f.ok} ok, ${f.typedFailures} typed failures, ${f.lost} lost, ${f.duplicated} duplicated, ` +
      `${f.requests} requests (${f.faulted} faulted), ${f.seconds.toFixed(1)} s, RSS after ${f.rssMiB} MiB`,
  );
  console.log(
    `load: ${LOOKUPS} concurrent lookups per variant, ${FAULT_RATE * 100} % random faults\n${lines.join("\n")}\n  RSS after seeding ${seededRssMiB} MiB, peak RSS (maxRSS of this process) ${peakMiB} MiB`,
  );
  expect(unhandled.reasons).toEqual([]);
});

const isTypedError = (error: unknown) =>
  error instanceof CloudflareApiError ||
  error instanceof InvalidCustomCsrArgsError ||
  error instanceof CsrVerificationError;

/**
 * Starts every lookup at once, waits for all of them (or the deadline), checks each outcome against the emulator's
 * record and returns the figures. `lookup` returns the id and PEM it got back.
 */
async function run(
  variant: string,
  seed: number,
  faults: Fault[],
  lookup: (target: Target) => Promise<{ customCsrId: string; pem: string }>,
): Promise<Figures> {
  emulator.clearRequests();
  emulator.setRandomFaults({ rate: FAULT_RATE, kinds: faults, seed });
  const started = Date.now();
  const outcomes: (
    { ok: true; value: { customCsrId: string; pem: string } } | { ok: false; error: unknown } | undefined
  )[] = Array(targets.length);
  const all = targets.map((target, i) =>
    lookup(target).then(
      (value) => void (outcomes[i] = { ok: true, value }),
      (error: unknown) => void (outcomes[i] = { ok: false, error }),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(all), new Promise((resolve) => (timer = setTimeout(resolve, DEADLINE_MS)))]);
  clearTimeout(timer);
  emulator.setRandomFaults(undefined);
  const seconds = (Date.now() - started) / 1000;

  const requests = emulator.requests;
  /** Ids whose own GET met a fault that ends the lookup. */
  const finallyFaulted = new Set(
    requests
      .filter((r) => r.faultApplied === FINAL_FAULT)
      .map((r) => decodeURIComponent(r.path.split("/").pop() as string)),
  );
  const seen = new Set<string>();
  const rssMiB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const faulted = requests.filter((r) => r.faultApplied !== undefined).length;
  const result: Figures = {
    variant,
    ok: 0,
    typedFailures: 0,
    lost: 0,
    duplicated: 0,
    requests: requests.length,
    faulted,
    seconds,
    rssMiB,
  };
  const problems: string[] = [];
  for (const [i, outcome] of Array.from(outcomes).entries()) {
    const { csr } = targets[i];
    if (outcome === undefined) {
      result.lost++;
    } else if (outcome.ok) {
      const { customCsrId, pem } = outcome.value;
      if (customCsrId !== csr.id || pem !== csr.csr || seen.has(customCsrId)) result.duplicated++;
      else result.ok++;
      seen.add(customCsrId);
    } else if (isTypedError(outcome.error)) {
      result.typedFailures++;
      if (!finallyFaulted.has(csr.id))
        problems.push(`${csr.id} failed without a final fault: ${(outcome.error as Error).message}`);
    } else {
      problems.push(`${csr.id} failed with an untyped error: ${String(outcome.error)}`);
    }
  }
  figures.push(result);
  expect(problems).toEqual([]);
  return result;
}

/** None lost, none answered with another CSR; `run` has already checked that every failure is typed and earned. */
function expectSound(f: Figures): void {
  expect(f.lost).toBe(0);
  expect(f.duplicated).toBe(0);
  expect(f.ok + f.typedFailures).toBe(LOOKUPS);
}

const pick = (result: CustomCsrResult) => ({ customCsrId: result.customCsrId, pem: result.pem });

test("getCustomCsr: 2,000 concurrent lookups, batched through the list endpoint, all settle correctly", async () => {
  const options = { apiToken: MARKER_TOKEN, baseUrl: emulator.baseUrl, timeoutMs: TIMEOUT_MS };
  const load = await run("getCustomCsr, batched", 101, FAULTS, async ({ csr, scope }) =>
    pick(await getCustomCsr({ customCsrId: csr.id, ...scope }, options)),
  );
  expectSound(load);
  // About one list page of 50 per 50 lookups, instead of 2,000 GETs.
  expect(load.requests).toBeLessThan(LOOKUPS / 10);
});

test("LookupSession without batching: 2,000 concurrent GETs meet about 20 faults, and every lookup settles correctly", async () => {
  const session = new LookupSession({ resultTtlMs: 0, batching: false });
  const config = resolveClientConfig({ apiToken: MARKER_TOKEN, baseUrl: emulator.baseUrl, timeoutMs: TIMEOUT_MS });
  const load = await run("LookupSession, unbatched", 202, FAULTS, async ({ csr, scope }) =>
    pick(await session.lookup({ customCsrId: csr.id, scope }, config)),
  );
  expectSound(load);
  expect(load.requests).toBeGreaterThanOrEqual(LOOKUPS);
  expect(load.faulted).toBeGreaterThan(0);
});

test("provider create: 2,000 concurrent creates in one provider process all settle correctly", async () => {
  const values: Record<string, string> = {
    "cloudflare:apiToken": MARKER_TOKEN,
    "cloudflare:baseUrl": emulator.baseUrl,
  };
  const config = { get: (key: string) => values[key], require: (key: string) => values[key] };
  await runtime.configure({ config } as unknown as pulumi.dynamic.ConfigureRequest);
  // The provider takes its timeout from the defaults (30 s), so a hang would only make this test slow.
  const faults = FAULTS.filter((fault) => fault.kind !== "hang");
  // Batching leaves about 40 requests; this seed's draws put two faults (a 429 and a 502 page) among them.
  const load = await run("provider create", 319, faults, async ({ csr, scope }) => {
    const { id, outs } = await runtime.create({ customCsrId: csr.id, ...scope });
    if (outs.customCsrId !== id)
      throw new Error(`create returned id ${id} with outputs of ${String(outs.customCsrId)}`);
    return { customCsrId: id, pem: outs.pem as string };
  });
  expectSound(load);
});
