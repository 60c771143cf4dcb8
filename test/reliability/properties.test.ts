/**
 * Property-based tests (fast-check) of everything that takes input from outside: the lookup arguments (through the
 * provider's `check` and through `getCustomCsr`), Cloudflare's responses, and the PEM a response carries.
 * Generators live in `support/arbitraries.ts`; each property says what must hold for every generated input.
 */
import fc from "fast-check";
import type * as pulumi from "@pulumi/pulumi";
import { getCustomCsr } from "../../sdk";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { CsrFormatError, decodeCsrPem, verifyCustomCsr } from "../../src/csr";
import {
  CloudflareApiError,
  CsrVerificationError,
  CustomCsrNotFoundError,
  InvalidCustomCsrArgsError,
} from "../../src/errors";
import type { CustomCsrResult } from "../../src/public-types";
import { provider, UNKNOWN } from "../../src/provider/runtime";

/** The CustomCsr provider as the engine calls it, and the marker of an unknown input. */
const runtime = { ...provider, UNKNOWN };
import { isolateCloudflareEnv, MARKER_TOKEN, startSeededEmulator } from "../support/emulator";
import {
  anyArgs,
  apiExchange,
  apiFieldChanges,
  derOf,
  HEX_ALPHABET,
  ID_ALPHABET,
  lookupArgs,
  pemText,
  toPem,
} from "./support/arbitraries";
import { startRecordingServer, type RecordingServer, type Reply } from "./support/recording-server";
import { watchUnhandledRejections } from "./support/unhandled-rejections";

jest.setTimeout(120_000);
isolateCloudflareEnv();

// ---- The oracle: the contract's input rules, written independently of src/lookup/args.ts ----------------------

const ID_CHARS = new Set(ID_ALPHABET);
const HEX_CHARS = new Set(HEX_ALPHABET);

function madeOf(value: unknown, allowed: Set<string>, maxLength: number): value is string {
  if (typeof value !== "string" || value.length < 1 || value.length > maxLength) return false;
  for (let i = 0; i < value.length; i++) if (!allowed.has(value[i])) return false;
  return true;
}

/** `undefined`, `null` and `""` all mean "not set" (the contract leaves it open; a blank value, as from an empty env var, is no id). */
const unset = (value: unknown) => value === undefined || value === null || value === "";

/** What the contract accepts: `customCsrId` 1..36 of [A-Za-z0-9-], exactly one of `accountId`/`zoneId`, 1..32 hex. */
function contractAccepts(args: unknown): args is { customCsrId: string; accountId?: string; zoneId?: string } {
  if (typeof args !== "object" || args === null) return false;
  const { customCsrId, accountId, zoneId } = args as Record<string, unknown>;
  if (!madeOf(customCsrId, ID_CHARS, 36)) return false;
  if (unset(accountId) === unset(zoneId)) return false;
  return madeOf(unset(accountId) ? zoneId : accountId, HEX_CHARS, 32);
}

/** The one request a valid lookup may send: the GET of that CSR (the ids need no escaping). */
function expectedTarget(args: { customCsrId: string; accountId?: string; zoneId?: string }): string {
  const scope = unset(args.accountId) ? `zones/${args.zoneId}` : `accounts/${args.accountId}`;
  return `/client/v4/${scope}/custom_csrs/${args.customCsrId}`;
}

/** Every request the package may ever send: a CSR or the list of an account or zone, nothing else. */
const SAFE_TARGET = /^\/client\/v4\/(accounts|zones)\/[0-9a-fA-F]{1,32}\/custom_csrs(\/[A-Za-z0-9-]{1,36})?$/;
const ARGUMENT_FIELDS = ["args", "customCsrId", "accountId", "zoneId"];

// ---- Shared state ----------------------------------------------------------------------------------------------

let generated = 0;
/** How the generated inputs fell (valid or not, resolved or failed), printed with the total. */
const tally = new Map<string, number>();
const count = (label: string) => tally.set(label, (tally.get(label) ?? 0) + 1);
let unhandled: ReturnType<typeof watchUnhandledRejections>;
let server: RecordingServer;
let templates: ApiCustomCsr[];
/** The public-key hashes of the real CSRs: the only keys a verified PEM can hold. */
let templateKeys: string[];

