import type { IncomingHttpHeaders } from "node:http";

/**
 * The emulator's own idea of Cloudflare's wire format, written from Cloudflare's published API schema for custom
 * CSRs (https://developers.cloudflare.com/api/resources/custom_csrs/) and never imported from the package's client:
 * a mistaken idea of the wire format held in one place could otherwise pass both the client and the emulator that
 * tests it.
 */

/** Key types Cloudflare generates custom CSRs with, spelled exactly (lower case). */
export type ApiKeyType = "rsa2048" | "p256v1";

/** One custom CSR as the emulator serves it (snake_case, as the API spells it). */
export interface ApiCustomCsr {
  /** Custom CSR identifier (a UUID; at most 36 characters). */
  id: string;
  /** When the CSR was created (RFC 3339). */
  created_at: string;
  key_type: ApiKeyType;
  account_tag?: string;
  /** At most 64 characters. */
  common_name?: string;
  country?: string;
  /** The PKCS#10 request, PEM encoded. */
  csr?: string;
  description?: string;
  locality?: string;
  name?: string;
  organization?: string;
  organizational_unit?: string;
  /** At most 150. */
  sans?: string[];
  state?: string;
}

/** One entry of an envelope's `errors` or `messages`. */
export interface ApiMessage {
  code: number;
  message: string;
  documentation_url?: string;
  source?: { pointer?: string };
  /** The causes of a gateway error, e.g. which header was malformed. */
  error_chain?: ApiMessage[];
}

/** Paging information of a list response. */
export interface ApiResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages?: number;
}

/** The envelope every v4 response is wrapped in. */
export interface ApiEnvelope<T> {
  success: boolean;
  errors: ApiMessage[];
  messages: ApiMessage[];
  result: T | null;
  result_info?: ApiResultInfo;
}

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
export function scopePath(scope: CsrScope): string {
  return scope.accountId !== undefined
    ? `accounts/${encodeURIComponent(scope.accountId)}`
    : `zones/${encodeURIComponent(scope.zoneId)}`;
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
