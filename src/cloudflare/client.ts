import axios, { type Axios, type AxiosResponse } from "axios";
import { CloudflareApiError, ConnectionError, RateLimitError } from "../errors";
import { redactorFor, type Redactor } from "../errors/redaction";
import { userAgent } from "../version";
import { keepAliveAgents } from "./agents";
import { directAdapter, ExchangeDeadlineError } from "./direct-adapter";
import { authHeaders, secretsOf, type Credentials } from "./credentials";
import { isLoopbackHost } from "./endpoint";
import { baseUrlAdvice, cut, errorFromResponse, relayedErrors, summarize, type RequestContext } from "./error-mapping";
import {
  checkCustomCsr,
  checkCustomCsrPage,
  checkDnsRecord,
  checkZone,
  servingCertificateOf,
  checkEnvelope,
  MAX_LIST_PAGES,
  type CheckedEnvelope,
  type CustomCsrPage,
} from "./response";
import { backoffMs, DEFAULT_RETRY_POLICY, isRetryableStatus, retryAfterMs, type RetryPolicy } from "./retry";
import { parseRateLimitHeaders } from "./rate-limit-headers";
import type { RequestLimiter } from "./limiter";
import { scopePath, type CsrScope } from "./scope";
import type { ApiCustomCsr, ApiDnsRecord, ApiServingCertificate, ApiZone } from "./types";

/** How a client talks to the API. */
export interface ClientConfig {
  /** API root, e.g. `https://api.cloudflare.com/client/v4` (already validated, no trailing slash). */
  readonly baseUrl: string;
  readonly credentials: Credentials;
  /** Deadline of one attempt, in milliseconds. Default 30 s. */
  readonly timeoutMs?: number;
  /** Retry bounds; unset fields take `DEFAULT_RETRY_POLICY`'s values. */
  readonly retry?: Partial<RetryPolicy>;
  /** Waits between attempts; replaceable so tests can observe the waits. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The limiter of this connection (bounds concurrency, keeps under the rate limit), looked up for every attempt
   * so that an idle one can be forgotten between requests (see `ConnectionLimiters`). Without it, requests are not
   * limited.
   */
  readonly limiter?: () => RequestLimiter;
}

/** Options of the list endpoint. */
export interface ListOptions {
  /** 1-based page number. */
  readonly page?: number;
  /** Page size, 5..50 (Cloudflare's bounds). */
  readonly perPage?: number;
  readonly order?: "name" | "account_tag" | "created_at";
  readonly direction?: "asc" | "desc";
}

/** Default deadline of one attempt. */
const DEFAULT_TIMEOUT_MS = 30_000;
/** Largest response body accepted; a page of 50 CSRs is about 100 KiB. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Largest page Cloudflare serves. */
export const MAX_PER_PAGE = 50;

type Attempt =
  | { kind: "response"; status: number; headers: Record<string, unknown>; text: string; contentType: string }
  | { kind: "transport"; reason: string; retryable: boolean };

/** Node's codes for a certificate that does not verify: a configuration problem, never worth a retry. */
const TLS_VERIFICATION_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
]);

/**
 * A small client for the Custom CSRs API: one scheme of credentials per request, a deadline per attempt,
 * bounded retries with backoff for 429/5xx/transport failures, and every response shape-checked before use.
 * Errors are the package's typed errors and never carry a credential: no axios error (which holds the request
 * headers) is ever attached to them, and any credential a server echoes back is removed before it gets there.
 * A loopback base URL is never reached through a proxy (`HTTP_PROXY` would otherwise see the plain-text
 * credential); any other goes through `HTTPS_PROXY` as a CONNECT tunnel unless `NO_PROXY` matches.
 */
export class CloudflareClient {
  private readonly http: Axios;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly redactor: Redactor;

  constructor(private readonly config: ClientConfig) {
    const agents = keepAliveAgents();
    this.policy = { ...DEFAULT_RETRY_POLICY, ...config.retry };
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.redactor = redactorFor(secretsOf(config.credentials));
    // An `Axios` of its own settings only, not `axios.create`'s merge with axios's global defaults: every request
    // merges these settings again, and the defaults' per-method header buckets, XSRF names, form-data classes and
    // `transitional` flags (whose absence axios reads as their defaults) are work for none of these requests.
    this.http = new axios.Axios({
      baseURL: config.baseUrl,
      headers: { Accept: "application/json", "User-Agent": userAgent(), ...authHeaders(config.credentials) },
      httpAgent: agents.http,
      httpsAgent: agents.https,
      adapter: directAdapter(axios.getAdapter("http")),
      responseType: "text",
      transformRequest: [],
      transformResponse: [],
      validateStatus: () => true,
      // Read by the adapter as a deadline for the whole exchange (see `ExchangeDeadlineError`).
      timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      decompress: true,
      ...(isLoopbackHost(new URL(config.baseUrl).hostname) ? { proxy: false as const } : {}),
    });
  }

