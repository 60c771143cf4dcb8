import type { CloudflareClient } from "../cloudflare/client";
import type { ApiCustomCsr } from "../cloudflare/types";
import { canonicalIPv6, normalizeSan } from "../csr";
import { InvalidCustomCsrArgsError, type ArgumentProblem } from "../errors";
import { argumentsObject, describeType, findScopeProblems, quote, scopeOf } from "./args";
import { resultFromRecord } from "./record-result";
import type { CustomCsrResult } from "../public-types";
import type { CsrFilter, CustomCsrListRequest } from "./requests";

/** The filter fields, their longest useful value and why, for the error message. */
const FILTER_LIMITS: readonly (readonly [keyof CsrFilter, number, string])[] = [
  ["name", 1024, "1024 characters"],
  // Cloudflare refuses a common name over 64 characters, so a longer filter could never match.
  ["commonName", 64, "64 characters, Cloudflare's limit for a common name"],
  ["san", 254, "253 characters plus a trailing dot, the longest DNS name"],
];

const CONTROL_OR_SPACE = /[\s\p{Cc}]/u;

/** Checks the filters of list arguments; returns every problem found (empty when valid). */
export function findFilterProblems(args: Record<string, unknown>): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  for (const [field, max, why] of FILTER_LIMITS) {
    const value = args[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "string") {
      problems.push({ field, reason: `must be a string, not ${describeType(value)}.` });
    } else if (value.trim() === "") {
      problems.push({ field, reason: "must not be blank; leave the filter out to select every CSR." });
    } else if (value.length > max) {
      problems.push({ field, reason: `${quote(value)} is longer than ${why}, so it can never match.` });
    } else if (field === "san" && CONTROL_OR_SPACE.test(value)) {
      problems.push({ field, reason: `${quote(value)} is not a DNS name: it holds a space or a control character.` });
    } else if (
      field === "san" &&
      value.includes("%") &&
      canonicalIPv6(value.slice(0, value.indexOf("%"))) !== undefined
    ) {
      const reason = `${quote(value)} is an IPv6 address with a zone id, which no SAN can hold; leave out the %zone.`;
      problems.push({ field, reason });
    }
  }
  return problems;
}

/** Validates list arguments and returns the request, or throws `InvalidCustomCsrArgsError`. */
export function parseListArgs(args: unknown): CustomCsrListRequest {
  const record = argumentsObject(args, "{ accountId } or { zoneId, san }");
  const problems = [...findScopeProblems(record), ...findFilterProblems(record)];
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  const filter: { -readonly [K in keyof CsrFilter]: CsrFilter[K] } = {};
  for (const [field] of FILTER_LIMITS) if (typeof record[field] === "string") filter[field] = record[field] as string;
  return { scope: scopeOf(record), filter };
}

/** Whether the API's record of a CSR matches every filter given (`name`, `commonName` exactly; `san` as a DNS name). */
export function matchesFilter(record: ApiCustomCsr, filter: CsrFilter): boolean {
  if (filter.name !== undefined && record.name !== filter.name) return false;
  if (filter.commonName !== undefined && record.common_name !== filter.commonName) return false;
  if (filter.san !== undefined) {
    const wanted = normalizeSan(filter.san);
    if (!(record.sans ?? []).some((san) => normalizeSan(san) === wanted)) return false;
  }
  return true;
}

/** Records verified between two turns of the event loop, at most, and the longest stretch of work between them. */
const SLICE_RECORDS = 16;
const SLICE_MS = 8;

/**
 * Every custom CSR of an account or zone that matches the filters, each verified exactly like a single lookup
 * (a selected CSR whose PEM fails verification fails the whole call with `CsrVerificationError` naming its id;
 * CSRs the filters leave out are never decoded). The pages are walked
 * by the client's bounded walker, in the API's default order (oldest first). Verification is synchronous work, so
 * it runs in slices (16 records or 8 ms) with a turn of the event loop between them: a list of thousands never
 * holds up the rest of the process (a Pulumi engine's other calls, timers, sockets).
 */
export async function listCustomCsrResults(
  { scope, filter }: CustomCsrListRequest,
  client: CloudflareClient,
): Promise<CustomCsrResult[]> {
  const selected = (await client.listAllCustomCsrs(scope)).filter((record) => matchesFilter(record, filter));
  const results: CustomCsrResult[] = [];
  let sliceStart = performance.now();
  for (const [index, record] of selected.entries()) {
    if (index % SLICE_RECORDS === 0 || performance.now() - sliceStart > SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    results.push(resultFromRecord(record.id, scope, record));
  }
  return results;
}
