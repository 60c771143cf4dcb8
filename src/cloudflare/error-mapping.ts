import {
  CloudflareApiError,
  CloudflareAuthError,
  CustomCsrNotFoundError,
  RateLimitError,
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
  /** The API root the request went to, for advice about a wrong one. */
  readonly baseUrl?: string;
  /** Removes the credentials in use from relayed text; applied before any text is cut short. */
  readonly redact?: (text: string) => string;
}

/** Most of Cloudflare's error entries quoted in a message or kept in `errors`; the rest are counted. */
export const MAX_RELAYED_ERRORS = 10;
/** Longest error message quoted from a server, in characters. */
export const MAX_RELAYED_MESSAGE = 300;

/** Codes of Cloudflare's gateway when it cannot route a path: usually a wrong account or zone id. */
const ROUTING_CODES = new Set([7000, 7003]);
/** "Authentication error": a missing permission, or an id the credential has no access to. */
const AUTH_ERROR_CODE = 10000;
/**
 * Malformed or missing auth headers: 6003 with 6100-range causes (e.g. a token sent as an API key), and 1402 "The
 * request has no Authorization header" (a proxy that strips it).
 */
const AUTH_HEADER_CODES = new Set([1402, 6003, 6100, 6101, 6102, 6103, 6111]);
const NOT_FOUND_CODE = 1419;
/**
 * "No quota has been allocated" (1403) and "Access to generating CSRs has not been granted" (1404): the account
 * lacks the Cloudflare for SaaS entitlement; no token permission fixes that. Matched on the wording too, since
 * the codes are documented for zones only.
 */
const ENTITLEMENT_CODES = new Set([1403, 1404]);
const ENTITLEMENT_WORDING = /has not been granted|no quota has been allocated|entitlement/i;
/** Where the v4 API lives under any base URL; an emulator serves the same path. */
const API_PATH = "/client/v4";

/**
 * Turns a final, failed response into the package's typed error. Only a 404 that carries Cloudflare's own
 * code 1419 counts as "not found": a bare 404 from a proxy or a wrong base URL must never make a refresh
 * drop a resource from state.
 */
export function errorFromResponse(
  status: number,
  messages: readonly ApiMessage[],
  context: RequestContext,
): CloudflareApiError {
  const all = flatten(messages);
  const codes = new Set(all.map((e) => e.code));
  const errors = relayedErrors(all, context.redact);
  const detail = summarize(status, errors, all.length - errors.length);
  const unroutable =
    (status === 400 && [...codes].some((c) => ROUTING_CODES.has(c))) || (status === 404 && !codes.has(NOT_FOUND_CODE));

  if (status === 404 && codes.has(NOT_FOUND_CODE) && context.customCsrId !== undefined) {
    return new CustomCsrNotFoundError({ customCsrId: context.customCsrId, ...context.scope }, errors);
  }
  if (unroutable && lacksApiPath(context.baseUrl)) {
    const advice = baseUrlAdvice(context.baseUrl);
    return new CloudflareApiError(`Cloudflare API ${context.description} failed: ${detail}. ${advice}`, status, errors);
  }
  if (
    status === 401 ||
    status === 403 ||
    codes.has(AUTH_ERROR_CODE) ||
    [...codes].some((c) => AUTH_HEADER_CODES.has(c))
  ) {
    const entitlement =
      [...codes].some((c) => ENTITLEMENT_CODES.has(c)) || all.some((e) => ENTITLEMENT_WORDING.test(e.message));
    const advice = entitlement
      ? `Cloudflare says ${describeScope(context.scope)} has not been granted access to custom CSRs: they come with ` +
        `Cloudflare for SaaS, which Cloudflare (your account team) must enable; no token permission changes that.`
      : `It needs the "${REQUIRED_PERMISSION}" permission on ${describeScope(context.scope)}; ` +
        `also check that this ${context.scope.accountId !== undefined ? "account" : "zone"} id is one the credential can access` +
        (context.scheme === "api-key" ? " and that the email matches the key." : ".");
    return new CloudflareAuthError(
      `Cloudflare rejected the ${schemeLabel(context.scheme)} for ${context.description} (${detail}). ${advice}`,
      status,
      errors,
      context.scheme,
    );
  }
  if (status === 400 && [...codes].some((c) => ROUTING_CODES.has(c))) {
    const kind = context.scope.accountId !== undefined ? "account" : "zone";
    return new CloudflareApiError(
      `Cloudflare could not route ${context.description} (${detail}): ` +
        `the ${kind} id "${context.scope.accountId ?? context.scope.zoneId}" ` +
        `is probably wrong. Use the 32-character hex ${kind} id from the dashboard's overview page, not a name.`,
      status,
      errors,
    );
  }
  const retried = context.attempts > 1 ? ` after ${context.attempts} attempts` : "";
  const message = `Cloudflare API ${context.description} failed${retried}: ${detail}.`;
  if (status === 429) return new RateLimitError(message, { errors });
  return new CloudflareApiError(message, status, errors);
}

/**
 * Describes a status and its Cloudflare codes: `HTTP 403, code 10000 "Authentication error"`, then `(N more)`
 * when `omitted` entries were left out.
 */
export function summarize(status: number, errors: readonly CloudflareErrorDetail[], omitted = 0): string {
  const codes = errors.map((e) => `code ${e.code} "${e.message}"`).join(", ");
  const more = omitted > 0 ? ` (${omitted} more)` : "";
  return codes === "" ? `HTTP ${status}${more}` : `HTTP ${status}, ${codes}${more}`;
}

/**
 * Advice for a response that says the path does not exist, sent to a base URL without `/client/v4`
 * (`https://api.cloudflare.com`, or an emulator's root); `undefined` when the base URL has it.
 */
export function baseUrlAdvice(baseUrl: string | undefined): string | undefined {
  if (!lacksApiPath(baseUrl)) return undefined;
  return (
    `The base URL ${baseUrl} probably lacks ${API_PATH}: Cloudflare's API root is ` +
    `https://api.cloudflare.com${API_PATH}, and an emulator's is its address followed by ${API_PATH}.`
  );
}

function lacksApiPath(baseUrl: string | undefined): baseUrl is string {
  return baseUrl !== undefined && !new URL(baseUrl).pathname.replace(/\/+$/, "").endsWith(API_PATH);
}

/**
 * What an error keeps of a response's error entries (`error_chain` causes flattened in): the first
 * {@link MAX_RELAYED_ERRORS}, credentials removed, each message cut to {@link MAX_RELAYED_MESSAGE} characters.
 */
export function relayedErrors(
  messages: readonly ApiMessage[],
  redact: (text: string) => string = (text) => text,
): CloudflareErrorDetail[] {
  return flatten(messages)
    .slice(0, MAX_RELAYED_ERRORS)
    .map(({ code, message }) => ({ code, message: cut(redact(message), MAX_RELAYED_MESSAGE) }));
}

/** `text` cut to `max` characters, saying so. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

function schemeLabel(scheme: AuthScheme): string {
  return scheme === "api-token" ? "API token" : "API key and email";
}

/** Cloudflare nests causes in `error_chain`; both levels matter to a reader and to code matching. */
function flatten(messages: readonly ApiMessage[]): ApiMessage[] {
  return messages.flatMap((m) => [{ code: m.code, message: m.message }, ...flatten(m.error_chain ?? [])]);
}
