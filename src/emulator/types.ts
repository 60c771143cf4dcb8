import type { AuthScheme } from "../errors";
import type { ApiCustomCsr, ApiDnsRecord, ApiKeyType, CsrScope } from "./wire";

/**
 * The body of `POST /{accounts|zones}/{id}/custom_csrs`, as the API spells it.
 * The emulator validates it the way Cloudflare documents it (see `codes.ts` for every rule and code).
 */
export interface CreateCsrInput {
  /** Common name of the subject, at most 64 characters. */
  common_name: string;
  /** Two-letter country code of the subject. */
  country: string;
  /** Locality (city) of the subject. */
  locality: string;
  /** Organization of the subject. */
  organization: string;
  /** State or province of the subject. */
  state: string;
  /** DNS names the CSR requests, at least one. */
  sans: string[];
  /** Organizational unit of the subject; omitted from the subject when absent. */
  organizational_unit?: string;
  /** Free-form description, stored as is. */
  description?: string;
  /** Display name, stored as is. */
  name?: string;
  /** `rsa2048` (the default) or `p256v1`. */
  key_type?: ApiKeyType;
}

/**
 * One custom CSR to create when the emulator starts (or from a seed file).
 * Subject fields the seed leaves out get fixed defaults: organization "Emulated Organization", country "US",
 * state "California", locality "San Francisco".
 */
export interface SeedCsr {
  /** The account or zone that owns the CSR; it must be one of the emulator's known accounts or zones. */
  scope: CsrScope;
  /** A fixed id (1..36 characters of `[A-Za-z0-9-]`); a random UUID when absent. */
  id?: string;
  /** Common name of the subject. */
  common_name: string;
  /** DNS names the CSR requests. */
  sans: string[];
  /** `rsa2048` (the default) or `p256v1`. */
  key_type?: ApiKeyType;
  /** Display name. */
  name?: string;
  /** Free-form description. */
  description?: string;
  /** Organization of the subject. */
  organization?: string;
  /** Organizational unit of the subject. */
  organizational_unit?: string;
  /** Two-letter country code of the subject. */
  country?: string;
  /** State or province of the subject. */
  state?: string;
  /** Locality (city) of the subject. */
  locality?: string;
}

/** A fixed-window rate limit: at most `limit` requests per `windowSeconds`. */
export interface RateLimitPolicy {
  /** Requests allowed per window (the `q` of `Ratelimit-Policy`). */
  limit: number;
  /** Window length in seconds (the `w` of `Ratelimit-Policy`). */
  windowSeconds: number;
}

/** An accepted `X-Auth-Email` + `X-Auth-Key` pair (Cloudflare's legacy Global API Key scheme). */
export interface ApiKeyCredential {
  /** Account e-mail address, compared case-insensitively. */
  email: string;
  /** The key: hexadecimal, like Cloudflare's Global API Keys (a key in another format is a malformed header). */
  key: string;
}

