import { Errors } from "./codes";
import { failure } from "./envelope";
import { EmulatorOptionError } from "./errors";
import { rateLimitHeaders, type RateLimitDecision } from "./rate-limit";
import type { Fault, FaultOptions, RandomFaults, RateLimitPolicy } from "./types";

/** What the server does for a faulted request. */
export type FaultAction =
  | { action: "reset" }
  | { action: "hang" }
  | { action: "send"; status: number; headers: Record<string, string>; body: string };

interface PendingFault {
  fault: Fault;
  remaining: number;
  method?: string;
  pathIncludes?: string;
}

/**
 * Injected faults waiting for their requests; the first injected fault that matches a request answers it. With a
 * random policy, every request also spends one draw, which answers it when no injected fault does.
 */
export class FaultQueue {
  private pending: PendingFault[] = [];
  private random: { policy: RandomFaults; next: () => number } | undefined;

  /** Queues a fault for the next `count` (default 1) matching requests. */
  add(fault: Fault, options: FaultOptions = {}): void {
    const count = options.count ?? 1;
    if (!(Number.isInteger(count) && count >= 1)) {
      throw new EmulatorOptionError("fault count must be a positive integer");
    }
    this.pending.push({
      fault,
      remaining: count,
      method: options.method?.toUpperCase(),
      pathIncludes: options.pathIncludes,
    });
  }

  /** Forgets every pending fault. */
  clear(): void {
    this.pending = [];
  }

  /** Serves random faults by `policy` from now on, its PRNG restarted from the seed; `undefined` stops them. */
  setRandom(policy: RandomFaults | undefined): void {
    this.random =
      policy === undefined
        ? undefined
        : { policy: { ...policy, kinds: [...policy.kinds] }, next: mulberry32(policy.seed ?? 0) };
  }

  /** The fault that answers this request, if any, counting it as used. */
  take(method: string, path: string): Fault | undefined {
    const drawn = this.draw();
    const match = this.pending.find(
      (entry) =>
        (entry.method === undefined || entry.method === method) &&
        (entry.pathIncludes === undefined || path.includes(entry.pathIncludes)),
    );
    if (match === undefined) return drawn;
    match.remaining -= 1;
    if (match.remaining === 0) this.pending = this.pending.filter((entry) => entry !== match);
    return match.fault;
  }

  private draw(): Fault | undefined {
    if (this.random === undefined) return undefined;
    const { policy, next } = this.random;
    if (!(next() < policy.rate)) return undefined;
    return policy.kinds[Math.floor(next() * policy.kinds.length)];
  }
}

/**
 * mulberry32: a tiny, fast 32-bit PRNG, plenty for picking faults, and seedable, which `Math.random` is not.
 * Returns numbers in [0, 1).
 */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JSON_TYPE = { "Content-Type": "application/json" };

/** The page Cloudflare's edge serves when it cannot reach the service behind it. */
const BAD_GATEWAY_PAGE =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
  "<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

const SERVER_ERROR_MESSAGES: Record<500 | 502 | 503 | 504, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * Turns a fault into what goes on the wire. JSON faults carry the `Ratelimit` / `Ratelimit-Policy` headers of the
 * current window as a real API response would; the HTML page, like Cloudflare's edge, does not.
 */
export function faultAction(
  fault: Fault,
  policy: RateLimitPolicy,
  window: Pick<RateLimitDecision, "remaining" | "resetSeconds">,
): FaultAction {
  const rateLimit = rateLimitHeaders(policy, window);
  switch (fault.kind) {
    case "reset":
    case "hang":
      return { action: fault.kind };
    case "rate-limit": {
      const resetSeconds = fault.retryAfterSeconds ?? window.resetSeconds;
      const headers = { ...JSON_TYPE, ...rateLimitHeaders(policy, { remaining: 0, resetSeconds }) };
      const retryAfter: Record<string, string> =
        fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
      return json(429, failure(429, [Errors.rateLimited()]).body, { ...headers, ...retryAfter });
    }
    case "server-error": {
      const status = fault.status ?? 500;
      return json(status, failure(status, [Errors.internal(SERVER_ERROR_MESSAGES[status])]).body, {
        ...JSON_TYPE,
        ...rateLimit,
      });
    }
    case "html-502":
      return {
        action: "send",
        status: 502,
        headers: { "Content-Type": "text/html; charset=UTF-8" },
        body: BAD_GATEWAY_PAGE,
      };
    case "truncated-json": {
      const whole = JSON.stringify({
        success: true,
        errors: [],
        messages: [],
        result: {
          id: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752",
          key_type: "rsa2048",
          csr:
            "-----BEGIN CERTIFICATE REQUEST-----\n" +
            "MIICvDCCAaQCAQAwdzELMAkGA1UEBhMCVVMxEzARBgNVBAgMCkNhbGlmb3JuaWEx\n" +
            "-----END CERTIFICATE REQUEST-----\n",
        },
      });
      return {
        action: "send",
        status: 200,
        headers: { ...JSON_TYPE, ...rateLimit },
        body: whole.slice(0, Math.floor(whole.length / 2)),
      };
    }
    case "success-false":
      return json(200, failure(200, [Errors.internal()]).body, { ...JSON_TYPE, ...rateLimit });
    case "response": {
      // Header names are case-insensitive: a given "content-type" replaces the default "Content-Type".
      const overridden = new Set(Object.keys(fault.headers ?? {}).map((name) => name.toLowerCase()));
      const defaults = Object.entries({ ...JSON_TYPE, ...rateLimit }).filter(
        ([name]) => !overridden.has(name.toLowerCase()),
      );
      const headers = Object.fromEntries(defaults);
      const body = typeof fault.body === "string" ? fault.body : (JSON.stringify(fault.body) ?? "");
      return { action: "send", status: fault.status, headers: { ...headers, ...fault.headers }, body };
    }
  }
}

function json(status: number, body: unknown, headers: Record<string, string>): FaultAction {
  return { action: "send", status, headers, body: JSON.stringify(body) };
}
