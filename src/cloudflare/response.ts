import { isRecord } from "../json";
import { CSR_FIELDS } from "./fields";
import type { ApiCustomCsr, ApiDnsRecord, ApiMessage, ApiResultInfo, ApiServingCertificate, ApiZone } from "./types";

/**
 * Shape checks for what Cloudflare returns, run before anything else reads a response. Each returns either
 * the typed value or a list of problems; nothing here throws, so the caller decides which error to raise.
 */

/** Either a valid value or the reasons it is not, one sentence each. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** An envelope whose `success`, `errors` and `messages` were checked; `result` is still unchecked. */
export interface CheckedEnvelope {
  success: boolean;
  errors: ApiMessage[];
  result: unknown;
  resultInfo: unknown;
}

const REQUIRED_FIELDS = CSR_FIELDS.filter((field) => field.required).map((field) => field.api);
/** Sorted, so that the problems about several fields come in a stable, readable order. */
const OPTIONAL_STRING_FIELDS = CSR_FIELDS.filter((field) => !field.required && field.kind === "string")
  .map((field) => field.api)
  .sort();
const OPTIONAL_LIST_FIELDS = CSR_FIELDS.filter((field) => !field.required && field.kind === "string[]").map(
  (field) => field.api,
);

/** Longest string field accepted; a CSR PEM is about 1 KiB, so anything near this is not a custom CSR. */
const MAX_FIELD_LENGTH = 64 * 1024;
/** Most SANs of one CSR: Cloudflare's API schema allows 150, so a longer list is not a custom CSR. */
export const MAX_SANS = 150;
/** Longest SAN accepted: the API schema keeps each under 256 characters (a DNS name has at most 253). */
export const MAX_SAN_LENGTH = 255;
/**
 * Deepest `error_chain` nesting kept; deeper causes are dropped. Cloudflare nests one or two levels, and a garbled
 * body nested thousands deep must not overflow the stack of the code that reads it.
 */
const MAX_ERROR_CHAIN_DEPTH = 10;
/**
 * Most pages of one list this package follows or plans for: 500,000 CSRs at 50 a page, far beyond any real
 * account. A `result_info` claiming more is refused before anything is allocated or looped over for it.
 */
export const MAX_LIST_PAGES = 10_000;
/** Largest `per_page` accepted in a `result_info` (Cloudflare serves at most 50 here, 1000 on other endpoints). */
const MAX_REPORTED_PER_PAGE = 1000;

/** Checks the Cloudflare v4 envelope `{success, errors[], messages[], result}`. */
export function checkEnvelope(body: unknown): Checked<CheckedEnvelope> {
  if (!isRecord(body)) return { ok: false, problems: ["the body is not a JSON object"] };
  if (typeof body.success !== "boolean") return { ok: false, problems: ["`success` is missing or not a boolean"] };
  const errors = Array.isArray(body.errors) ? body.errors.filter(isRecord).map((entry) => toMessage(entry)) : [];
  return { ok: true, value: { success: body.success, errors, result: body.result, resultInfo: body.result_info } };
}

/** Checks one custom CSR object; `null` optional fields count as absent and are dropped. */
export function checkCustomCsr(value: unknown): Checked<ApiCustomCsr> {
  if (!isRecord(value)) return { ok: false, problems: ["`result` is not an object"] };
  const problems: string[] = [];
  const csr: Record<string, unknown> = {};
  for (const field of REQUIRED_FIELDS) {
    const v = value[field];
    if (typeof v !== "string" || v === "") problems.push(`\`${field}\` is missing or not a non-empty string`);
    else if (v.length > MAX_FIELD_LENGTH) problems.push(`\`${field}\` is implausibly long (${v.length} characters)`);
    else csr[field] = v;
  }
  for (const field of OPTIONAL_STRING_FIELDS) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") problems.push(`\`${field}\` is not a string`);
    else if (v.length > MAX_FIELD_LENGTH) problems.push(`\`${field}\` is implausibly long (${v.length} characters)`);
    else csr[field] = v;
  }
  for (const field of OPTIONAL_LIST_FIELDS) {
    const v = value[field];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) {
      problems.push(`\`${field}\` is not a list of strings`);
    } else if (v.length > MAX_SANS) {
      problems.push(`\`${field}\` has ${v.length} entries, more than the ${MAX_SANS} Cloudflare allows per custom CSR`);
    } else if (!v.every((s) => typeof s === "string")) {
      problems.push(`\`${field}\` is not a list of strings`);
    } else if (v.some((s: string) => s.length > MAX_SAN_LENGTH)) {
      const longest = Math.max(...v.map((s: string) => s.length));
      problems.push(
        `\`${field}\` holds a ${longest}-character entry, longer than the ${MAX_SAN_LENGTH} Cloudflare allows`,
      );
    } else {
      csr[field] = [...v];
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: csr as unknown as ApiCustomCsr };
}

