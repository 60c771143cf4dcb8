import { execFile } from "node:child_process";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { getCustomCsr } from "../../sdk";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { startEmulator, type CloudflareEmulator, type Fault } from "../../src/emulator";
import {
  CloudflareApiError,
  CloudflareAuthError,
  CsrVerificationError,
  CustomCsrNotFoundError,
} from "../../src/errors";
import { provider, UNKNOWN } from "../../src/provider/runtime";

/** The CustomCsr provider as the engine calls it, and the marker of an unknown input. */
const runtime = { ...provider, UNKNOWN };
import { CustomCsr } from "../../sdk";
import { TIMEOUT_SETTING } from "../../src/lookup/connection-settings";
import { MARKER_TOKEN } from "../support/emulator";
import { commandText, createSandbox, inlineStack, REPO_ROOT, type Sandbox } from "../support/pulumi";

jest.setTimeout(600_000);

/**
 * The per-attempt deadline every entry point gets here, through the settings users have: `timeoutMs` for the
 * function, the stack config key for the provider, the environment variable for the CLI and the engine. It turns
 * each "hang" cell into a one-second wait instead of the default 30 s.
 */
const DEADLINE_MS = 1_000;

/**
 * Every fault the emulator can produce, crossed with every entry point: `getCustomCsr`, provider `create`,
 * provider `read` (a refresh of a resource read before), the CLI's `get`, and `pulumi refresh` under the
 * engine. The table below states the expected outcome of each fault; every cell is asserted.
 *
 * Outcomes: "ok" = retried where needed and succeeded with the right CSR; an error class = that typed error,
 * with a message matching `message`. For read and refresh: "ok" keeps the (refreshed) resource, "gone" removes
 * it (only a definitive not-found may), any error fails the refresh and keeps the resource in state.
 */
type Expected = { outcome: "ok" } | { outcome: "gone" } | { outcome: "error"; type: ErrorType; message: RegExp };
type ErrorType =
  typeof CloudflareApiError | typeof CloudflareAuthError | typeof CsrVerificationError | typeof CustomCsrNotFoundError;

interface FaultCase {
  readonly name: string;
  /** Arms the fault for requests about this CSR only (each case lives in its own account, so nothing batches). */
  readonly arm: (emulator: CloudflareEmulator, csr: ApiCustomCsr) => void;
  readonly expected: Expected;
}

const ok: Expected = { outcome: "ok" };
const fails = (type: ErrorType, message: RegExp): Expected => ({ outcome: "error", type, message });
const envelope = (result: unknown) => ({ success: true, errors: [], messages: [], result });
const only = (csr: ApiCustomCsr, count: number) => ({ pathIncludes: csr.id, count });
const respond = (emulator: CloudflareEmulator, csr: ApiCustomCsr, status: number, body: unknown) =>
  emulator.injectFault({ kind: "response", status, body }, only(csr, 50));
const transient =
  (fault: Fault, count = 1) =>
  (emulator: CloudflareEmulator, csr: ApiCustomCsr) =>
    emulator.injectFault(fault, only(csr, count));