/** Options of {@link startEmulator}. Every field is optional. */
export interface EmulatorOptions {
  /** TCP port; default 0 (an ephemeral port, read it back from {@link CloudflareEmulator.port}). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Accepted bearer tokens (full access); default `[DEFAULT_EMULATOR_TOKEN]`. */
  tokens?: string[];
  /** Accepted e-mail + key pairs (full access); default one pair of `DEFAULT_EMULATOR_EMAIL` and `DEFAULT_EMULATOR_API_KEY`. */
  apiKeys?: ApiKeyCredential[];
  /** Tokens that authenticate but lack "SSL and Certificates Read": every request answers 403 / 10000. */
  forbiddenTokens?: string[];
  /** Known account ids (32 lower-case hex); default `[DEFAULT_ACCOUNT_ID]`. Any other well-formed id answers 403 / 10000. */
  accounts?: string[];
  /** Known zone ids (32 lower-case hex); default `[DEFAULT_ZONE_ID]`. Zones belong to the first known account. */
  zones?: string[];
  /**
   * Zone names by id, as `GET /zones/{id}` answers them; default `acme.dev` for the first zone and
   * `zone<n>.acme.dev` for the n-th after it.
   */
  zoneNames?: Record<string, string>;
  /**
   * Copies every TXT record change into Let's Encrypt's `pebble-challtestsrv` through its management URL (e.g.
   * `http://127.0.0.1:8055`), after `delayMs` (as DNS propagation would), so a real ACME CA sees the records.
   */
  dnsMirror?: { url: string; delayMs?: number };
  /** Milliseconds added before every response; default 0. */
  latencyMs?: number;
  /** Fixed-window rate limit; default 1200 requests per 300 s, Cloudflare's global API limit. */
  rateLimit?: RateLimitPolicy;
  /** CSRs created (with real keys) before {@link startEmulator} resolves. */
  seed?: readonly SeedCsr[];
  /**
   * Reuse at most this many key pairs per key type instead of generating a fresh key for every CSR. Meant for bulk
   * seeding (hundreds of CSRs for benchmarks) where RSA key generation would dominate; default: a fresh key per CSR.
   */
  keyPoolSize?: number;
  /** Faults served at random, for load and soak tests; default none. See {@link RandomFaults}. */
  randomFaults?: RandomFaults;
  /**
   * Largest request body accepted, in bytes; default {@link DEFAULT_MAX_BODY_BYTES} (64 KiB, far above any create
   * body). A longer body is answered with 413 (code 1422) as soon as the limit is crossed, without reading the rest.
   */
  maxBodyBytes?: number;
  /**
   * How many requests {@link CloudflareEmulator.requests} keeps (the most recent); default
   * {@link DEFAULT_REQUEST_LOG_LIMIT} (10,000).
   */
  requestLogLimit?: number;
  /**
   * Called once per request when it has been answered or given up on (a `reset` or `hang` fault, a client gone),
   * with a copy of its record (as in {@link CloudflareEmulator.requests}); e.g. to print a log line. Whatever it
   * throws is ignored.
   */
  onRequest?: (request: RecordedRequest) => void;
}

/**
 * Faults served at random: every request, before it is routed, gets one of `kinds` (picked uniformly) with
 * probability `rate`. The draws come from a PRNG seeded with `seed`, one draw per request in arrival order, so the
 * same sequence of requests meets the same faults on every run. A fault injected with
 * {@link CloudflareEmulator.injectFault} that matches a request wins over the random draw (which is still spent, so the
 * random sequence does not depend on injected faults). Random faults are recorded as `faultApplied` like injected ones.
 */
export interface RandomFaults {
  /** Probability that a request gets a fault, from 0 (never) to 1 (always); e.g. `0.01` for 1 %. */
  rate: number;
  /** The faults to draw from, each equally likely; at least one. */
  kinds: Fault[];
  /** Seed of the PRNG (an integer); default 0, so an unseeded policy is reproducible too. */
  seed?: number;
}

/**
 * A response the emulator serves instead of the real one, for the next matching request(s).
 * See {@link CloudflareEmulator.injectFault}.
 */
export type Fault =
  /** 429 with code 971; `Retry-After` is sent only when `retryAfterSeconds` is given. */
  | { kind: "rate-limit"; retryAfterSeconds?: number }
  /** A JSON error envelope with the given status (default 500) and code 1500. */
  | { kind: "server-error"; status?: 500 | 502 | 503 | 504 }
  /** A `text/html` "502 Bad Gateway" page, as Cloudflare's edge serves it when the origin fails. */
  | { kind: "html-502" }
  /** The socket is destroyed without any response. */
  | { kind: "reset" }
  /** No response at all until {@link CloudflareEmulator.stop} (or the client gives up). */
  | { kind: "hang" }
  /** 200, `application/json`, and an envelope cut in the middle (a complete HTTP message with invalid JSON). */
  | { kind: "truncated-json" }
  /** HTTP 200 whose envelope says `success: false` with one error (code 1500) and `result: null`. */
  | { kind: "success-false" }
  /**
   * Anything: `body` is sent as is when it is a string, else as JSON. `Content-Type: application/json` and the
   * rate-limit headers are sent unless `headers` overrides them.
   */
  | { kind: "response"; status: number; body: unknown; headers?: Record<string, string> };