/** One checked page of the list endpoint: the usable items, what was wrong with the others, and the paging. */
export interface CustomCsrPage {
  /** The page's custom CSRs that passed the shape checks. */
  readonly items: ApiCustomCsr[];
  /** One line per unusable item (left out of `items`), e.g. "item 3: `id` is missing or not a non-empty string". */
  readonly invalid: string[];
  readonly info: ApiResultInfo;
  /** Pages the list claims: `total_pages`, else `total_count / per_page` rounded up; at most {@link MAX_LIST_PAGES}. */
  readonly pages: number;
}

/**
 * Checks a list page: an array of custom CSRs plus its `result_info`. A malformed item does not spoil the
 * page: it is left out and described in `invalid`, so one odd CSR cannot break lookups of the others. Paging
 * numbers are untrusted: each must be a non-negative safe integer, `page` and the page count at most
 * {@link MAX_LIST_PAGES}, `per_page` at most 1000.
 */
export function checkCustomCsrPage(result: unknown, resultInfo: unknown): Checked<CustomCsrPage> {
  if (!Array.isArray(result)) return { ok: false, problems: ["`result` is not a list"] };
  const problems: string[] = [];
  const items: ApiCustomCsr[] = [];
  const invalid: string[] = [];
  result.forEach((entry, index) => {
    const checked = checkCustomCsr(entry);
    if (checked.ok) items.push(checked.value);
    else invalid.push(...checked.problems.map((p) => `item ${index}: ${p}`));
  });
  if (!isRecord(resultInfo)) return { ok: false, problems: ["`result_info` is missing"] };
  for (const field of ["page", "per_page", "count", "total_count"] as const) {
    if (!isCount(resultInfo[field])) problems.push(`\`result_info.${field}\` is not a non-negative integer`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const info = resultInfo as Record<string, number>;
  const totalPages = isCount(info.total_pages) ? info.total_pages : undefined;
  const byCount = info.per_page > 0 ? Math.ceil(info.total_count / info.per_page) : info.total_count > 0 ? Infinity : 0;
  const pages = totalPages ?? byCount;
  const ceiling = `the ${MAX_LIST_PAGES} pages this client follows`;
  if (info.page > MAX_LIST_PAGES) problems.push(`\`result_info.page\` is ${info.page}, beyond ${ceiling}`);
  if (info.per_page > MAX_REPORTED_PER_PAGE) {
    problems.push(`\`result_info.per_page\` is ${info.per_page}, more than ${MAX_REPORTED_PER_PAGE}`);
  }
  if (pages > MAX_LIST_PAGES) problems.push(`\`result_info\` claims ${pages} pages, more than ${ceiling}`);
  if (problems.length > 0) return { ok: false, problems };
  const { page, per_page, count, total_count } = info;
  const pageCount = totalPages === undefined ? {} : { total_pages: totalPages };
  const checkedInfo: ApiResultInfo = { page, per_page, count, total_count, ...pageCount };
  return { ok: true, value: { items, invalid, info: checkedInfo, pages } };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function toMessage(entry: Record<string, unknown>, depth = 0): ApiMessage {
  // Only primitives are converted: String() or Number() of a parsed object such as {"toString": 1} throws.
  const code =
    typeof entry.code === "number" ? entry.code : typeof entry.code === "string" ? Number(entry.code) : Number.NaN;
  const message = ["string", "number", "boolean"].includes(typeof entry.message) ? String(entry.message) : "";
  const chain =
    Array.isArray(entry.error_chain) && depth < MAX_ERROR_CHAIN_DEPTH
      ? entry.error_chain.filter(isRecord).map((cause) => toMessage(cause, depth + 1))
      : undefined;
  return {
    code: Number.isFinite(code) ? code : 0,
    message,
    ...(chain && chain.length > 0 ? { error_chain: chain } : {}),
  };
}

/** Longest DNS name accepted in a zone or record (RFC 1035: 253 characters, plus a trailing dot). */
const MAX_DNS_NAME = 254;
/** Longest TXT content accepted back (Cloudflare allows 2048 characters; a challenge token is 43). */
const MAX_TXT_CONTENT = 4096;

/** Checks a zone object: an id and a DNS name. */
export function checkZone(value: unknown): Checked<ApiZone> {
  if (!isRecord(value)) return { ok: false, problems: ["`result` is not an object"] };
  const problems = stringProblems(value, [
    ["id", 64],
    ["name", MAX_DNS_NAME],
  ]);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { id: value.id as string, name: value.name as string } };
}

/** Checks a DNS record object: id, type, name and content. */
export function checkDnsRecord(value: unknown): Checked<ApiDnsRecord> {
  if (!isRecord(value)) return { ok: false, problems: ["`result` is not an object"] };
  const problems = stringProblems(value, [
    ["id", 64],
    ["type", 16],
    ["name", MAX_DNS_NAME],
    ["content", MAX_TXT_CONTENT],
  ]);
  if (problems.length > 0) return { ok: false, problems };
  const { id, type, name, content } = value as Record<string, string>;
  return { ok: true, value: { id, type, name, content } };
}

/** One problem per field that is not a non-empty string of at most its length. */
function stringProblems(value: Record<string, unknown>, fields: readonly (readonly [string, number])[]): string[] {
  return fields.flatMap(([field, max]) => {
    const v = value[field];
    if (typeof v !== "string" || v === "") return [`\`${field}\` is missing or not a non-empty string`];
    return v.length > max ? [`\`${field}\` is implausibly long (${v.length} characters)`] : [];
  });
}

/** Most hosts of one certificate kept (Cloudflare allows 50 SANs on an uploaded certificate). */
const MAX_HOSTS = 100;

/**
 * Reads one item of `GET /zones/{id}/custom_certificates` (`kind` custom_ssl) or `.../custom_hostnames` (its `ssl`),
 * keeping only well-typed, bounded values; `undefined` for an item without an id.
 */
export function servingCertificateOf(
  kind: ApiServingCertificate["kind"],
  item: unknown,
): ApiServingCertificate | undefined {
  if (!isRecord(item) || typeof item.id !== "string" || item.id === "" || item.id.length > 64) return undefined;
  const facts = kind === "custom_ssl" ? item : isRecord(item.ssl) ? item.ssl : {};
  const text = (value: unknown, max: number) =>
    typeof value === "string" && value !== "" && value.length <= max ? value : undefined;
  const hosts =
    kind === "custom_ssl"
      ? Array.isArray(item.hosts)
        ? item.hosts.filter((host): host is string => text(host, 255) !== undefined).slice(0, MAX_HOSTS)
        : []
      : [text(item.hostname, 255)].filter((host): host is string => host !== undefined);
  const binding: ApiServingCertificate = { kind, id: item.id, hosts };
  const issuer = text(facts.issuer, 1024);
  const status = text(facts.status, 64);
  const expiresOn = text(facts.expires_on, 64);
  const customCsrId = text(facts.custom_csr_id, 36);
  if (issuer !== undefined) binding.issuer = issuer;
  if (status !== undefined) binding.status = status;
  if (expiresOn !== undefined) binding.expires_on = expiresOn;
  if (customCsrId !== undefined) binding.custom_csr_id = customCsrId;
  return binding;
}