const CSR_TARGET = /^\/client\/v4\/(?:accounts|zones)\/[^/]+\/custom_csrs\/([^/?]+)$/;
const EMPTY_LIST = {
  success: true,
  errors: [],
  messages: [],
  result: [],
  result_info: { page: 1, per_page: 50, count: 0, total_count: 0 },
};

/** Cloudflare's definitive "not found" for any CSR: the cheapest answer that still travels the whole lookup path. */
function notFound(target: string): Reply {
  if (!CSR_TARGET.test(target)) return { status: 200, body: JSON.stringify(EMPTY_LIST) };
  return {
    status: 404,
    body: JSON.stringify({
      success: false,
      errors: [{ code: 1419, message: "Custom CSR not found" }],
      messages: [],
      result: null,
    }),
  };
}

/** For any CSR, a real record renamed to the id asked for (the PEM does not name the id, so it still verifies). */
function found(target: string): Reply {
  const match = CSR_TARGET.exec(target);
  if (match === null) return { status: 200, body: JSON.stringify(EMPTY_LIST) };
  const result = { ...templates[0], id: decodeURIComponent(match[1]) };
  return { status: 200, body: JSON.stringify({ success: true, errors: [], messages: [], result }) };
}

async function configureRuntime(): Promise<void> {
  const values: Record<string, string> = { "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": server.baseUrl };
  const config = { get: (key: string) => values[key], require: (key: string) => values[key] };
  await runtime.configure({ config } as unknown as pulumi.dynamic.ConfigureRequest);
}

/** Settles with the promise, or fails when it takes longer than `ms`: a hang is a failure, not a slow test. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: no outcome within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function outcomeOf<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await within(10_000, promise) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("HANG:")) throw error;
    return { ok: false, error };
  }
}

const isTypedError = (error: unknown) =>
  error instanceof CloudflareApiError ||
  error instanceof InvalidCustomCsrArgsError ||
  error instanceof CsrVerificationError;

function describeError(error: unknown): string {
  return error instanceof Error
    ? `${error.constructor.name}: ${error.message.slice(0, 300)}`
    : `non-error ${typeof error}: ${String(error)}`;
}

const STRING_FIELDS = ["pem", "keyType", "createdAt", "subject", "publicKeyAlgorithm", "publicKeySha256"] as const;
const OPTIONAL_STRING_FIELDS = [
  "commonName",
  "name",
  "description",
  "organization",
  "organizationalUnit",
  "country",
  "state",
  "locality",
  "accountTag",
] as const;
const RESULT_FIELDS = new Set<string>([
  "customCsrId",
  "accountId",
  "zoneId",
  "sans",
  ...STRING_FIELDS,
  ...OPTIONAL_STRING_FIELDS,
]);

/** The documented result: the id and scope asked for, required strings, optional fields absent (never `undefined`). */
function expectDocumentedResult(
  result: CustomCsrResult,
  customCsrId: string,
  scope: { accountId?: string; zoneId?: string },
): void {
  expect(result.customCsrId).toBe(customCsrId);
  if (unset(scope.accountId)) {
    expect(result.zoneId).toBe(scope.zoneId);
    expect("accountId" in result).toBe(false);
  } else {
    expect(result.accountId).toBe(scope.accountId);
    expect("zoneId" in result).toBe(false);
  }
  for (const [key, value] of Object.entries(result)) {
    expect(RESULT_FIELDS.has(key)).toBe(true);
    expect(value).not.toBeUndefined();
  }
  for (const field of STRING_FIELDS) expect(typeof result[field]).toBe("string");
  for (const field of OPTIONAL_STRING_FIELDS) if (field in result) expect(typeof result[field]).toBe("string");
  if ("sans" in result)
    expect(Array.isArray(result.sans) && result.sans.every((san) => typeof san === "string")).toBe(true);
  expect(result.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
  expect(["RSA-2048", "ECDSA-P256"]).toContain(result.publicKeyAlgorithm);
}

const API_FIELDS = [
  ["csr", "pem"],
  ["key_type", "keyType"],
  ["created_at", "createdAt"],
  ["sans", "sans"],
  ["common_name", "commonName"],
  ["name", "name"],
  ["description", "description"],
  ["organization", "organization"],
  ["organizational_unit", "organizationalUnit"],
  ["country", "country"],
  ["state", "state"],
  ["locality", "locality"],
  ["account_tag", "accountTag"],
] as const;

/** A resolved result carries exactly what was served: a field the API left out or sent as null is absent, never made up. */
function expectServedFields(result: CustomCsrResult, served: Record<string, unknown>): void {
  for (const [apiField, field] of API_FIELDS) {
    if (served[apiField] === undefined || served[apiField] === null) expect(field in result).toBe(false);
    else expect(result[field]).toEqual(served[apiField]);
  }
}

beforeAll(async () => {
  unhandled = watchUnhandledRejections();
  const seeded = await startSeededEmulator();
  templates = [seeded.rsa, seeded.ec, seeded.zoneCsr];
  await seeded.emulator.stop();
  templateKeys = await Promise.all(templates.map(async (t) => (await decodeCsrPem(t.csr as string)).publicKeySha256));
  server = await startRecordingServer();
});

afterAll(async () => {
  await server?.stop();
  // Give any stray promise a turn to reject before the count is taken.
  await new Promise((resolve) => setImmediate(resolve));
  unhandled.stop();
  console.log(`${generated} generated inputs\n${[...tally].map(([label, n]) => `  ${label}: ${n}`).join("\n")}`);
  expect(unhandled.reasons.map(describeError)).toEqual([]);
});

test("the unhandled-rejection watch sees a rejection nobody handled in time", async () => {
  const planted = Promise.reject(new Error("planted"));
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(unhandled.reasons).toContainEqual(new Error("planted"));
  // Handled late: Node reports it as handled after all, and Jest then takes back its own failure.
  await planted.catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 10));
  unhandled.reasons.splice(0);
});

