import type { CloudflareClient } from "../cloudflare/client";
import type { CsrScope } from "../cloudflare/scope";
import type { ApiCustomCsr } from "../cloudflare/types";
import { verifyCustomCsr } from "../csr";
import { CloudflareApiError } from "../errors";
import { toResult } from "./result";
import type { CustomCsrResult } from "../public-types";

/**
 * Fetches the API's record of one CSR, refusing a record for another CSR as {@link resultFromRecord} does: for
 * callers that check the PEM themselves (`custom-csr verify` reports each check instead of throwing).
 */
export async function fetchCustomCsrRecord(
  customCsrId: string,
  scope: CsrScope,
  client: CloudflareClient,
): Promise<ApiCustomCsr> {
  const record = await client.getCustomCsr(scope, customCsrId);
  assertRecordOf(customCsrId, record);
  return record;
}

/**
 * Turns the API's record of a CSR (from a GET or a list page) into the result: the record must be the one
 * asked for, and its PEM must verify against its fields.
 */
export function resultFromRecord(customCsrId: string, scope: CsrScope, record: ApiCustomCsr): CustomCsrResult {
  assertRecordOf(customCsrId, record);
  const decoded = verifyCustomCsr(record);
  // verifyCustomCsr has thrown for a record without a PEM.
  return toResult(customCsrId, scope, record as ApiCustomCsr & { csr: string }, decoded);
}

function assertRecordOf(customCsrId: string, record: ApiCustomCsr): void {
  if (record.id !== customCsrId) {
    throw new CloudflareApiError(
      `Cloudflare answered a request for custom CSR ${customCsrId} with custom CSR ${record.id}; refusing to use it.`,
      200,
    );
  }
}