const CASES: FaultCase[] = [
  { name: "429 with Retry-After", arm: transient({ kind: "rate-limit", retryAfterSeconds: 1 }), expected: ok },
  {
    name: "429 without Retry-After (budget spent, window resets in under 3 s)",
    arm: transient({ kind: "rate-limit" }),
    expected: ok,
  },
  { name: "500", arm: transient({ kind: "server-error", status: 500 }, 2), expected: ok },
  { name: "502 HTML page", arm: transient({ kind: "html-502" }, 2), expected: ok },
  { name: "503", arm: transient({ kind: "server-error", status: 503 }), expected: ok },
  { name: "connection reset", arm: transient({ kind: "reset" }, 2), expected: ok },
  { name: "hang past the per-attempt deadline", arm: transient({ kind: "hang" }), expected: ok },
  { name: "truncated JSON", arm: transient({ kind: "truncated-json" }), expected: ok },
  {
    name: "success:false with HTTP 200",
    arm: transient({ kind: "success-false" }, 50),
    expected: fails(CloudflareApiError, /failed: HTTP 200, code 1500/),
  },
  {
    name: "result missing csr",
    arm: (e, csr) => respond(e, csr, 200, envelope({ ...csr, csr: undefined })),
    expected: fails(CsrVerificationError, /Cloudflare returned no PEM/),
  },
  {
    name: "wrong types in result",
    arm: (e, csr) => respond(e, csr, 200, envelope({ ...csr, sans: "a.acme.dev", created_at: 17 })),
    expected: fails(
      CloudflareApiError,
      /cannot use: `created_at` is missing or not a non-empty string; `sans` is not a list of strings/,
    ),
  },
  {
    name: "a PEM that is not a CSR",
    arm: (e, csr) =>
      respond(
        e,
        csr,
        200,
        envelope({
          ...csr,
          csr: "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgY3Ny\n-----END CERTIFICATE REQUEST-----\n",
        }),
      ),
    expected: fails(CsrVerificationError, /the PEM does not parse/),
  },
  {
    name: "a PEM whose CN disagrees",
    arm: (e, csr) => respond(e, csr, 200, envelope({ ...csr, common_name: "other.acme.dev" })),
    expected: fails(CsrVerificationError, /common_name is "other\.acme\.dev" but the PEM's subject CN is/),
  },
  {
    name: "a PEM whose SANs disagree",
    arm: (e, csr) => respond(e, csr, 200, envelope({ ...csr, sans: [...(csr.sans ?? []), "extra.acme.dev"] })),
    expected: fails(CsrVerificationError, /SANs listed by the API but absent from the PEM: extra\.acme\.dev/),
  },
  {
    name: "404 with code 1419",
    arm: (e, csr) =>
      respond(e, csr, 404, {
        success: false,
        errors: [{ code: 1419, message: "The custom CSR was not found." }],
        messages: [],
        result: null,
      }),
    expected: { outcome: "gone" },
  },
  {
    name: "400 with codes 7003/7000",
    arm: (e, csr) =>
      respond(e, csr, 400, {
        success: false,
        errors: [
          {
            code: 7003,
            message: "Could not route to /accounts/x/custom_csrs, perhaps your object identifier is invalid?",
          },
          { code: 7000, message: "No route for that URI" },
        ],
        messages: [],
        result: null,
      }),
    expected: fails(CloudflareApiError, /account id "[0-9a-f]+" is probably wrong/),
  },
  {
    name: "403 with code 10000",
    arm: (e, csr) =>
      respond(e, csr, 403, {
        success: false,
        errors: [{ code: 10000, message: "Authentication error" }],
        messages: [],
        result: null,
      }),
    expected: fails(CloudflareAuthError, /SSL and Certificates Read/),
  },
];

/** What a plain lookup (function, create, CLI) must do: "gone" there means CustomCsrNotFoundError. */
function lookupExpectation(expected: Expected): Expected {
  return expected.outcome === "gone" ? fails(CustomCsrNotFoundError, /was not found in account/) : expected;
}

let emulator: CloudflareEmulator;
const csrs = new Map<string, ApiCustomCsr>();
const accounts = CASES.map((_, i) => (i + 1).toString(16).padStart(32, "a"));
const tally = { scenarios: 0, passed: 0 };

beforeAll(async () => {
  // A short rate-limit window, so a 429 whose headers say "budget spent" resets within seconds.
  emulator = await startEmulator({
    tokens: [MARKER_TOKEN],
    accounts,
    keyPoolSize: 2,
    rateLimit: { limit: 100_000, windowSeconds: 2 },
  });
  await Promise.all(
    CASES.map(async (c, i) => {
      const csr = await emulator.createCsr(
        { accountId: accounts[i] },
        {
          common_name: `f${i}.acme.dev`,
          sans: [`f${i}.acme.dev`],
          country: "US",
          state: "CA",
          locality: "SF",
          organization: "Faults",
          key_type: "p256v1",
        },
      );
      csrs.set(c.name, csr);
    }),
  );
  await configureProvider();
});
afterAll(async () => {
  console.log(`fault matrix: ${tally.scenarios} scenarios, ${tally.passed} pass`);
  await emulator.stop();
});

function configureProvider(): Promise<void> {
  const config: Record<string, string> = {
    "cloudflare:apiToken": MARKER_TOKEN,
    "cloudflare:baseUrl": emulator.baseUrl,
    [TIMEOUT_SETTING.configKey]: String(DEADLINE_MS),
  };
  return runtime.configure({ config: { get: (k: string) => config[k], require: () => "" } });
}

/** Arms every case's fault, runs `check` for every case at once (they live in separate accounts), disarms. */
async function acrossAllCases(
  check: (c: FaultCase, csr: ApiCustomCsr, accountId: string) => Promise<void>,
): Promise<void> {
  emulator.clearFaults();
  CASES.forEach((c) => c.arm(emulator, csrs.get(c.name) as ApiCustomCsr));
  const results = await Promise.allSettled(
    CASES.map((c, i) => count(() => check(c, csrs.get(c.name) as ApiCustomCsr, accounts[i]))),
  );
  emulator.clearFaults();
  const failures = results.flatMap((r, i) =>
    r.status === "rejected" ? [`${CASES[i].name}: ${(r.reason as Error).message}`] : [],
  );
  expect(failures).toEqual([]);
}

async function count(cell: () => Promise<void>): Promise<void> {
  tally.scenarios++;
  await cell();
  tally.passed++;
}

function assertLookup(
  expected: Expected,
  csr: ApiCustomCsr,
  outcome: { value?: { pem: string }; error?: unknown },
): void {
  const want = lookupExpectation(expected);
  if (want.outcome === "ok") {
    if (outcome.error !== undefined) throw new Error(`expected success, got ${String(outcome.error)}`);
    expect(outcome.value?.pem).toBe(csr.csr);
  } else if (want.outcome === "error") {
    expect(outcome.error).toBeInstanceOf(want.type);
    expect((outcome.error as Error).message).toMatch(want.message);
    expect((outcome.error as Error).message).not.toContain(MARKER_TOKEN);
  }
}

function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

describe("fault matrix", () => {
  it("getCustomCsr", () =>
    acrossAllCases(async (c, csr, accountId) => {
      assertLookup(
        c.expected,
        csr,
        await settle(
          getCustomCsr(
            { customCsrId: csr.id, accountId },
            { apiToken: MARKER_TOKEN, baseUrl: emulator.baseUrl, timeoutMs: DEADLINE_MS },
          ),
        ),
      );
    }));

  it("provider create", () =>
    acrossAllCases(async (c, csr, accountId) => {
      const outcome = await settle(runtime.create({ customCsrId: csr.id, accountId }));
      assertLookup(c.expected, csr, {
        value: outcome.value?.outs as { pem: string } | undefined,
        error: outcome.error,
      });
    }));

  it("provider read of a resource read before (refresh)", async () => {
    const prior = new Map<string, Record<string, unknown>>();
    for (const [i, c] of CASES.entries()) {
      const csr = csrs.get(c.name) as ApiCustomCsr;
      prior.set(
        c.name,
        (await runtime.create({ customCsrId: csr.id, accountId: accounts[i] })).outs as Record<string, unknown>,
      );
    }
    // A new deployment: nothing cached from the creates above.
    await configureProvider();
    await acrossAllCases(async (c, csr) => {
      const outcome = await settle(runtime.read(csr.id, prior.get(c.name)));
      if (c.expected.outcome === "ok") expect(outcome.value?.props).toMatchObject({ pem: csr.csr });
      else if (c.expected.outcome === "gone") expect(outcome.value).toEqual({});
      else {
        expect(outcome.error).toBeInstanceOf(c.expected.type);
        expect((outcome.error as Error).message).toMatch(c.expected.message);
      }
    });
  });

  it("the CLI's get", () =>
    acrossAllCases(async (c, csr, accountId) => {
      const { code, stdout, stderr } = await cli(["get", csr.id, "--account", accountId, "--pem"]);
      const want = lookupExpectation(c.expected);
      expect(`${stdout}${stderr}`).not.toContain(MARKER_TOKEN);
      if (want.outcome === "ok") {
        expect(stdout).toBe(csr.csr);
        expect(code).toBe(0);
      } else if (want.outcome === "error") {
        expect(stderr).toMatch(want.message);
        expect(code).toBe(want.type === CsrVerificationError ? 1 : 2);
      }
    }));

  describe("pulumi refresh under the engine", () => {
    let sandbox: Sandbox;
    let stack: Stack;

    beforeAll(async () => {
      sandbox = createSandbox({
        CLOUDFLARE_API_TOKEN: MARKER_TOKEN,
        CLOUDFLARE_BASE_URL: emulator.baseUrl,
        [TIMEOUT_SETTING.envVar]: String(DEADLINE_MS),
      });
      stack = await inlineStack(sandbox, async () => {
        CASES.forEach(
          (c, i) =>
            new CustomCsr(`case-${i}`, { customCsrId: (csrs.get(c.name) as ApiCustomCsr).id, accountId: accounts[i] }),
        );
      });
      await stack.up();
    });
    afterAll(() => sandbox.dispose());

    it.each(CASES.map((c, i) => [c.name, c, i] as const))("%s", async (_name, c, i) => {
      await count(async () => {
        const csr = csrs.get(c.name) as ApiCustomCsr;
        const urn = `urn:pulumi:${stack.name}::custom-csr-e2e::pulumi-nodejs:cloudflare:CustomCsr::case-${i}`;
        emulator.clearFaults();
        c.arm(emulator, csr);
        const outcome = await settle(stack.refresh({ target: [urn] }));
        emulator.clearFaults();
        const state = await stack.exportStack();
        const resource = state.deployment.resources.find((r: { urn: string }) => r.urn === urn);
        if (c.expected.outcome === "gone") {
          expect(outcome.error).toBeUndefined();
          expect(resource).toBeUndefined();
        } else {
          expect(resource?.id).toBe(csr.id);
          expect(resource?.outputs.pem).toBe(csr.csr);
          if (c.expected.outcome === "ok") expect(outcome.error).toBeUndefined();
          else {
            expect(outcome.error).toBeDefined();
            expect(commandText(outcome.error)).toMatch(c.expected.message);
          }
        }
      });
    });
  });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(REPO_ROOT, "dist/src/cli/main.js"), ...args],
      {
        env: {
          PATH: process.env.PATH,
          CLOUDFLARE_API_TOKEN: MARKER_TOKEN,
          CLOUDFLARE_BASE_URL: emulator.baseUrl,
          [TIMEOUT_SETTING.envVar]: String(DEADLINE_MS),
        },
      },
      (_error, stdout, stderr) => resolve({ code: child.exitCode ?? -1, stdout, stderr }),
    );
  });
}