  /** `GET /{accounts|zones}/{id}/custom_csrs/{custom_csr_id}`. */
  async getCustomCsr(scope: CsrScope, customCsrId: string): Promise<ApiCustomCsr> {
    const path = `/${scopePath(scope)}/custom_csrs/${encodeURIComponent(customCsrId)}`;
    const context = { description: `GET ${path}`, scope, customCsrId };
    const envelope = await this.request(path, undefined, context);
    const checked = checkCustomCsr(envelope.result);
    if (!checked.ok) throw malformed(context.description, checked.problems);
    return checked.value;
  }

  /** `GET /{accounts|zones}/{id}/custom_csrs`: one page. */
  async listCustomCsrs(scope: CsrScope, options: ListOptions = {}): Promise<CustomCsrPage> {
    const path = `/${scopePath(scope)}/custom_csrs`;
    const query: Record<string, string | number> = {
      page: options.page ?? 1,
      per_page: options.perPage ?? MAX_PER_PAGE,
    };
    if (options.order !== undefined) query.order = options.order;
    if (options.direction !== undefined) query.direction = options.direction;
    const context = { description: `GET ${path}?page=${query.page}`, scope };
    const envelope = await this.request(path, query, context);
    const checked = checkCustomCsrPage(envelope.result, envelope.resultInfo);
    if (!checked.ok) throw malformed(context.description, checked.problems);
    return checked.value;
  }

  /**
   * Every custom CSR of a scope, following pages until the last one the list claims (at most `MAX_LIST_PAGES`,
   * a larger claim is refused), an empty page, or a page that brings no CSR not seen before (a server that
   * ignores `page` and repeats itself). Memory grows with the distinct CSRs received, never with a claim.
   */
  async listAllCustomCsrs(scope: CsrScope, options: Omit<ListOptions, "page"> = {}): Promise<ApiCustomCsr[]> {
    const all = new Map<string, ApiCustomCsr>();
    for (let page = 1; page <= MAX_LIST_PAGES; page++) {
      const { items, pages } = await this.listCustomCsrs(scope, { ...options, page });
      const before = all.size;
      for (const item of items) if (!all.has(item.id)) all.set(item.id, item);
      if (all.size === before || page >= pages) break;
    }
    return [...all.values()];
  }

  /**
   * Every custom certificate (`kind` custom_ssl) or custom hostname (custom_hostname) of a zone, each page through
   * the same bounded walk as the CSR lists: at most `MAX_LIST_PAGES`, ending at an empty page or one with nothing new.
   */
  async listServingCertificates(zoneId: string, kind: ApiServingCertificate["kind"]): Promise<ApiServingCertificate[]> {
    const resource = kind === "custom_ssl" ? "custom_certificates" : "custom_hostnames";
    const path = `/zones/${encodeURIComponent(zoneId)}/${resource}`;
    const all = new Map<string, ApiServingCertificate>();
    for (let page = 1; page <= MAX_LIST_PAGES; page++) {
      const context = { description: `GET ${path}?page=${page}`, scope: { zoneId } };
      const envelope = await this.request(path, { page, per_page: 50 }, context);
      if (!Array.isArray(envelope.result)) throw malformed(context.description, ["`result` is not a list"]);
      const before = all.size;
      for (const item of envelope.result) {
        const binding = servingCertificateOf(kind, item);
        if (binding !== undefined && !all.has(binding.id)) all.set(binding.id, binding);
      }
      const info = envelope.resultInfo as { total_pages?: unknown } | undefined;
      const pages = typeof info?.total_pages === "number" ? info.total_pages : 1;
      if (all.size === before || page >= pages) break;
    }
    return [...all.values()];
  }

  /** `GET /zones/{zone_id}`: the zone's id and name (what an ACME order checks its names against). */
  async getZone(zoneId: string): Promise<ApiZone> {
    const path = `/zones/${encodeURIComponent(zoneId)}`;
    const context = { description: `GET ${path}`, scope: { zoneId } };
    const envelope = await this.request(path, undefined, context);
    const checked = checkZone(envelope.result);
    if (!checked.ok) throw malformed(context.description, checked.problems);
    return checked.value;
  }

  /** `GET /zones/{zone_id}/dns_records?type=TXT&name=<name>`: the zone's TXT records of one name (first page). */
  async listTxtRecords(zoneId: string, name: string): Promise<ApiDnsRecord[]> {
    const path = `/zones/${encodeURIComponent(zoneId)}/dns_records`;
    const context = { description: `GET ${path}?type=TXT`, scope: { zoneId } };
    const envelope = await this.request(path, { type: "TXT", name, per_page: 100 }, context);
    const records = Array.isArray(envelope.result) ? envelope.result : [];
    return records.flatMap((record) => {
      const checked = checkDnsRecord(record);
      return checked.ok ? [checked.value] : [];
    });
  }

