import { ISSUED_ID } from "./wire";
import { EmulatorOptionError } from "./errors";
import type { ApiKeyCredential, EmulatorOptions, Fault, RandomFaults, RateLimitPolicy, RecordedRequest } from "./types";

/** The bearer token the emulator accepts unless `tokens` says otherwise (40 characters, like a real API token). */
export const DEFAULT_EMULATOR_TOKEN = "emulator-token-0000000000000000000000000";

/** The `X-Auth-Email` the emulator accepts unless `apiKeys` says otherwise. */
export const DEFAULT_EMULATOR_EMAIL = "emulator@example.invalid";

/** The `X-Auth-Key` the emulator accepts unless `apiKeys` says otherwise (37 hex characters, like a Global API Key). */
export const DEFAULT_EMULATOR_API_KEY = "c0ffee0000000000000000000000000000e10";

/** The account the emulator knows unless `accounts` says otherwise. */
export const DEFAULT_ACCOUNT_ID = "acc00000000000000000000000000001";

/** The zone the emulator knows unless `zones` says otherwise. */
export const DEFAULT_ZONE_ID = "2011e000000000000000000000000001";

/** Cloudflare's global API rate limit: 1200 requests per 5 minutes. */
export const DEFAULT_RATE_LIMIT: Readonly<RateLimitPolicy> = Object.freeze({ limit: 1200, windowSeconds: 300 });

/** Largest request body the emulator reads: a create body is well under 1 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Requests the log keeps by default: enough for any test's assertions, bounded for a long-running emulator. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

const API_KEY = /^[0-9a-f]+$/i;

/** {@link EmulatorOptions} with every default filled in and every value checked. */
export interface ResolvedOptions {
  port: number;
  host: string;
  tokens: string[];
  apiKeys: ApiKeyCredential[];
  forbiddenTokens: string[];
  accounts: string[];
  zones: string[];
  zoneNames: Map<string, string>;
  dnsMirror?: { url: string; delayMs?: number };
  latencyMs: number;
  rateLimit: RateLimitPolicy;
  keyPoolSize?: number;
  randomFaults?: RandomFaults;
  maxBodyBytes: number;
  requestLogLimit: number;
  onRequest?: (request: RecordedRequest) => void;
}

/** Whether `id` looks like a Cloudflare account or zone id as Cloudflare issues them (32 lower-case hex characters). */
export function isCloudflareId(id: string): boolean {
  return ISSUED_ID.test(id);
}

