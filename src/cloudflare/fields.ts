import type { ApiCustomCsr } from "./types";

/**
 * The one table of a custom CSR's fields: what the API calls each one, what this package calls it, whether the
 * API always sends it, and what it holds. The response checks (`./response.ts`), the API-to-result mapping and
 * the drift digest (`../lookup/result.ts`), the resource's outputs (`sdk/customCsr.ts`) and the CLI's tables
 * derive from it, so a field added here appears everywhere at once.
 */
export interface CsrField {
  /** The API's name (snake_case). */
  readonly api: keyof ApiCustomCsr;
  /** This package's name for it: the result property and the resource output. */
  readonly output: string;
  /** Whether every API response must carry it (as a non-empty string); optional fields may be absent or `null`. */
  readonly required: boolean;
  /** The JSON type of its value. */
  readonly kind: "string" | "string[]";
  /** A short label for people, e.g. a CLI table's row heading. */
  readonly label: string;
  /** What it holds, in one line. */
  readonly meaning: string;
}

/**
 * Every field of the API's custom CSR object. The order is the order of the result's optional properties and of
 * the checks' messages about required fields.
 */
export const CSR_FIELDS = [
  { api: "id", output: "customCsrId", required: true, kind: "string", label: "Id", meaning: "the custom CSR id" },
  {
    api: "created_at",
    output: "createdAt",
    required: true,
    kind: "string",
    label: "Created",
    meaning: "creation time, RFC 3339",
  },
  {
    api: "key_type",
    output: "keyType",
    required: true,
    kind: "string",
    label: "Key type",
    meaning: "`rsa2048` or `p256v1`",
  },
  {
    api: "csr",
    output: "pem",
    required: false,
    kind: "string",
    label: "PEM",
    meaning: "the CSR in PEM form (PKCS#10)",
  },
  {
    api: "sans",
    output: "sans",
    required: false,
    kind: "string[]",
    label: "SANs",
    meaning: "Subject Alternative Names requested",
  },
  {
    api: "common_name",
    output: "commonName",
    required: false,
    kind: "string",
    label: "Common name",
    meaning: "common name of the subject",
  },
  { api: "name", output: "name", required: false, kind: "string", label: "Name", meaning: "display name" },
  {
    api: "description",
    output: "description",
    required: false,
    kind: "string",
    label: "Description",
    meaning: "free-form description",
  },
  {
    api: "organization",
    output: "organization",
    required: false,
    kind: "string",
    label: "Organization",
    meaning: "organization of the subject",
  },
  {
    api: "organizational_unit",
    output: "organizationalUnit",
    required: false,
    kind: "string",
    label: "Organizational unit",
    meaning: "organizational unit of the subject",
  },
  {
    api: "country",
    output: "country",
    required: false,
    kind: "string",
    label: "Country",
    meaning: "two-letter country code of the subject",
  },
  {
    api: "state",
    output: "state",
    required: false,
    kind: "string",
    label: "State",
    meaning: "state or province of the subject",
  },
  {
    api: "locality",
    output: "locality",
    required: false,
    kind: "string",
    label: "Locality",
    meaning: "locality (city) of the subject",
  },
  {
    api: "account_tag",
    output: "accountTag",
    required: false,
    kind: "string",
    label: "Account tag",
    meaning: "tag of the owning account",
  },
] as const satisfies readonly CsrField[];

/** This package's name of a field of the table (a result property and resource output). */
export type CsrFieldOutput = (typeof CSR_FIELDS)[number]["output"];

/** The descriptor of the field this package calls `output`. */
export function csrField(output: CsrFieldOutput): CsrField {
  return CSR_FIELDS.find((field) => field.output === output) as CsrField;
}
