import { createHash } from "node:crypto";
import type { CsrScope } from "../cloudflare/scope";
import type { ApiCustomCsr } from "../cloudflare/types";
import type { DecodedCsr } from "../csr";

/**
 * A custom CSR as this package reports it: the API's fields in camelCase, plus facts decoded from (and
 * verified against) the PEM. Optional API fields that Cloudflare did not return are absent, never defaulted.
 */
export interface CustomCsrResult {
  /** The custom CSR id (also the Pulumi resource id). */
  customCsrId: string;
  /** The account the CSR was looked up in, when looked up by account. */
  accountId?: string;
  /** The zone the CSR was looked up in, when looked up by zone. */
  zoneId?: string;
  /** The CSR in PEM form (the API's `csr`), verified: it parses, its signature holds, it matches the fields below. */
  pem: string;
  /** Subject Alternative Names the CSR requests (the API's `sans`). */
  sans?: string[];
  /** Common name of the subject (the API's `common_name`). */
  commonName?: string;
  /** `rsa2048` or `p256v1` (the API's `key_type`). */
  keyType: string;
  /** Display name (the API's `name`). */
  name?: string;
  /** Description (the API's `description`). */
  description?: string;
  /** Organization of the subject. */
  organization?: string;
  /** Organizational unit of the subject (the API's `organizational_unit`). */
  organizationalUnit?: string;
  /** Two-letter country code of the subject. */
  country?: string;
  /** State or province of the subject. */
  state?: string;
  /** Locality (city) of the subject. */
  locality?: string;
  /** Tag of the owning account (the API's `account_tag`). */
  accountTag?: string;
  /** Creation time, RFC 3339 (the API's `created_at`). */
  createdAt: string;
  /** The PEM's subject as an RFC 4514 string, e.g. `CN=www.example.com,O=Example,C=US`. */
  subject: string;
  /** `RSA-2048` or `ECDSA-P256`, decoded from the PEM. */
  publicKeyAlgorithm: string;
  /**
   * Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo: equal to
   * `openssl req -pubkey -noout | openssl pkey -pubin -outform der | sha256sum`.
   */
  publicKeySha256: string;
}

const FIELD_MAP = [
  ["sans", "sans"],
  ["common_name", "commonName"],
  ["name", "name"],
  ["description", "description"],
  ["organization", "organization"],
  ["organizational_unit", "organizationalUnit"],
  ["country", "country"],
  ["state", "state"],
  ["locality", "locality"],
  ["account_tag", "accountTag"],
] as const;

/** Builds the result from the API's record and the decoded PEM; absent optional fields stay absent. */
export function toResult(customCsrId: string, scope: CsrScope, api: ApiCustomCsr & { csr: string }, decoded: DecodedCsr): CustomCsrResult {
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
  for (const [apiField, field] of FIELD_MAP) {
    const value = api[apiField];
    if (value !== undefined) (result as unknown as Record<string, unknown>)[field] = Array.isArray(value) ? [...value] : value;
  }
  return result;
}

/**
 * A record of everything the API said about a CSR, with the PEM reduced to its hash. Earlier versions kept it
 * whole in each resource's inputs and outputs; it now only feeds {@link observedDigest}, and old states that
 * still hold it are read through {@link digestOfRecorded}.
 */
export type Observed = Record<string, string | string[]>;

/**
 * The API fields an {@link Observed} record holds, besides `pemSha256`. Facts decoded from the PEM (subject, key
 * algorithm and fingerprint) are left out: `pemSha256` already changes with them.
 */
const OBSERVED_FIELDS = [
  "accountTag", "commonName", "country", "createdAt", "description", "keyType", "locality", "name", "organization",
  "organizationalUnit", "sans", "state",
] as const;

/**
 * Every API field of a result except the PEM and the lookup scope, plus `pemSha256`, keys sorted. Accepts any
 * record with the result's fields (e.g. stored outputs) and ignores other keys.
 */
export function observedOf(result: Pick<CustomCsrResult, "pem"> & Partial<CustomCsrResult>): Observed {
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
export function observedDigest(result: Pick<CustomCsrResult, "pem"> & Partial<CustomCsrResult>): string {
  return sha256(canonical(observedOf(result)));
}

/**
 * The digest a stored `observed` value stands for: a digest itself, or the whole {@link Observed} record that
 * earlier versions stored (hashed the same way, so an unchanged CSR compares equal across the upgrade).
 * `undefined` when nothing was recorded.
 */
export function digestOfRecorded(recorded: unknown): string | undefined {
  if (typeof recorded === "string") return recorded;
  if (typeof recorded === "object" && recorded !== null) return sha256(canonical(recorded));
  return undefined;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON with object keys sorted and `undefined`/`null` members left out, so equal records hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
