import * as http from "node:http";
import * as https from "node:https";
import * as zlib from "node:zlib";
import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  type RawAxiosHeaders,
} from "axios";

/**
 * An axios adapter for the requests this package sends: a request with a string body or none, on a keep-alive
 * agent, to a host reached directly. Axios keeps the request's config, headers and typed errors; only the exchange
 * is this module's, 0.2 to 0.4 ms less JavaScript per request than axios's general `http` adapter (which also
 * handles streams, forms, redirects, progress events and proxies) before V8 has optimized either.
 *
 * Every request that needs more goes to `fallback` (axios's own `http` adapter) untouched: one that may go through
 * a proxy (an explicit `proxy`, or any proxy variable in the environment, which axios then applies with `NO_PROXY`),
 * one that follows redirects, basic `auth`, a socket path, progress callbacks, a body other than a string, or a
 * response type other than text or JSON.
 *
 * What the exchange keeps of axios's semantics: the base URL and query joined as axios joins them, `Accept-Encoding`
 * offered and gzip, deflate (with or without its zlib header) and brotli bodies decoded, `maxContentLength` applied to
 * the decoded body (`maxContentLength size of N exceeded`, `ERR_BAD_RESPONSE`), a leading BOM removed from text,
 * `validateStatus`, and an abort by `signal`. `timeout` is a deadline for the whole exchange on both paths
 * ({@link ExchangeDeadlineError}). Transport errors are `AxiosError`s that keep the underlying `code`.
 */
export function directAdapter(fallback: AxiosAdapter): AxiosAdapter {
  return (config) => (needsGeneralAdapter(config) ? withDeadline(fallback, config) : exchange(config));
}

/**
 * The exchange did not end within the request's `timeout`. Both paths read `timeout` as a deadline for the whole
 * exchange, response body included: axios's own adapter reads it as the longest silence of the socket, which a
 * server sending a byte a second never reaches.
 */
export class ExchangeDeadlineError extends AxiosError {
  constructor(
    readonly timeoutMs: number,
    config: InternalAxiosRequestConfig,
    request?: unknown,
  ) {
    super(`timeout of ${timeoutMs}ms exceeded`, AxiosError.ETIMEDOUT, config, request);
    this.name = "ExchangeDeadlineError";
  }
}

/** axios's own adapter under the same deadline as the direct exchange, enforced by an abort signal. */
async function withDeadline(fallback: AxiosAdapter, config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
  const timeoutMs = config.timeout ?? 0;
  if (timeoutMs <= 0) return fallback(config);
  const controller = new AbortController();
  const outer = config.signal as AbortSignal | undefined;
  const forward = () => controller.abort(outer?.reason);
  if (outer?.aborted === true) forward();
  else outer?.addEventListener("abort", forward, { once: true });
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await fallback({ ...config, timeout: 0, signal: controller.signal });
  } catch (error) {
    throw expired ? new ExchangeDeadlineError(timeoutMs, config) : error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", forward);
  }
}

/** Every environment variable through which axios (via `proxy-from-env`) or Node may route a request to a proxy. */
const PROXY_VARIABLES = [
  "https_proxy",
  "http_proxy",
  "all_proxy",
  "npm_config_https_proxy",
  "npm_config_http_proxy",
  "npm_config_proxy",
  "node_use_env_proxy",
].flatMap((name) => [name, name.toUpperCase()]);

/** Response types whose body arrives as text (axios's `transformResponse` parses JSON afterwards). */
const TEXT_RESPONSE_TYPES = new Set([undefined, "text", "json"]);

/** True for a request that uses anything this adapter does not implement, which axios's own adapter then sends. */
function needsGeneralAdapter(config: InternalAxiosRequestConfig): boolean {
  if (config.maxRedirects !== 0) return true;
  if (config.data !== undefined && typeof config.data !== "string") return true;
  if (!TEXT_RESPONSE_TYPES.has(config.responseType)) return true;
  if (config.auth !== undefined || config.socketPath != null) return true;
  if (config.onUploadProgress !== undefined || config.onDownloadProgress !== undefined) return true;
  if (config.proxy === false) return false;
  return config.proxy !== undefined || PROXY_VARIABLES.some((name) => Boolean(process.env[name]));
}

/** What axios offers by default, less `compress` (LZW), which nothing decodes. */
const ACCEPT_ENCODING = "gzip, deflate, br";

