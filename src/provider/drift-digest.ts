/**
 * The drift digest a `CustomCsr` keeps in its state (`observed`): a SHA-256 over every API field and the PEM, then
 * 4 hex digits per field. The provider compares digests to see remote changes; `custom-csr drift` reads the field
 * digests to name what changed. Any change to the hashed fields changes the digest of every CSR in every stack.
 */
import { createHash } from "node:crypto";
import { CSR_FIELDS } from "../cloudflare/fields";
import { canonicalJson } from "../json";
import type { StoredResult } from "../lookup/result";

/** Everything the API said about a CSR, with the PEM reduced to its hash: what {@link observedDigest} hashes. */
export type Observed = Record<string, string | string[]>;

/**
 * The API fields an {@link Observed} record holds, besides `pemSha256`: all but the id (the resource's identity)
 * and the PEM (hashed instead). Facts decoded from the PEM (subject, key algorithm and fingerprint) are left out:
 * `pemSha256` already changes with them. Any change to this set changes the digest of every CSR in every stack.
 */
const OBSERVED_FIELDS = CSR_FIELDS.map((field) => field.output).filter(
  (field) => field !== "customCsrId" && field !== "pem",
);

/**
 * Every API field of a result except the PEM and the lookup scope, plus `pemSha256`, keys sorted. Accepts any
 * record with the result's fields (e.g. stored outputs) and ignores other keys.
 */
export function observedOf(result: StoredResult): Observed {
  const observed: Observed = {};
  for (const field of OBSERVED_FIELDS) {
    const value = result[field];
    if (value !== undefined && value !== null) observed[field] = value;
  }
  observed.pemSha256 = sha256(result.pem);
  return Object.fromEntries(Object.entries(observed).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * A compact fingerprint of everything the API said about a CSR (lower-case hex SHA-256 of its canonical
 * {@link Observed} record): any change of an API field or of the PEM changes it. The provider records it so
 * that the engine's diffs see remote changes (see `provider/runtime.ts`).
 */
export function observedDigest(result: StoredResult): string {
  return sha256(canonicalJson(observedOf(result)));
}

/** Hex digits kept of each field's digest in {@link observedRecord}: enough to name a field, never to compare whole. */
const FIELD_DIGEST_LENGTH = 4;
/** What {@link observedRecord} writes for a field the API left out. */
const ABSENT_FIELD = "-".repeat(FIELD_DIGEST_LENGTH);
/** Every field an {@link Observed} record may hold, in the fixed order of {@link observedRecord}'s field digests. */
const RECORDED_FIELDS = [...OBSERVED_FIELDS, "pemSha256"].sort();

/**
 * What the provider stores as `observed`: {@link observedDigest}, a dot, then a short digest of each field in a
 * fixed order (`----` when absent), 64 + 1 + 4 per field characters. The full digest decides whether anything
 * changed; the field digests let `custom-csr drift` name what changed after a plain `pulumi refresh` has already
 * written the current values into the outputs (about 140 bytes of state per copy, against a copy of every field).
 */
export function observedRecord(result: StoredResult): string {
  return `${observedDigest(result)}.${fieldDigests(observedOf(result))}`;
}

function fieldDigests(observed: Observed): string {
  return RECORDED_FIELDS.map((field) =>
    observed[field] === undefined ? ABSENT_FIELD : sha256(canonicalJson(observed[field])).slice(0, FIELD_DIGEST_LENGTH),
  ).join("");
}

/**
 * The fields whose digests in a recorded {@link observedRecord} differ from the same digests of `current`, with the
 * recorded digest (`sha256:<4 hex>`, or `null` when the field was absent); empty when `recorded` holds no field
 * digests (a bare digest).
 */
export function fieldsChangedSince(
  recorded: string,
  current: StoredResult,
): { field: string; recordedDigest: string | null }[] {
  const dot = recorded.indexOf(".");
  const then = dot < 0 ? "" : recorded.slice(dot + 1);
  if (then.length !== RECORDED_FIELDS.length * FIELD_DIGEST_LENGTH) return [];
  const now = fieldDigests(observedOf(current));
  const changed: { field: string; recordedDigest: string | null }[] = [];
  RECORDED_FIELDS.forEach((field, index) => {
    const at = index * FIELD_DIGEST_LENGTH;
    const old = then.slice(at, at + FIELD_DIGEST_LENGTH);
    if (old !== now.slice(at, at + FIELD_DIGEST_LENGTH)) {
      changed.push({
        field: field === "pemSha256" ? "pem" : field,
        recordedDigest: old === ABSENT_FIELD ? null : `sha256:${old}`,
      });
    }
  });
  return changed;
}

/**
 * The digest a stored `observed` value stands for: the part before the dot of an {@link observedRecord}.
 * `undefined` when nothing (or something else than a string) was recorded.
 */
export function recordedDigest(recorded: unknown): string | undefined {
  return typeof recorded === "string" ? recorded.split(".")[0] : undefined;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