/** Which requests a fault applies to, and how many times. */
export interface FaultOptions {
  /** How many matching requests the fault answers; default 1. */
  count?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /** Only requests whose path (without the query) contains this string. */
  pathIncludes?: string;
}

/** One request the emulator received, in arrival order. */
export interface RecordedRequest {
  /** HTTP method, upper case. */
  method: string;
  /** URL path without the query, e.g. `/client/v4/accounts/<id>/custom_csrs`. */
  path: string;
  /** Query parameters (the last value wins when one repeats). */
  query: Record<string, string>;
  /** Status sent; absent when no response was sent (a `reset` or `hang` fault, or the emulator stopped first). */
  status?: number;
  /**
   * Credential schemes present, named as the client names them: `"api-token"` for `Authorization`, `"api-key"`
   * for `X-Auth-Key` or `X-Auth-Email`. Both at once is accepted but shows here as `["api-token", "api-key"]`.
   */
  authSchemes: AuthScheme[];
  /** The kind of the fault (injected or random) that answered this request, if any. */
  faultApplied?: Fault["kind"];
  /** Arrival time, milliseconds since the epoch. */
  time: number;
}

/** Fields {@link CloudflareEmulator.regenerateCsr} may change along with the key. */
export type RegenerateCsrChanges = Partial<CreateCsrInput>;

/** Field changes {@link CloudflareEmulator.updateCsr} writes; a key set to `undefined` removes that field. */
export type CsrFieldChanges = Partial<Omit<ApiCustomCsr, "id">>;