function exchange(config: InternalAxiosRequestConfig): Promise<AxiosResponse<string>> {
  return new Promise((resolve, reject) => {
    const signal = config.signal as AbortSignal | undefined;
    if (signal?.aborted) {
      reject(new AxiosError("canceled", AxiosError.ERR_CANCELED, config));
      return;
    }
    const url = requestUrl(config);
    const transport = url.protocol === "https:" ? https : http;
    const headers = config.headers.toJSON(true) as Record<string, string>;
    if (!hasHeader(headers, "accept-encoding")) headers["Accept-Encoding"] = ACCEPT_ENCODING;
    const body = config.data as string | undefined;
    if (body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(body));
    const agent = url.protocol === "https:" ? config.httpsAgent : config.httpAgent;
    const method = (config.method ?? "get").toUpperCase();
    const limit = typeof config.maxContentLength === "number" ? config.maxContentLength : -1;

    let settled = false;
    const finish = () => {
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: AxiosError) => {
      if (settled) return;
      finish();
      request.destroy();
      reject(error);
    };
    const onAbort = () => fail(new AxiosError("canceled", AxiosError.ERR_CANCELED, config, request));
    const timeoutMs = config.timeout ?? 0;
    // One timer is the whole deadline: cheaper than an AbortController and its listener on every request.
    const timer =
      timeoutMs > 0
        ? setTimeout(() => fail(new ExchangeDeadlineError(timeoutMs, config, request)), timeoutMs)
        : undefined;

    const request = transport.request(url, { method, headers, agent }, (response) => {
      const encoding = method === "HEAD" || response.statusCode === 204 ? "" : contentEncoding(response.headers);
      const rawLimit = limit < 0 ? Number.POSITIVE_INFINITY : encoding === "" ? limit : limit + limit / 64 + 1024;
      const chunks: Buffer[] = [];
      let received = 0;
      response.on("data", (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        if (received > rawLimit) fail(tooLarge(config, limit, request));
        else chunks.push(chunk);
      });
      response.on("aborted", () =>
        fail(new AxiosError("stream has been aborted", AxiosError.ERR_BAD_RESPONSE, config)),
      );
      response.on("error", (error) => fail(AxiosError.from(error, undefined, config, request)));
      response.on("end", () => {
        if (settled) return;
        const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        decode(raw, encoding, limit, (error, decoded) => {
          if (error !== undefined) {
            fail(
              (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE"
                ? tooLarge(config, limit, request)
                : AxiosError.from(error, undefined, config, request),
            );
            return;
          }
          if (settled) return;
          if (limit >= 0 && decoded.length > limit) {
            fail(tooLarge(config, limit, request));
            return;
          }
          finish();
          // Handed over as AxiosHeaders: axios would otherwise build them twice from a plain object.
          const headersOut = new AxiosHeaders(response.headers as RawAxiosHeaders);
          if (decoded !== raw) headersOut.delete("content-encoding");
          const text = decoded.toString("utf8");
          const result: AxiosResponse<string> = {
            data: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            headers: headersOut,
            config,
            request,
          };
          const validate = config.validateStatus;
          if (validate === undefined || validate === null || validate(result.status)) resolve(result);
          else
            reject(
              new AxiosError(`Request failed with status code ${result.status}`, undefined, config, request, result),
            );
        });
      });
    });
    request.on("error", (error) => fail(AxiosError.from(error, undefined, config, request)));
    signal?.addEventListener("abort", onAbort, { once: true });
    request.end(body);
  });
}

/** The base URL and path joined as axios's `combineURLs` joins them, then the query as `URLSearchParams` writes it. */
function requestUrl(config: InternalAxiosRequestConfig): URL {
  const path = config.url ?? "";
  const base = config.baseURL;
  const joined =
    base === undefined || /^[a-z][a-z\d+.-]*:/i.test(path)
      ? path
      : `${base.replace(/\/?\/$/, "")}/${path.replace(/^\/+/, "")}`;
  const url = new URL(joined);
  const params = config.params as Record<string, string | number | undefined> | undefined;
  if (params !== undefined) {
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
    }
  }
  return url;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** The body's encoding when it is one this adapter decodes; `""` for anything else (left as sent, as axios does). */
function contentEncoding(headers: http.IncomingHttpHeaders): string {
  const value = (headers["content-encoding"] ?? "").toLowerCase();
  return value === "gzip" || value === "x-gzip" || value === "deflate" || value === "br" ? value : "";
}

function tooLarge(config: InternalAxiosRequestConfig, limit: number, request: http.ClientRequest): AxiosError {
  return new AxiosError(`maxContentLength size of ${limit} exceeded`, AxiosError.ERR_BAD_RESPONSE, config, request);
}

/**
 * Decodes a body off the main thread (zlib's thread pool), lenient with a cut-off end as axios is; a decoded body
 * over the limit stops with `ERR_BUFFER_TOO_LARGE` as soon as it passes it, so no bomb is ever inflated in full.
 */
function decode(
  raw: Buffer,
  encoding: string,
  limit: number,
  done: (error: Error | undefined, body: Buffer) => void,
): void {
  if (encoding === "" || raw.length === 0) {
    done(undefined, raw);
    return;
  }
  const maxOutputLength = limit >= 0 ? limit + 1 : undefined;
  const callback = (error: Error | null, body: Buffer) => done(error ?? undefined, body);
  if (encoding === "br") {
    const flush = zlib.constants.BROTLI_OPERATION_FLUSH;
    zlib.brotliDecompress(
      raw,
      { flush, finishFlush: flush, ...(maxOutputLength ? { maxOutputLength } : {}) },
      callback,
    );
    return;
  }
  const options = {
    flush: zlib.constants.Z_SYNC_FLUSH,
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
    ...(maxOutputLength ? { maxOutputLength } : {}),
  };
  // A deflate body without its zlib header (some servers send raw deflate) is read as raw deflate.
  if (encoding === "deflate" && !hasZlibHeader(raw)) zlib.inflateRaw(raw, options, callback);
  else zlib.unzip(raw, options, callback);
}

/** RFC 1950: CM 8 in the low nibble of the first byte, and the first two bytes a multiple of 31. */
function hasZlibHeader(raw: Buffer): boolean {
  return raw.length >= 2 && (raw[0] & 0x0f) === 8 && ((raw[0] << 8) | raw[1]) % 31 === 0;
}
