import { createHash } from "node:crypto";
import type { Credentials } from "./credentials";
import { DEFAULT_LIMITER_OPTIONS, RequestLimiter } from "./limiter";

/**
 * Identifies a connection, i.e. one Cloudflare budget: the base URL and the credential, nothing else. Per-call
 * options (timeouts, retries) must not split a user's budget or concurrency cap. The credential is hashed, so
 * no key ever holds it.
 */
export function connectionKey(baseUrl: string, credentials: Credentials): string {
  const input = JSON.stringify(credentials);
  if (lastKey?.baseUrl !== baseUrl || lastKey.input !== input) {
    const secret = createHash("sha256").update(input).digest("hex").slice(0, 32);
    lastKey = { baseUrl, input, key: `${baseUrl} ${credentials.scheme}:${secret}` };
  }
  return lastKey.key;
}

/**
 * The last key computed: a program's lookups nearly always use one credential, and hashing it costs more than the
 * rest of a lookup's bookkeeping. It holds the credential only as the session's clients already do, in memory.
 */
let lastKey: { readonly baseUrl: string; readonly input: string; readonly key: string } | undefined;

/** Longest wait before a throttled, idle limiter is looked at again (its window never lasts longer). */
const MAX_RECHECK_MS = DEFAULT_LIMITER_OPTIONS.windowMs;

/**
 * The one limiter of each connection, created on first use. A limiter is forgotten once it is idle and holds no
 * throttle the server announced (or when that throttle ends), so meeting thousands of credentials keeps none of
 * them around; a forgotten limiter's next request simply starts a fresh one, whose budget the next response's
 * `Ratelimit` headers correct. A lookup session owns one registry (a process has one session per entry point).
 */
export class ConnectionLimiters {
  private readonly limiters = new Map<string, RequestLimiter>();
  /** Keys with a check already scheduled for the end of their throttle. */
  private readonly rechecks = new Set<string>();

  /** The limiter of a connection, by its {@link connectionKey} (computed once by the caller, not per request). */
  for(key: string): RequestLimiter {
    let limiter = this.limiters.get(key);
    if (limiter === undefined) {
      limiter = new RequestLimiter(undefined, undefined, (idle) => this.forgetWhenForgettable(key, idle));
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  /** Limiters currently kept, for tests and diagnostics. */
  get size(): number {
    return this.limiters.size;
  }

  private forgetWhenForgettable(key: string, limiter: RequestLimiter): void {
    // A busy limiter reports again when it goes idle.
    if (this.limiters.get(key) !== limiter || limiter.inFlight > 0) return;
    if (limiter.forgettable) {
      this.limiters.delete(key);
      return;
    }
    if (this.rechecks.has(key)) return;
    this.rechecks.add(key);
    // Keep the announced throttle until it ends; unref'd, so it never holds a process open.
    const timer = setTimeout(
      () => {
        this.rechecks.delete(key);
        this.forgetWhenForgettable(key, limiter);
      },
      Math.min(Math.max(limiter.windowEndsAt - Date.now(), 0), MAX_RECHECK_MS) + 1,
    );
    timer.unref();
  }
}
