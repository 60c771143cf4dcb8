import { CLOUDFLARE_ID_PATTERN as CLOUDFLARE_ID, CUSTOM_CSR_ID_PATTERN } from "../cloudflare/ids";
import type { CsrScope } from "../cloudflare/scope";
import { InvalidCustomCsrArgsError, type ArgumentProblem } from "../errors";
import type { CustomCsrRequest } from "./requests";

/**
 * Checks lookup arguments against the contract and returns every problem found (empty when valid).
 * Values equal to `isUnknown` (a preview's not-yet-known inputs) are skipped.
 */
export function findArgumentProblems(
  args: Record<string, unknown>,
  isUnknown: (value: unknown) => boolean = () => false,
): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  const { customCsrId } = args;

  if (!isUnknown(customCsrId)) {
    if (customCsrId === undefined || customCsrId === null || customCsrId === "") {
      problems.push({
        field: "customCsrId",
        reason: "is required: the id of the custom CSR, e.g. 7b163417-1d2b-4c84-a38a-2fb7a0cd7752.",
      });
    } else if (typeof customCsrId !== "string") {
      problems.push({ field: "customCsrId", reason: `must be a string, not ${describeType(customCsrId)}.` });
    } else if (!CUSTOM_CSR_ID_PATTERN.test(customCsrId)) {
      problems.push({
        field: "customCsrId",
        reason:
          `${quote(customCsrId)} is not a custom CSR id: expected 1 to 36 characters of letters, digits and "-" ` +
          `(a UUID such as 7b163417-1d2b-4c84-a38a-2fb7a0cd7752).`,
      });
    }
  }

  problems.push(...findScopeProblems(args, isUnknown));
  return problems;
}

/**
 * Checks `accountId` / `zoneId` alone: exactly one given, as a Cloudflare id. Values equal to `isUnknown` are
 * skipped. Shared by the single lookup and the list lookup.
 */
export function findScopeProblems(
  args: Record<string, unknown>,
  isUnknown: (value: unknown) => boolean = () => false,
): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  const { accountId, zoneId } = args;
  const accountGiven = isGiven(accountId);
  const zoneGiven = isGiven(zoneId);
  if (accountGiven && zoneGiven) {
    problems.push({
      field: "zoneId",
      reason:
        "accountId and zoneId are mutually exclusive: a custom CSR belongs to an account or to a zone; set only one.",
    });
  } else if (!accountGiven && !zoneGiven) {
    problems.push({
      field: "accountId",
      reason: "one of accountId or zoneId is required: the account or zone that owns the custom CSR.",
    });
  }
  for (const [field, value] of [
    ["accountId", accountId],
    ["zoneId", zoneId],
  ] as const) {
    if (!isGiven(value) || isUnknown(value)) continue;
    if (typeof value !== "string") {
      problems.push({ field, reason: `must be a string, not ${describeType(value)}.` });
    } else if (!CLOUDFLARE_ID.test(value)) {
      problems.push({
        field,
        reason:
          `${quote(value)} is not a Cloudflare ${field === "accountId" ? "account" : "zone"} id: expected up to 32 hex ` +
          `characters (copy it from the dashboard's overview page; a name such as example.com does not work).`,
      });
    }
  }
  return problems;
}

/** Validates lookup arguments and returns the request, or throws `InvalidCustomCsrArgsError`. */
export function parseLookupArgs(args: unknown): CustomCsrRequest {
  const record = argumentsObject(args, "{ customCsrId, accountId }");
  const problems = findArgumentProblems(record);
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  return requestOf(record);
}

/** The arguments as a record, or `InvalidCustomCsrArgsError` (field `args`) when they are not an object at all. */
export function argumentsObject(args: unknown, example: string): Record<string, unknown> {
  if (typeof args === "object" && args !== null) return args as Record<string, unknown>;
  throw new InvalidCustomCsrArgsError([{ field: "args", reason: `expected an object such as ${example}.` }]);
}

/** The request of arguments that passed {@link findArgumentProblems}. */
export function requestOf(args: Record<string, unknown>): CustomCsrRequest {
  return { customCsrId: args.customCsrId as string, scope: scopeOf(args) };
}

/** The scope of arguments that passed {@link findScopeProblems}. */
export function scopeOf(args: Record<string, unknown>): CsrScope {
  return isGiven(args.accountId) ? { accountId: args.accountId as string } : { zoneId: args.zoneId as string };
}

/** Whether an argument was given: `undefined`, `null` and `""` all mean "not set" (e.g. a blank `zoneId`). */
export function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

/** "a number", "an array", "null": how a wrongly typed argument is named in a message. */
export function describeType(value: unknown): string {
  return Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
}

/** Quotes user input for a message, shortened so a megabyte of garbage does not flood the log. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shown) + (value.length > 80 ? ` (${value.length} characters)` : "");
}
