import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { ADMIN_PATH, handleAdminRequest } from "./admin";
import { authSchemesOf } from "./auth";
import { Errors } from "./codes";
import { failure, type ApiResponse } from "./envelope";
import { faultAction, type FaultQueue } from "./faults";
import { rateLimitHeaders, type RateLimiter } from "./rate-limit";
import { handleApiRequest, type ApiRequest, type RouteContext } from "./routes";
import type { RecordedRequest } from "./types";

/** Everything the HTTP layer needs; the emulator owns it and may change it between requests. */
export interface ServerContext extends RouteContext {
  limiter: RateLimiter;
  faults: FaultQueue;
  /** Appends to the request log (records are completed in place once the status is known). */
  record(request: RecordedRequest): void;
  /** Called once the request is answered or given up on (a reset, a hang, a client gone), with its final record. */
  settled(request: RecordedRequest): void;
  latencyMs(): number;
  /** A timer that the emulator cancels on stop. */
  delay(ms: number): Promise<void>;
  /** Largest body read; a longer one is answered with 413 without reading (or holding) the rest. */
  maxBodyBytes: number;
}

/** A request body as read: its text, or the fact that it crossed the limit (its bytes are discarded). */
type Body = { tooLarge: false; text: string } | { tooLarge: true };

/**
 * The request pipeline: record, read the body (a body over the limit is answered with 413 at once), answer the
 * admin endpoints (`/__emulator/...`, see `admin.ts`) at once, else wait the latency, then an injected fault if one
 * matches or a random one if drawn (faults do not count against the rate limit), else the rate limit, else the API.
 * Every API answer is JSON with rate-limit headers.
 */
export function createRequestListener(context: ServerContext): RequestListener {
  return (req, res) => {
    serve(context, req, res).catch(() => {
      // Only a failed body read gets here (the client went away mid-request): nothing left to answer.
      req.socket.destroy();
    });
  };
}

async function serve(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = parseTarget(req.url ?? "/");
  const method = (req.method ?? "GET").toUpperCase();
  const entry: RecordedRequest = {
    method,
    // A target no URL parser accepts is kept as sent; it routes nowhere (400 / 7000).
    path: url?.pathname ?? req.url ?? "",
    query: url === undefined ? {} : Object.fromEntries(url.searchParams),
    authSchemes: authSchemesOf(req.headers),
    time: Date.now(),
  };
  context.record(entry);
  try {
    await answer(context, req, res, entry);
  } finally {
    context.settled(entry);
  }
}

async function answer(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  entry: RecordedRequest,
): Promise<void> {
  const { method } = entry;
  const read = await readBody(req, context.maxBodyBytes);
  if (read.tooLarge) {
    const { status, body } = failure(413, [Errors.requestTooLarge(context.maxBodyBytes)]);
    // The rest of the body is never read, so the connection cannot serve another request.
    const headers = { "Content-Type": "application/json", Connection: "close" };
    if (send(res, status, headers, JSON.stringify(body))) entry.status = status;
    return;
  }
  const body = read.text;
  if (entry.path.startsWith(`${ADMIN_PATH}/`)) {
    if (!isLoopbackHost(req.headers.host)) {
      const { status, body: refusal } = failure(403, [Errors.foreignHost()]);
      if (send(res, status, { "Content-Type": "application/json" }, JSON.stringify(refusal))) entry.status = status;
      return;
    }
    const request = { method, path: entry.path, query: entry.query, headers: req.headers, body };
    const certificates = /^\/__emulator\/zones\/([0-9a-f]{32})\/certificates(?:\/([^/]+))?$/.exec(entry.path);
    const response =
      certificates !== null
        ? adminCertificates(context, certificates[1], certificates[2], request)
        : await handleAdminRequest(context, request).catch(() => failure(500, [Errors.internal()]));
    const text = JSON.stringify(response.body);
    if (send(res, response.status, { "Content-Type": "application/json" }, text)) entry.status = response.status;
    return;
  }
  const latency = context.latencyMs();
  if (latency > 0) await context.delay(latency);

  const fault = context.faults.take(method, entry.path);
  if (fault !== undefined) {
    entry.faultApplied = fault.kind;
    const action = faultAction(fault, context.limiter.current, context.limiter.peek());
    if (action.action === "reset") req.socket.destroy();
    if (action.action !== "send") return;
    if (send(res, action.status, action.headers, action.body)) entry.status = action.status;
    return;
  }

  const window = context.limiter.take();
  const headers = { "Content-Type": "application/json", ...rateLimitHeaders(context.limiter.current, window) };
  if (!window.allowed) Object.assign(headers, { "Retry-After": String(window.resetSeconds) });
  let response: ApiResponse;
  let text: string;
  try {
    response = window.allowed
      ? await handleApiRequest(context, { method, path: entry.path, query: entry.query, headers: req.headers, body })
      : failure(429, [Errors.rateLimited()]);
    text = JSON.stringify(response.body);
  } catch {
    // What Cloudflare's own table promises for anything unexpected (e.g. a record `updateCsr` made unserializable).
    response = failure(500, [Errors.internal()]);
    text = JSON.stringify(response.body);
  }
  if (send(res, response.status, headers, text)) entry.status = response.status;
}

/** Writes a complete response; `false` when the client is already gone. */
function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): boolean {
  if (res.destroyed) return false;
  res.writeHead(status, { ...headers, "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
  return true;
}

function parseTarget(target: string): URL | undefined {
  try {
    return new URL(target, "http://emulator.invalid");
  } catch {
    return undefined;
  }
}

/**
 * Reads the body chunk by chunk up to `limit` bytes. A declared `Content-Length` over the limit, or the first chunk
 * that crosses it, settles the read at once; what arrives afterwards is discarded unread, never buffered.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  if (Number(req.headers["content-length"]) > limit) {
    req.resume();
    return Promise.resolve({ tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      req.off("data", onData);
      req.resume();
      resolve({ tooLarge: true });
    };
    req.on("data", onData);
    req.on("end", () => resolve({ tooLarge: false, text: Buffer.concat(chunks).toString("utf8") }));
    req.on("error", reject);
  });
}

/** The certificate admin endpoints, behind the same credentials and known zones as the API. */
function adminCertificates(
  context: ServerContext,
  zoneId: string,
  id: string | undefined,
  request: ApiRequest,
): ApiResponse {
  const auth = context.credentials.authenticate(request.headers);
  if (auth.kind !== "granted" || !context.isKnownScope({ zoneId })) return failure(403, [Errors.authentication()]);
  return context.certificates.admin(zoneId, id, request);
}

/**
 * Whether a `Host` header names this machine: `localhost` (or a name under it), an IPv4 loopback address or `[::1]`,
 * with any port. A web page that rebinds its own name to 127.0.0.1 still sends its own name, so the admin endpoints
 * (which change the emulator's data) refuse it.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = (host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "")).toLowerCase();
  return name === "localhost" || name.endsWith(".localhost") || name === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(name);
}
