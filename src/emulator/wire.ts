import type { IncomingHttpHeaders } from "node:http";

/**
 * The emulator's own idea of Cloudflare's wire format, written from Cloudflare's published API schema for custom
 * CSRs (https://developers.cloudflare.com/api/resources/custom_csrs/) and never imported from the package's client:
 * a mistaken idea of the wire format held in one place could otherwise pass both the client and the emulator that
 * tests it.
 */

/** Key types Cloudflare generates custom CSRs with, spelled exactly (lower case). */
export type ApiKeyType = "rsa2048" | "p256v1";

/** The optional text fields of a custom CSR, as the schema names them. */
export const OPTIONAL_CSR_TEXT_FIELDS = [
  "account_tag",
  "common_name", // at most 64 characters
  "country",
  "csr", // the PKCS#10 request, PEM encoded
  "description",
  "locality",
  "name",
  "organization",
  "organizational_unit",
  "state",
] as const;

/**
 * One custom CSR as the emulator serves it (snake_case, as the API spells it): a UUID `id`, `created_at` (RFC 3339),
 * the exact `key_type`, the optional text fields above and at most 150 `sans`.
 */
export type ApiCustomCsr = { id: string; created_at: string; key_type: ApiKeyType; sans?: string[] } & Partial<
  Record<(typeof OPTIONAL_CSR_TEXT_FIELDS)[number], string>
>;

/** One entry of an envelope's `errors` or `messages`; `error_chain` lists a gateway error's causes. */
export type ApiMessage = {
  code: number;
  message: string;
  documentation_url?: string;
  source?: { pointer?: string };
  error_chain?: ApiMessage[];
};

/** Paging information of a list response: `page`, `per_page`, `count`, `total_count`, `total_pages`. */
export type ApiResultInfo = Record<"page" | "per_page" | "count" | "total_count", number> & { total_pages?: number };

/** The envelope every v4 response is wrapped in. */
export type ApiEnvelope<T> = {
  success: boolean;
  errors: ApiMessage[];
  messages: ApiMessage[];
  result: T | null;
  result_info?: ApiResultInfo;
};

/** A DNS record as `/zones/{zone_id}/dns_records` serves it (the fields the emulator keeps). */
export interface ApiDnsRecord {
  id: string;
  type: string;
  name: string;
  content: string;
  ttl?: number;
}

/** Where a custom CSR lives: an account or a zone, never both. */
export type CsrScope =
  | { readonly accountId: string; readonly zoneId?: undefined }
  | { readonly zoneId: string; readonly accountId?: undefined };

/** `accounts/<id>` or `zones/<id>`, the id percent-encoded: the path of a scope, and its key in the store. */
export function scopePath({ accountId, zoneId }: CsrScope): string {
  const [kind, id] = accountId === undefined ? ["zones", zoneId] : ["accounts", accountId];
  return `${kind}/${encodeURIComponent(id)}`;
}

/** A custom CSR id the API accepts in a path: 1 to 36 letters, digits and `-` (code 1418 otherwise). */
export const CUSTOM_CSR_ID = /^[A-Za-z0-9-]{1,36}$/;

/** An account or zone id as Cloudflare issues it, 32 lower-case hex characters; anything else does not route (7003). */
export const ISSUED_ID = /^[0-9a-f]{32}$/;

/** A checked value, or every problem found. */
export type Checked<T, Problem = string> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** A request as the routes see it: already read, never holding a socket. */
export interface ApiRequest {
  method: string;
  /** URL path without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}