  /** `POST /zones/{zone_id}/dns_records` of one TXT record; resolves with the record Cloudflare created. */
  async createTxtRecord(zoneId: string, record: { name: string; content: string; ttl: number }): Promise<ApiDnsRecord> {
    const path = `/zones/${encodeURIComponent(zoneId)}/dns_records`;
    const context = { description: `POST ${path}`, scope: { zoneId } };
    const envelope = await this.request(path, undefined, context, { method: "POST", body: { type: "TXT", ...record } });
    const checked = checkDnsRecord(envelope.result);
    if (!checked.ok) throw malformed(context.description, checked.problems);
    return checked.value;
  }

  /** `DELETE /zones/{zone_id}/dns_records/{id}`. */
  async deleteDnsRecord(zoneId: string, recordId: string): Promise<void> {
    const path = `/zones/${encodeURIComponent(zoneId)}/dns_records/${encodeURIComponent(recordId)}`;
    await this.request(path, undefined, { description: `DELETE ${path}`, scope: { zoneId } }, { method: "DELETE" });
  }

  /** Sends one request with retries; resolves with a successful envelope or throws a typed error. */
  private async request(
    path: string,
    query: Record<string, string | number> | undefined,
    context: Omit<RequestContext, "scheme" | "attempts">,
    write?: { method: "POST" | "DELETE"; body?: unknown },
  ): Promise<CheckedEnvelope> {
    try {
      return await this.requestWithRetries({ path, query, ...write }, context);
    } catch (error) {
      // Whatever an error quotes (a server's words, a transport message) loses the credentials in use.
      throw this.redactor.error(error);
    }
  }

  private async requestWithRetries(
    request: HttpRequest,
    context: Omit<RequestContext, "scheme" | "attempts">,
  ): Promise<CheckedEnvelope> {
    const { scheme } = this.config.credentials;
    // The call's own deadline: every attempt it may make, each with its full timeout. A wait in the limiter for a
    // rate-limit reset beyond it fails at once instead of outliving the call (a one-second attempt timeout must not
    // fail a two-second reset; a five-minute reset must not hang the call).
    const deadline = Date.now() + (this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS) * (this.policy.maxRetries + 1);
    for (let attempt = 1; ; attempt++) {
      const retriesLeft = attempt <= this.policy.maxRetries;
      const outcome = await this.attempt(request, deadline);
      if (outcome.kind === "transport") {
        if (retriesLeft && outcome.retryable) {
          await this.sleep(backoffMs(attempt - 1, this.policy));
          continue;
        }
        const retried = attempt > 1 ? ` after ${attempt} attempts` : "";
        throw new ConnectionError(`Cloudflare API ${context.description} failed${retried}: ${outcome.reason}.`);
      }

      const envelope = parseEnvelope(outcome.text);
      const ok2xx = outcome.status >= 200 && outcome.status < 300;
      if (ok2xx && envelope?.success === true) return envelope;

      // A 2xx that is not a valid envelope is a cut-off or garbled body: worth another try.
      const retryable = isRetryableStatus(outcome.status) || (ok2xx && envelope === undefined);
      if (retryable && retriesLeft) {
        const wait = this.waitBeforeRetry(outcome, attempt, context.description);
        await this.sleep(wait);
        continue;
      }
      // Built only for an error: a successful lookup never needs it.
      const fullContext: RequestContext = {
        ...context,
        scheme,
        attempts: attempt,
        baseUrl: this.config.baseUrl,
        redact: this.redactor.text,
      };
      if (envelope === undefined) throw unreadable(outcome, fullContext);
      throw errorFromResponse(outcome.status, envelope.errors, fullContext);
    }
  }

  /** The wait before the next attempt: the server's `Retry-After` when it gives one, else backoff. */
  private waitBeforeRetry(
    outcome: Extract<Attempt, { kind: "response" }>,
    attempt: number,
    description: string,
  ): number {
    const asked = retryAfterMs(outcome.headers) ?? (outcome.status === 429 ? resetMs(outcome.headers) : undefined);
    if (asked === undefined) return backoffMs(attempt - 1, this.policy);
    if (asked > this.policy.maxRetryAfterMs) {
      throw new RateLimitError(
        `Cloudflare API ${description} was rate limited (HTTP ${outcome.status}) and asked to wait ${Math.ceil(asked / 1000)} s, ` +
          `longer than the ${Math.round(this.policy.maxRetryAfterMs / 1000)} s this client waits. Cloudflare allows 1200 requests ` +
          `per 5 minutes per user; try again later, or lower the number of lookups running at once.`,
        {
          status: outcome.status,
          errors: relayedErrors(parseEnvelope(outcome.text)?.errors ?? [], this.redactor.text),
          retryAfterMs: asked,
        },
      );
    }
    return asked;
  }