describe("lookup arguments", () => {
  const options = () => ({ apiToken: MARKER_TOKEN, baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 5_000 });

  test("check: invalid input fails without a request; valid input is looked up once, at its own path", async () => {
    server.answer(notFound);
    await fc.assert(
      fc.asyncProperty(lookupArgs, async (news) => {
        generated++;
        await configureRuntime(); // a fresh session: nothing is answered from an earlier run's cache
        server.clear();
        const result = await within(10_000, runtime.check({}, news));
        const failures = result.failures ?? [];
        count(`check: ${contractAccepts(news) ? "valid" : "invalid"} arguments`);
        if (contractAccepts(news)) {
          expect(server.targets).toEqual([expectedTarget(news)]);
          // The one failure is Cloudflare's "not found", naming the id exactly as given.
          expect(failures).toHaveLength(1);
          expect(failures[0].property).toBe("customCsrId");
          expect(failures[0].reason).toContain(`Custom CSR ${news.customCsrId} was not found`);
        } else {
          expect(server.targets).toEqual([]);
          expect(failures.length).toBeGreaterThan(0);
          for (const failure of failures) expect(ARGUMENT_FIELDS).toContain(failure.property);
        }
        for (const target of server.targets) expect(target).toMatch(SAFE_TARGET);
      }),
      { numRuns: 3_500 },
    );
  });

  test("getCustomCsr: invalid input throws InvalidCustomCsrArgsError without a request; valid input is looked up once, at its own path", async () => {
    server.answer(notFound);
    await fc.assert(
      fc.asyncProperty(lookupArgs, async (args) => {
        generated++;
        server.clear();
        const outcome = await outcomeOf(getCustomCsr(args as never, options()));
        if (outcome.ok) throw new Error("a lookup answered 404 / 1419 resolved");
        const { error } = outcome;
        count(`getCustomCsr: ${contractAccepts(args) ? "valid" : "invalid"} arguments`);
        if (contractAccepts(args)) {
          expect(server.targets).toEqual([expectedTarget(args)]);
          if (!(error instanceof CustomCsrNotFoundError))
            throw new Error(`valid input was refused: ${describeError(error)}`);
          expect([error.customCsrId, error.accountId, error.zoneId]).toEqual([
            args.customCsrId,
            unset(args.accountId) ? undefined : args.accountId,
            unset(args.accountId) ? args.zoneId : undefined,
          ]);
        } else {
          expect(server.targets).toEqual([]);
          if (!(error instanceof InvalidCustomCsrArgsError))
            throw new Error(`expected InvalidCustomCsrArgsError, got ${describeError(error)}`);
          for (const problem of error.problems) expect(ARGUMENT_FIELDS).toContain(problem.field);
        }
        for (const target of server.targets) expect(target).toMatch(SAFE_TARGET);
      }),
      { numRuns: 3_500 },
    );
  });

  test("getCustomCsr: any value at all as the arguments either resolves the CSR asked for or throws InvalidCustomCsrArgsError", async () => {
    server.answer(found);
    await fc.assert(
      fc.asyncProperty(anyArgs, async (args) => {
        generated++;
        server.clear();
        const outcome = await outcomeOf(getCustomCsr(args as never, options()));
        count(`getCustomCsr, any value: ${contractAccepts(args) ? "valid" : "invalid"} arguments`);
        if (contractAccepts(args)) {
          if (!outcome.ok) throw new Error(`valid input failed: ${describeError(outcome.error)}`);
          expectDocumentedResult(outcome.value, args.customCsrId, args);
          expect(server.targets).toEqual([expectedTarget(args)]);
        } else {
          if (outcome.ok) throw new Error("invalid input resolved");
          expect(outcome.error).toBeInstanceOf(InvalidCustomCsrArgsError);
          expect(server.targets).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("Cloudflare responses", () => {
  test("getCustomCsr settles with a documented result or a typed error for any response, never a hang or another error", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(apiExchange(templates), async ({ asked: template, reply }) => {
        generated++;
        server.answer(() => reply);
        // A token per run gives every run its own connection and limiter, so a 429 in one run cannot slow the next.
        const token = `${MARKER_TOKEN}-${run++}`;
        const outcome = await outcomeOf(
          getCustomCsr(
            { customCsrId: template.id, accountId: "0123456789abcdef0123456789abcdef" },
            { apiToken: token, baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 2_000 },
          ),
        );
        count(`responses: ${outcome.ok ? "resolved" : `rejected with ${(outcome.error as Error).name}`}`);
        if (outcome.ok) {
          expectDocumentedResult(outcome.value, template.id, { accountId: "0123456789abcdef0123456789abcdef" });
          expectServedFields(outcome.value, JSON.parse(reply.body).result);
        } else {
          if (!isTypedError(outcome.error)) throw new Error(`untyped failure: ${describeError(outcome.error)}`);
          expect((outcome.error as Error).message).not.toContain(MARKER_TOKEN);
        }
      }),
      { numRuns: 800 },
    );
  });
});

describe("PEM decoding and verification", () => {
  test("decodeCsrPem throws only CsrFormatError, and a signature that holds comes with the original facts", async () => {
    await fc.assert(
      fc.asyncProperty(pemText(templates.map((t) => t.csr as string)), async (pem) => {
        generated++;
        let decoded;
        try {
          decoded = await within(
            10_000,
            Promise.resolve().then(() => decodeCsrPem(pem)),
          );
        } catch (error) {
          if (!(error instanceof CsrFormatError))
            throw new Error(`decodeCsrPem threw ${describeError(error)}`, { cause: error });
          count("decodeCsrPem: CsrFormatError");
          return;
        }
        count(`decodeCsrPem: decoded, signature ${decoded.signatureValid ? "valid" : "invalid"}`);
        expect(decoded.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
        if (!decoded.signatureValid) return;
        // A signature that holds means the signed request is one of the templates, unchanged: the facts must be
        // the ones the emulator was asked to put into that CSR.
        const template = templates[templateKeys.indexOf(decoded.publicKeySha256)];
        expect(template).toBeDefined();
        expect(decoded.commonNames).toEqual([template.common_name]);
        expect([...decoded.sans].sort()).toEqual([...(template.sans ?? [])].sort());
        expect(decoded.publicKeyAlgorithm).toBe(
          ({ rsa2048: "RSA-2048", p256v1: "ECDSA-P256" } as Record<string, string>)[template.key_type],
        );
      }),
      { numRuns: 1_500 },
    );
  });

  test("verifyCustomCsr resolves only for a PEM whose signature holds, and otherwise throws CsrVerificationError", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates),
        pemText(templates.map((t) => t.csr as string)),
        apiFieldChanges,
        async (template, pem, changes) => {
          generated++;
          const record: ApiCustomCsr = { ...template, ...changes, csr: pem };
          let decoded;
          try {
            decoded = await within(
              10_000,
              Promise.resolve().then(() => verifyCustomCsr(record)),
            );
          } catch (error) {
            if (!(error instanceof CsrVerificationError))
              throw new Error(`verifyCustomCsr threw ${describeError(error)}`, { cause: error });
            count("verifyCustomCsr: CsrVerificationError");
            return;
          }
          count("verifyCustomCsr: verified");
          expect(decoded.signatureValid).toBe(true);
          expect(templateKeys).toContain(decoded.publicKeySha256);
        },
      ),
      { numRuns: 700 },
    );
  });
});

/** The inputs the properties first failed on, kept as fixed cases so they are checked on every run, whatever the seed. */
describe("regressions found by the properties", () => {
  const account = { accountId: "0123456789abcdef0123456789abcdef" };

  async function lookupAnswered(body: string): Promise<unknown> {
    const template = templates[0];
    server.answer(() => ({ status: 200, body }));
    return getCustomCsr(
      { customCsrId: template.id, ...account },
      { apiToken: MARKER_TOKEN, baseUrl: server.baseUrl, maxRetries: 0, timeoutMs: 2_000 },
    ).catch((error: unknown) => error);
  }

  test.each([
    ["code", '{"code":{"toString":1},"message":"x"}'],
    ["message", '{"code":1000,"message":{"toString":1}}'],
  ])(
    "an error entry whose %s cannot be converted to a primitive is a typed error, not a TypeError",
    async (_what, entry) => {
      const body = `{"success":false,"errors":[${entry}],"messages":[],"result":null}`;
      expect(await lookupAnswered(body)).toBeInstanceOf(CloudflareApiError);
      // Even next to a usable result: the errors of a successful envelope are parsed too.
      const template = templates[0];
      expect(
        await lookupAnswered(`{"success":true,"errors":[${entry}],"messages":[],"result":${JSON.stringify(template)}}`),
      ).toMatchObject({ customCsrId: template.id });
    },
  );

  test("an error_chain nested 5,000 deep is a typed error, not a stack overflow", async () => {
    const depth = 5_000;
    const chain = `${'{"code":1000,"message":"cause","error_chain":['.repeat(depth)}{"code":1500,"message":"leaf"}${"]}".repeat(depth)}`;
    const error = await lookupAnswered(`{"success":false,"errors":[${chain}],"messages":[],"result":null}`);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).message).toContain("code 1000");
  });

  /** The real CSR with the tag of its SAN extension's OCTET STRING (04) zeroed: it parses, but its extensions do not. */
  function withBrokenSanExtension(pem: string): string {
    const der = derOf(pem);
    const at = der.indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11, 0x04]));
    expect(at).toBeGreaterThan(0);
    der[at + 5] = 0x00;
    return toPem(der);
  }

  test("a CSR whose extensions do not decode is a CsrFormatError / CsrVerificationError, not an ASN.1 schema error", async () => {
    const pem = withBrokenSanExtension(templates[1].csr as string);
    expect(() => decodeCsrPem(pem)).toThrow(CsrFormatError);
    expect(() => verifyCustomCsr({ ...templates[1], csr: pem })).toThrow(CsrVerificationError);
    const error = await lookupAnswered(
      JSON.stringify({
        success: true,
        errors: [],
        messages: [],
        result: { ...templates[0], csr: withBrokenSanExtension(templates[0].csr as string) },
      }),
    );
    expect(error).toBeInstanceOf(CsrVerificationError);
  });
});