/** Fills in defaults and throws an {@link EmulatorOptionError} naming the option when a value could never work. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const tokens = options.tokens ?? [DEFAULT_EMULATOR_TOKEN];
  const apiKeys = options.apiKeys ?? [{ email: DEFAULT_EMULATOR_EMAIL, key: DEFAULT_EMULATOR_API_KEY }];
  const accounts = options.accounts ?? [DEFAULT_ACCOUNT_ID];
  const zones = options.zones ?? [DEFAULT_ZONE_ID];
  for (const [name, ids] of [
    ["accounts", accounts],
    ["zones", zones],
  ] as const) {
    if (ids.length === 0) throw new EmulatorOptionError(`emulator option ${name} must not be empty`);
    const bad = ids.find((id) => !isCloudflareId(id));
    if (bad !== undefined) {
      throw new EmulatorOptionError(`emulator option ${name}: "${bad}" is not 32 lower-case hex characters`);
    }
  }
  if (tokens.length === 0) throw new EmulatorOptionError("emulator option tokens must not be empty");
  if (apiKeys.length === 0) throw new EmulatorOptionError("emulator option apiKeys must not be empty");
  if (apiKeys.some((pair) => !API_KEY.test(pair.key))) {
    // Cloudflare answers a non-hex X-Auth-Key as a malformed header, so such a key could never authenticate.
    throw new EmulatorOptionError(
      "emulator option apiKeys: every key must be hexadecimal, like a Cloudflare Global API Key",
    );
  }
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  assertRateLimit(rateLimit);
  const latencyMs = options.latencyMs ?? 0;
  assertLatency(latencyMs);
  if (options.keyPoolSize !== undefined && !(Number.isInteger(options.keyPoolSize) && options.keyPoolSize >= 1)) {
    throw new EmulatorOptionError("emulator option keyPoolSize must be a positive integer");
  }
  const maxBodyBytes = positiveInteger("maxBodyBytes", options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const requestLogLimit = positiveInteger("requestLogLimit", options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT);
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    tokens,
    apiKeys,
    forbiddenTokens: options.forbiddenTokens ?? [],
    accounts,
    zones,
    zoneNames: new Map(zones.map((id, index) => [id, options.zoneNames?.[id] ?? defaultZoneName(index)])),
    ...(options.dnsMirror !== undefined ? { dnsMirror: { ...options.dnsMirror } } : {}),
    latencyMs,
    rateLimit: { ...rateLimit },
    keyPoolSize: options.keyPoolSize,
    maxBodyBytes,
    requestLogLimit,
    ...(options.onRequest !== undefined ? { onRequest: options.onRequest } : {}),
    ...(options.randomFaults !== undefined ? { randomFaults: assertRandomFaults(options.randomFaults) } : {}),
  };
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value >= 1)) {
    throw new EmulatorOptionError(`emulator option ${name} must be a positive integer`);
  }
  return value;
}

/** Throws an {@link EmulatorOptionError} unless the policy has a positive integer limit and window. */
export function assertRateLimit(policy: RateLimitPolicy): void {
  if (!(
    Number.isInteger(policy.limit) &&
    policy.limit >= 1 &&
    Number.isInteger(policy.windowSeconds) &&
    policy.windowSeconds >= 1
  )) {
    throw new EmulatorOptionError("emulator rate limit needs a positive integer limit and windowSeconds");
  }
}

/** Throws an {@link EmulatorOptionError} unless `ms` is a finite, non-negative number. */
export function assertLatency(ms: number): void {
  if (!(Number.isFinite(ms) && ms >= 0)) {
    throw new EmulatorOptionError("emulator latency must be a non-negative number of milliseconds");
  }
}

/** Every fault kind, so that a random policy cannot name one the server would not know how to serve. */
const FAULT_KINDS: ReadonlySet<string> = new Set<Fault["kind"]>([
  "rate-limit",
  "server-error",
  "html-502",
  "reset",
  "hang",
  "truncated-json",
  "success-false",
  "response",
]);

/**
 * Returns the policy unchanged, or throws an {@link EmulatorOptionError} naming `randomFaults` when it could never
 * work.
 */
export function assertRandomFaults(policy: RandomFaults): RandomFaults {
  if (!(typeof policy.rate === "number" && policy.rate >= 0 && policy.rate <= 1)) {
    throw new EmulatorOptionError("emulator option randomFaults: rate must be a number from 0 to 1");
  }
  if (!Array.isArray(policy.kinds) || policy.kinds.length === 0) {
    throw new EmulatorOptionError("emulator option randomFaults: kinds must list at least one fault");
  }
  const unknown = policy.kinds.find((fault) => !FAULT_KINDS.has((fault as { kind?: unknown } | null)?.kind as string));
  if (unknown !== undefined) {
    throw new EmulatorOptionError(`emulator option randomFaults: ${JSON.stringify(unknown)} is not a fault`);
  }
  if (policy.seed !== undefined && !Number.isInteger(policy.seed)) {
    throw new EmulatorOptionError("emulator option randomFaults: seed must be an integer");
  }
  return policy;
}

/** `acme.dev` for the first zone, `zone<n>.acme.dev` for the n-th after it. */
function defaultZoneName(index: number): string {
  return index === 0 ? "acme.dev" : `zone${index}.acme.dev`;
}
