import type { CloudflareClient } from "../cloudflare/client";
import { CloudflareApiError } from "../errors";
import { verifyCustomCsr } from "../csr";
import { parseLookupArgs } from "./args";
import { toResult, type CustomCsrResult } from "./result";

/**
 * Looks up one custom CSR: validates the arguments (nothing invalid reaches the network), fetches it, verifies
 * the PEM against the API's own fields and returns the result. Throws the package's typed errors.
 */
export async function lookupCustomCsr(args: unknown, client: CloudflareClient): Promise<CustomCsrResult> {
  const { customCsrId, scope } = parseLookupArgs(args);
  const api = await client.getCustomCsr(scope, customCsrId);
  if (api.id !== customCsrId) {
    throw new CloudflareApiError(
      `Cloudflare answered a request for custom CSR ${customCsrId} with custom CSR ${api.id}; refusing to use it.`,
      200,
    );
  }
  const decoded = await verifyCustomCsr(api);
  return toResult(customCsrId, scope, { ...api, csr: api.csr as string }, decoded);
}
