import {
  CloudflareApiError,
  CloudflareAuthError,
  CustomCsrNotFoundError,
  REQUIRED_PERMISSION,
  type AuthScheme,
  type CloudflareErrorDetail,
} from "../errors";
import { describeScope, type CsrScope } from "./scope";
import type { ApiMessage } from "./types";

/** What a failed request was about, for the error message. */
export interface RequestContext {
  /** e.g. `GET /accounts/<id>/custom_csrs/<id>` (never a credential). */
  readonly description: string;
  readonly scope: CsrScope;
  /** Set when the request targeted one custom CSR. */
  readonly customCsrId?: string;
  readonly scheme: AuthScheme;
  /** Attempts made, for the message. */
  readonly attempts: number;
}

/** Codes of Cloudflare's gateway when it cannot route a path: usually a wrong account or zone id. */
const ROUTING_CODES = new Set([7000, 7003]);
/** "Authentication error": a missing permission, or an id the credential has no access to. */
const AUTH_ERROR_CODE = 10000;
/** Malformed auth headers (e.g. a token sent as an API key): 6003 with 6100-range causes. */
const AUTH_HEADER_CODES = new Set([6003, 6100, 6101, 6102, 6103, 6111]);
const NOT_FOUND_CODE = 1419;

/**
 * Turns a final, failed response into the package's typed error. Only a 404 that carries Cloudflare's own
 * code 1419 counts as "not found": a bare 404 from a proxy or a wrong base URL must never make a refresh
 * drop a resource from state.
 */
export function errorFromResponse(status: number, messages: readonly ApiMessage[], context: RequestContext): CloudflareApiError {
  const errors = flatten(messages);
  const codes = new Set(errors.map((e) => e.code));
  const detail = summarize(status, errors);

  if (status === 404 && codes.has(NOT_FOUND_CODE) && context.customCsrId !== undefined) {
    return new CustomCsrNotFoundError({ customCsrId: context.customCsrId, ...context.scope }, errors);
  }
  if (status === 401 || status === 403 || codes.has(AUTH_ERROR_CODE) || [...codes].some((c) => AUTH_HEADER_CODES.has(c))) {
    return new CloudflareAuthError(
      `Cloudflare rejected the ${schemeLabel(context.scheme)} for ${context.description} (${detail}). ` +
        `It needs the "${REQUIRED_PERMISSION}" permission on ${describeScope(context.scope)}; ` +
        `also check that this ${context.scope.accountId !== undefined ? "account" : "zone"} id is one the credential can access` +
        (context.scheme === "api-key" ? " and that the email matches the key." : "."),
      status,
      errors,
      context.scheme,
    );
  }
  if (status === 400 && [...codes].some((c) => ROUTING_CODES.has(c))) {
    const kind = context.scope.accountId !== undefined ? "account" : "zone";
    return new CloudflareApiError(
      `Cloudflare could not route ${context.description} (${detail}): the ${kind} id "${context.scope.accountId ?? context.scope.zoneId}" ` +
        `is probably wrong. Use the 32-character hex ${kind} id from the dashboard's overview page, not a name.`,
      status,
      errors,
    );
  }
  const retried = context.attempts > 1 ? ` after ${context.attempts} attempts` : "";
  return new CloudflareApiError(`Cloudflare API ${context.description} failed${retried}: ${detail}.`, status, errors);
}

/** Describes a status and its Cloudflare codes: `HTTP 403, code 10000 "Authentication error"`. */
export function summarize(status: number, errors: readonly CloudflareErrorDetail[]): string {
  const codes = errors.map((e) => `code ${e.code} "${e.message}"`).join(", ");
  return codes === "" ? `HTTP ${status}` : `HTTP ${status}, ${codes}`;
}

function schemeLabel(scheme: AuthScheme): string {
  if (scheme === "api-token") return "API token";
  if (scheme === "api-key") return "API key and email";
  return "request (no credentials were sent)";
}

/** Cloudflare nests causes in `error_chain`; both levels matter to a reader and to code matching. */
function flatten(messages: readonly ApiMessage[]): CloudflareErrorDetail[] {
  return messages.flatMap((m) => [{ code: m.code, message: m.message }, ...flatten(m.error_chain ?? [])]);
}
