/**
 * Helpers for JSON values that come from outside the process (a server's body, a stack's state): nothing about
 * their shape is assumed until checked.
 */

/** Whether a value is a plain JSON object (not `null`, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * JSON with object keys sorted (by UTF-16 code unit) and `undefined`/`null` members left out, so records that say
 * the same thing serialise, hash and compare equally. A `null` or `undefined` value at the top or in an array is
 * `null`. The drift digest in state is a hash of this text: changing it changes every stack's digest.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The text, trimmed; `undefined` when it is absent or blank (blank config values and options count as unset). */
export function nonBlank(value: string | undefined): string | undefined {
  // Checked at run time too: JavaScript callers can pass anything as an option.
  const trimmed = typeof value === "string" ? value.trim() : "";
  return trimmed === "" ? undefined : trimmed;
}
