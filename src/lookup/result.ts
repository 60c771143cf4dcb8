import { createHash } from "node:crypto";
import { CSR_FIELDS } from "../cloudflare/fields";
import type { CsrScope } from "../cloudflare/scope";
import type { ApiCustomCsr } from "../cloudflare/types";
import type { DecodedCsr } from "../csr";
import { canonicalJson } from "../json";
import type { CustomCsrResult } from "../public-types";

/** The result's properties that are not API fields: where the CSR was looked up, and facts decoded from the PEM. */
const IDENTITY_KEYS = ["customCsrId", "accountId", "zoneId"] as const;
const DECODED_KEYS = ["subject", "publicKeyAlgorithm", "publicKeySha256"] as const;

/** Every property a {@link CustomCsrResult} can have: the resource's outputs (`sdk/customCsr.ts`). */
export const RESULT_KEYS: readonly (keyof CustomCsrResult)[] = [
  ...IDENTITY_KEYS,
  ...CSR_FIELDS.filter((field) => field.output !== "customCsrId").map((field) => field.output),
  ...DECODED_KEYS,
];

/** API fields copied as they are; the id comes from the lookup and the PEM is required by the time of mapping. */
const COPIED_FIELDS = CSR_FIELDS.filter((field) => !field.required && field.api !== "csr");

/** Builds the result from the API's record and the decoded PEM; absent optional fields stay absent. */
export function toResult(
  customCsrId: string,
  scope: CsrScope,
  api: ApiCustomCsr & { csr: string },
  decoded: DecodedCsr,
): CustomCsrResult {
  const result: CustomCsrResult = {
    customCsrId,
    ...(scope.accountId !== undefined ? { accountId: scope.accountId } : { zoneId: scope.zoneId }),
    pem: api.csr,
    keyType: api.key_type,
    createdAt: api.created_at,
    subject: decoded.subject,
    publicKeyAlgorithm: decoded.publicKeyAlgorithm,
    publicKeySha256: decoded.publicKeySha256,
  };
  for (const { api: apiField, output } of COPIED_FIELDS) {
    const value = api[apiField];
    if (value !== undefined) Object.assign(result, { [output]: Array.isArray(value) ? [...value] : value });
  }
  return result;
}

/** A result as a stack stores it: the outputs of a `CustomCsr`, each field present only if it has the right type. */
export type StoredResult = Pick<CustomCsrResult, "pem"> & Partial<CustomCsrResult>;

/**
 * Reads a result back from stored outputs (a state, or an engine event's outputs), whose values are untrusted: a
 * field is kept only when it is a string or a list of strings; other keys are ignored. `undefined` when there is
 * no PEM, i.e. the outputs are not those of a looked-up CSR.
 */
export function storedResultOf(values: Readonly<Record<string, unknown>>): StoredResult | undefined {
  if (typeof values.pem !== "string") return undefined;
  const stored: Record<string, unknown> = {};
  for (const key of RESULT_KEYS) {
    const value = values[key];
    const ok = typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"));
    if (ok) stored[key] = value;
  }
  return stored as StoredResult;
}

/**
 * A record of everything the API said about a CSR, with the PEM reduced to its hash. Earlier versions kept it
 * whole in each resource's inputs and outputs; it now only feeds {@link observedDigest}, and old states that
 * still hold it are read through {@link digestOfRecorded}.
 */
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
 * The digest a stored `observed` value stands for: the digest before the dot of an {@link observedRecord}, a bare
 * digest, or the whole {@link Observed} record that earlier versions stored (hashed the same way, so an unchanged
 * CSR compares equal across the upgrade). `undefined` when nothing was recorded.
 */
export function digestOfRecorded(recorded: unknown): string | undefined {
  if (typeof recorded === "string") return recorded.split(".")[0];
  if (typeof recorded === "object" && recorded !== null) return sha256(canonicalJson(recorded));
  return undefined;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
