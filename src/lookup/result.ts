import { CSR_FIELDS } from "../cloudflare/fields";
import type { CsrScope } from "../cloudflare/scope";
import type { ApiCustomCsr } from "../cloudflare/types";
import type { DecodedCsr } from "../csr";
import type { CustomCsrResult } from "../public-types";

/** The result's properties that are not API fields: where the CSR was looked up, and facts decoded from the PEM. */
const IDENTITY_KEYS = ["customCsrId", "accountId", "zoneId"] as const;
const DECODED_KEYS = ["subject", "publicKeyAlgorithm", "publicKeySha256"] as const;

/** Every property a {@link CustomCsrResult} can have: the resource's outputs (`sdk/customCsr.ts`). */
export const RESULT_KEYS: readonly (keyof CustomCsrResult)[] = [
  ...IDENTITY_KEYS,
  ...CSR_FIELDS.filter((field) => field.output !== "customCsrId").map((field) => field.output),
  ...DECODED_KEYS,
];

/** API fields copied as they are; the id comes from the lookup and the PEM is required by the time of mapping. */
const COPIED_FIELDS = CSR_FIELDS.filter((field) => !field.required && field.api !== "csr");

/** Builds the result from the API's record and the decoded PEM; absent optional fields stay absent. */
export function toResult(
  customCsrId: string,
  scope: CsrScope,
  api: ApiCustomCsr & { csr: string },
  decoded: DecodedCsr,
): CustomCsrResult {
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
  const fields = result as unknown as Record<string, unknown>;
  for (const { api: apiField, output } of COPIED_FIELDS) {
    const value = api[apiField];
    if (value !== undefined) fields[output] = Array.isArray(value) ? [...value] : value;
  }
  return result;
}

/** A result as a stack stores it: the outputs of a `CustomCsr`, each field present only if it has the right type. */
export type StoredResult = Pick<CustomCsrResult, "pem"> & Partial<CustomCsrResult>;

/**
 * Reads a result back from stored outputs (a state, or an engine event's outputs), whose values are untrusted: a
 * field is kept only when it is a string or a list of strings; other keys are ignored. `undefined` when there is
 * no PEM, i.e. the outputs are not those of a looked-up CSR.
 */
export function storedResultOf(values: Readonly<Record<string, unknown>>): StoredResult | undefined {
  if (typeof values.pem !== "string") return undefined;
  const stored: Record<string, unknown> = {};
  for (const key of RESULT_KEYS) {
    const value = values[key];
    const ok = typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"));
    if (ok) stored[key] = value;
  }
  return stored as StoredResult;
}