  /** One HTTP exchange through the limiter (when there is one), which sees every response. */
  private async attempt(request: HttpRequest, deadline: number): Promise<Attempt> {
    const limiter = this.config.limiter?.();
    if (limiter === undefined) return this.exchange(request);
    // A turn is waited for no longer than the call's remaining deadline (nor beyond the limiter's own bound).
    const release = await limiter.acquire(Math.max(0, deadline - Date.now()));
    try {
      const outcome = await this.exchange(request);
      if (outcome.kind === "response") limiter.observe(outcome.status, outcome.headers);
      return outcome;
    } finally {
      release();
    }
  }

  /** One HTTP exchange with its own deadline; never throws. */
  private async exchange({ method = "GET", path, query, body }: HttpRequest): Promise<Attempt> {
    try {
      const response: AxiosResponse<string> = await this.http.request({
        method,
        url: path,
        ...(query === undefined ? {} : { params: query }),
        ...(body === undefined ? {} : { data: JSON.stringify(body), headers: { "Content-Type": "application/json" } }),
      });
      return {
        kind: "response",
        status: response.status,
        headers: { ...response.headers } as Record<string, unknown>,
        text: typeof response.data === "string" ? response.data : "",
        contentType: String(response.headers["content-type"] ?? ""),
      };
    } catch (error) {
      if (error instanceof ExchangeDeadlineError)
        return { kind: "transport", reason: `no response within ${error.timeoutMs} ms`, retryable: true };
      return transportFailure(error);
    }
  }
}

/** One HTTP request: a GET unless said otherwise; a body is sent as JSON. */
interface HttpRequest {
  readonly method?: "GET" | "POST" | "DELETE";
  readonly path: string;
  /** The query string's parameters; none when `undefined`. */
  readonly query: Record<string, string | number> | undefined;
  readonly body?: unknown;
}

function parseEnvelope(text: string): CheckedEnvelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const checked = checkEnvelope(body);
  return checked.ok ? checked.value : undefined;
}

/** A 429 without `Retry-After` whose `Ratelimit` header shows the budget spent: wait for the window to reset. */
function resetMs(headers: Record<string, unknown>): number | undefined {
  const { remaining, resetSeconds } = parseRateLimitHeaders(headers);
  return remaining === 0 && resetSeconds !== undefined ? resetSeconds * 1000 : undefined;
}

function malformed(description: string, problems: readonly string[]): CloudflareApiError {
  return new CloudflareApiError(
    `Cloudflare API ${description} returned a response this client cannot use: ${problems.join("; ")}.`,
    200,
  );
}

function unreadable(outcome: Extract<Attempt, { kind: "response" }>, context: RequestContext): CloudflareApiError {
  const redact = context.redact ?? ((text: string) => text);
  const type = cut(redact(outcome.contentType.split(";")[0].trim()), 100);
  const what = `${type === "" ? "a" : `a ${type}`} body that is not a Cloudflare JSON envelope`;
  const retried = context.attempts > 1 ? ` after ${context.attempts} attempts` : "";
  const advice = outcome.status === 404 ? baseUrlAdvice(context.baseUrl) : undefined;
  return new CloudflareApiError(
    `Cloudflare API ${context.description} failed${retried}: ${summarize(outcome.status, [])} with ${what}.` +
      (advice === undefined ? "" : ` ${advice}`),
    outcome.status,
  );
}

/** A short, credential-free description of a transport failure (the axios error itself holds the headers). */
function transportFailure(error: unknown): Extract<Attempt, { kind: "transport" }> {
  if (!axios.isAxiosError(error))
    return { kind: "transport", reason: error instanceof Error ? error.message : String(error), retryable: true };
  const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
  if (/maxContentLength/.test(error.message)) {
    return {
      kind: "transport",
      reason: `the response was larger than ${MAX_RESPONSE_BYTES} bytes, refused`,
      retryable: false,
    };
  }
  if (code !== undefined && TLS_VERIFICATION_CODES.has(code)) {
    return {
      kind: "transport",
      reason:
        `the server's TLS certificate did not verify (${code}: ${error.message}). This package never skips verification; ` +
        `if a TLS-inspecting proxy sits in between, trust its CA with NODE_EXTRA_CA_CERTS`,
      retryable: false,
    };
  }
  return { kind: "transport", reason: [code, error.message].filter(Boolean).join(": "), retryable: true };
}
