import { createHash } from "node:crypto";
import type { Credentials } from "./credentials";
import { RequestLimiter } from "./limiter";

/**
 * Identifies a connection, i.e. one Cloudflare budget: the base URL and the credential, nothing else. Per-call
 * options (timeouts, retries) must not split a user's budget or concurrency cap. The credential is hashed, so
 * no key ever holds it.
 */
export function connectionKey(baseUrl: string, credentials: Credentials): string {
  const secret = createHash("sha256").update(JSON.stringify(credentials)).digest("hex").slice(0, 32);
  return `${baseUrl} ${credentials.scheme}:${secret}`;
}

const limiters = new Map<string, RequestLimiter>();
/** Keys with a check already scheduled for the end of their throttle. */
const rechecks = new Set<string>();

/**
 * The one limiter of a connection in this process, created on first use. A limiter is forgotten once it is idle
 * and holds no throttle the server announced (or when that throttle ends), so a process that meets thousands of
 * credentials keeps none of them around; a forgotten limiter's next request simply starts a fresh one, whose
 * budget the next response's `Ratelimit` headers correct.
 */
export function limiterFor(baseUrl: string, credentials: Credentials): RequestLimiter {
  const key = connectionKey(baseUrl, credentials);
  let limiter = limiters.get(key);
  if (limiter === undefined) {
    limiter = new RequestLimiter(undefined, undefined, (idle) => forgetWhenForgettable(key, idle));
    limiters.set(key, limiter);
  }
  return limiter;
}

/** Limiters currently kept, for tests and diagnostics. */
export function liveLimiters(): number {
  return limiters.size;
}

function forgetWhenForgettable(key: string, limiter: RequestLimiter): void {
  // A busy limiter reports again when it goes idle.
  if (limiters.get(key) !== limiter || limiter.inFlight > 0) return;
  if (limiter.forgettable) {
    limiters.delete(key);
    return;
  }
  if (rechecks.has(key)) return;
  rechecks.add(key);
  // Keep the announced throttle until it ends; unref'd, so it never holds a process open.
  const timer = setTimeout(() => {
    rechecks.delete(key);
    forgetWhenForgettable(key, limiter);
  }, Math.max(limiter.windowEndsAt - Date.now(), 0) + 1);
  timer.unref();
}
