import type { Checked } from "./wire";
import type { ApiKeyType, ApiMessage } from "./wire";
import { ErrorCodes, Errors, MAX_COMMON_NAME_LENGTH } from "./codes";
import type { CreateCsrInput } from "./types";

/** A create request that passed validation: required fields present, optional empty strings dropped, a key type. */
export type ValidCreateInput = CreateCsrInput & { key_type: ApiKeyType };

/** The result of validating a create body: the clean input, or every error entry the 400 response carries. */
export type CreateValidation = Checked<ValidCreateInput, ApiMessage>;

const STRING_FIELDS = [
  "common_name",
  "country",
  "locality",
  "organization",
  "state",
  "organizational_unit",
  "description",
  "name",
  "key_type",
] as const;

const REQUIRED: ReadonlyArray<{ field: (typeof STRING_FIELDS)[number]; code: number; label: string }> = [
  { field: "country", code: ErrorCodes.CountryRequired, label: "Country" },
  { field: "state", code: ErrorCodes.StateRequired, label: "State" },
  { field: "locality", code: ErrorCodes.LocalityRequired, label: "Locality" },
  { field: "organization", code: ErrorCodes.OrganizationRequired, label: "Organization" },
  { field: "common_name", code: ErrorCodes.CommonNameRequired, label: "Common Name" },
];

const KEY_TYPES: readonly ApiKeyType[] = ["rsa2048", "p256v1"];
const RESERVED_TLDS = new Set(["test", "example", "invalid", "localhost"]);
const EXAMPLE_DOMAINS = ["example.com", "example.net", "example.org"];

/**
 * Validates a create body the way the API does (see the table in `codes.ts`). Cloudflare's service decodes JSON
 * into typed fields, so a value of the wrong JSON type fails the whole decode (1400) rather than one field; `null`
 * and `""` read as absent.
 */
export function validateCreateInput(body: unknown): CreateValidation {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problems: [Errors.invalidJson()] };
  }
  const raw = body as Record<string, unknown>;
  const wrongType =
    STRING_FIELDS.some((field) => raw[field] != null && typeof raw[field] !== "string") ||
    (raw.sans != null && !(Array.isArray(raw.sans) && raw.sans.every((san) => typeof san === "string")));
  if (wrongType) return { ok: false, problems: [Errors.invalidJson()] };

  const text = (field: (typeof STRING_FIELDS)[number]): string | undefined => {
    const value = raw[field] as string | null | undefined;
    return value === null || value === undefined || value.trim() === "" ? undefined : value;
  };
  const errors: ApiMessage[] = [];
  for (const { field, code, label } of REQUIRED) {
    if (text(field) === undefined) errors.push(Errors.required(code, field, label));
  }
  const country = text("country");
  if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) errors.push(Errors.countryFormat());
  const commonName = text("common_name");
  if (commonName !== undefined && commonName.length > MAX_COMMON_NAME_LENGTH) errors.push(Errors.commonNameTooLong());

  const sans = (raw.sans as string[] | null | undefined) ?? [];
  if (sans.length === 0) errors.push(Errors.sanRequired());
  if (sans.length > MAX_SANS) errors.push(Errors.tooManySans(MAX_SANS));
  sans.slice(0, MAX_SANS).forEach((san, index) => {
    const problem = sanProblem(san, index);
    if (problem !== undefined) errors.push(problem);
  });

  // The API schema's enum is exact: `RSA2048` is refused.
  const keyTypeText = text("key_type") ?? "rsa2048";
  const keyType = KEY_TYPES.find((type) => type === keyTypeText);
  if (keyType === undefined) errors.push(Errors.invalidKeyType());

  if (errors.length > 0 || keyType === undefined) return { ok: false, problems: errors };
  const value: ValidCreateInput = {
    common_name: commonName as string,
    country: country as string,
    locality: text("locality") as string,
    organization: text("organization") as string,
    state: text("state") as string,
    sans: [...sans],
    key_type: keyType,
  };
  for (const field of ["organizational_unit", "description", "name"] as const) {
    const optional = text(field);
    if (optional !== undefined) value[field] = optional;
  }
  return { ok: true, value };
}

/** The most SANs one CSR may request (the API schema's `maxItems`). */
export const MAX_SANS = 150;

/** The first rule a SAN breaks, in the order the documented codes suggest, or `undefined` when it is acceptable. */
function sanProblem(san: string, index: number): ApiMessage | undefined {
  if (!/^[\x20-\x7e]*$/.test(san)) return Errors.sanNonAscii(index);
  const name = san.toLowerCase().replace(/\.$/, "");
  // A leading wildcard label is how Cloudflare for SaaS customers request wildcard certificates.
  const labels = (name.startsWith("*.") ? name.slice(2) : name).split(".");
  const malformed =
    san.length >= 256 ||
    /^[0-9.]+$/.test(name) ||
    labels.some((label) => !/^[a-z0-9_-]+$/.test(label) || label.startsWith("-") || label.endsWith("-"));
  if (malformed) return Errors.sanInvalid(index);
  if (RESERVED_TLDS.has(labels[labels.length - 1])) return Errors.sanReservedTld(index);
  if (EXAMPLE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`)))
    return Errors.sanExampleDomain(index);
  if (labels.length < 2) return Errors.sanUnparsable(index, san);
  return undefined;
}