/** A running emulator. Returned by {@link startEmulator}; call {@link CloudflareEmulator.stop} when done. */
export interface CloudflareEmulator {
  /** Base URL of the API, e.g. `http://127.0.0.1:41234/client/v4` (pass it as `baseUrl` / `CLOUDFLARE_BASE_URL`). */
  readonly baseUrl: string;
  /** The port the emulator listens on. */
  readonly port: number;
  /** The first accepted bearer token. */
  readonly token: string;
  /** The e-mail of the first accepted API key pair. */
  readonly email: string;
  /** The key of the first accepted API key pair. */
  readonly apiKey: string;
  /** The first known account id. */
  readonly accountId: string;
  /** The first known zone id. */
  readonly zoneId: string;
  /**
   * Creates a CSR as `POST` would (same validation, real key and PEM) without HTTP; throws `EmulatorInputError`,
   * or `EmulatorOptionError` for a scope the emulator does not know (as every method taking a scope does).
   */
  createCsr(scope: CsrScope, input: CreateCsrInput): Promise<ApiCustomCsr>;
  /** Creates many CSRs (keys generated concurrently), stored in the order given; validates all before creating any. */
  seedMany(scope: CsrScope, inputs: CreateCsrInput[]): Promise<ApiCustomCsr[]>;
  /** A deep copy of a stored CSR, or `undefined`. */
  getCsr(scope: CsrScope, id: string): ApiCustomCsr | undefined;
  /** Deep copies of every CSR of a scope, in the list endpoint's default order (`created_at` ascending). */
  listCsrs(scope: CsrScope): ApiCustomCsr[];
  /** Deletes a CSR (and its private key) as `DELETE` would; `false` when it did not exist. */
  deleteCsr(scope: CsrScope, id: string): boolean;
  /**
   * Changes stored fields in place without touching the key or re-signing, to simulate drift or broken data:
   * the PEM may then disagree with the fields. A field set to `undefined` is removed. Throws
   * `EmulatorCsrNotFoundError` when the CSR is unknown.
   */
  updateCsr(scope: CsrScope, id: string, changes: CsrFieldChanges): ApiCustomCsr;
  /**
   * Generates a new key and a new PEM for a stored CSR (same id and `created_at`), applying `changes` to the subject,
   * SANs or key type so that fields and PEM agree. Throws `EmulatorInputError` when the result would be invalid,
   * `EmulatorCsrNotFoundError` when the CSR is unknown.
   */
  regenerateCsr(scope: CsrScope, id: string, changes?: RegenerateCsrChanges): Promise<ApiCustomCsr>;
  /**
   * Makes every custom CSR request of the account or zone fail as Cloudflare's does for an account without the
   * Cloudflare for SaaS entitlement: 403 with 1403 (`"no-quota"`) or 1404 (`"not-granted"`); `undefined` lifts it.
   */
  restrictCsrAccess(scope: CsrScope, restriction: CsrAccessRestriction | undefined): void;
  /** Adds a certificate serving the zone (a custom certificate, or a custom hostname's), tied to `custom_csr_id`. */
  addCertificate(zoneId: string, certificate: EmulatedCertificate): EmulatedCertificate;
  /** Changes a certificate's fields (`{ expires_on }` to expire it, `{ custom_csr_id: null }` to detach it). */
  updateCertificate(zoneId: string, id: string, changes: Record<string, unknown>): EmulatedCertificate;
  /** Removes a certificate; `false` when it did not exist. */
  removeCertificate(zoneId: string, id: string): boolean;
  /** Copies of a zone's certificates, both kinds. */
  listCertificates(zoneId: string): EmulatedCertificate[];
  /** Copies of a zone's DNS records (only TXT records are accepted), e.g. to check that an order cleaned up. */
  listDnsRecords(zoneId: string): ApiDnsRecord[];
  /** Delays later TXT changes reaching the `dnsMirror` by `ms`, as DNS propagation would. */
  setDnsPropagationDelay(ms: number): void;
  /** Answers the next `count` matching requests with `fault`; faults are matched in the order they were injected. */
  injectFault(fault: Fault, options?: FaultOptions): void;
  /** Forgets every pending fault (random faults stay: see {@link CloudflareEmulator.setRandomFaults}). */
  clearFaults(): void;
  /**
   * Starts serving random faults by `policy` (the PRNG restarts from its seed), or stops when `policy` is `undefined`.
   * Throws an `EmulatorOptionError` (a `TypeError`) when the rate is not within 0..1, `kinds` is empty or holds an
   * unknown fault, or the seed is
   * not an integer.
   */
  setRandomFaults(policy?: RandomFaults): void;
  /** Sets the latency added before every response. */
  setLatency(ms: number): void;
  /** Replaces the rate limit (`undefined` restores 1200 / 300 s) and resets the counter. */
  setRateLimit(limit?: RateLimitPolicy): void;
  /** Every request received so far (a snapshot), without any credential value. */
  readonly requests: readonly RecordedRequest[];
  /** Forgets the recorded requests. */
  clearRequests(): void;
  /** Closes the server and every socket, including hanging ones. Safe to call twice. */
  stop(): Promise<void>;
}

/** A certificate the emulator serves: a zone's custom certificate, or a custom hostname's. */
export interface EmulatedCertificate {
  /** `custom_ssl`: a custom certificate; `custom_hostname`: a custom hostname's `ssl`. */
  kind: "custom_ssl" | "custom_hostname";
  /** Assigned when absent. */
  id?: string;
  /** The hostnames it serves (a custom hostname has one). */
  hosts: string[];
  issuer?: string;
  /** Cloudflare's status, e.g. `active`, `expired`, `pending_validation`; default `active`. */
  status?: string;
  /** RFC 3339. */
  expires_on?: string;
  /** The custom CSR it was uploaded for; absent for certificates uploaded with their own key. */
  custom_csr_id?: string;
}

/** Why an account or zone may not use custom CSRs: no quota allocated (1403), or access not granted (1404). */
export type CsrAccessRestriction = "no-quota" | "not-granted";
