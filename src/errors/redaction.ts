/**
 * Keeps credentials out of error text. A server (or a proxy, or a test double) may echo what it was sent: the
 * `Authorization` header, the API key, the email. Whatever text is relayed from a response or from our own inputs
 * passes through a {@link Redactor} built from the credentials in use before it becomes part of an error, and
 * errors raised elsewhere (e.g. while verifying a record) are rewritten in place by {@link Redactor.error}.
 */

/** Shown instead of a credential. */
export const REDACTED = "[redacted]";

/** Shorter values are not credentials (and replacing them would garble ordinary words). */
const MIN_SECRET_LENGTH = 4;
/** How deep {@link Redactor.error} looks into an error's own properties. */
const MAX_DEPTH = 4;

/** Removes a fixed set of secrets from text and from errors. */
export interface Redactor {
  /** `text` with every occurrence of every secret (any letter case, also URL-encoded) replaced by {@link REDACTED}. */
  text(text: string): string;
  /**
   * Rewrites an error in place (message, stack and every string in its own properties, e.g. `errors`,
   * `mismatches`), so `message`, `stack`, `JSON.stringify` and `util.inspect` show no secret; returns it.
   */
  error<T>(error: T): T;
}

/** A {@link Redactor} for these secrets; blank and very short values are ignored. */
export function redactorFor(secrets: readonly string[]): Redactor {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = alternatives.length === 0 ? undefined : new RegExp(alternatives.join("|"), "gi");
  const text = (value: string) => (pattern === undefined ? value : value.replace(pattern, REDACTED));

  const scrub = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return text(value);
    if (depth >= MAX_DEPTH || typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
    if (value instanceof Error) return scrubError(value, depth);
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item, depth + 1)]));
  };
  const scrubError = <T extends Error>(error: T, depth: number): T => {
    for (const key of Object.getOwnPropertyNames(error)) {
      const descriptor = Object.getOwnPropertyDescriptor(error, key);
      if (descriptor === undefined || !("value" in descriptor) || descriptor.writable !== true) continue;
      const scrubbed = scrub(descriptor.value, depth + 1);
      if (scrubbed !== descriptor.value) Object.defineProperty(error, key, { ...descriptor, value: scrubbed });
    }
    return error;
  };
  return {
    text,
    error: <T>(error: T): T => (pattern !== undefined && error instanceof Error ? scrubError(error, 0) : error),
  };
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
