/**
 * `pulumi-cloudflare-custom-csr/lookup`: the lookup functions, their errors and types, without loading
 * `@pulumi/pulumi`, so they work where it is not installed (scripts, CI jobs, other tools) and start faster.
 *
 * Inside a Pulumi program, stack config (`cloudflare:apiToken`, `cloudflare:baseUrl`, ...) is still read: from
 * `@pulumi/pulumi` when the program has loaded it already, else from the `PULUMI_CONFIG` variable the language
 * host sets; this entry never loads Pulumi itself. The package's main entry exports the same functions, plus
 * the `CustomCsr` resource and the `...Output` variants, which need Pulumi.
 *
 * @example
 * ```ts
 * import { getCustomCsr } from "pulumi-cloudflare-custom-csr/lookup";
 * const csr = await getCustomCsr({
 *   customCsrId: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752",
 *   zoneId: "023e105f4ecef8ad9ca31a8372d0c353",
 * });
 * ```
 *
 * @packageDocumentation
 */
import { getCustomCsrWith } from "../src/lookup/get";
import type { LookupOptions } from "../src/lookup/options";
import type { CustomCsrResult } from "../src/lookup/result";
import { ambientStackConfig } from "../src/lookup/stack-config";

/** Arguments of {@link getCustomCsr}. */
export interface GetCustomCsrArgs {
  /** The custom CSR id: 1 to 36 letters, digits and `-`. */
  customCsrId: string;
  /** The account that owns the CSR (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  accountId?: string;
  /** The zone that owns the CSR (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  zoneId?: string;
}

/**
 * Looks up a custom CSR once and returns it, PEM verified. Credentials and endpoint: `opts`, then stack config
 * (see the module comment), then `CLOUDFLARE_*` environment variables. Invalid arguments throw
 * `InvalidCustomCsrArgsError` before any request is sent. Concurrent lookups of the same CSR share one request;
 * results are not cached, so every call after the last one settled sees Cloudflare's current state.
 */
export async function getCustomCsr(args: GetCustomCsrArgs, opts?: LookupOptions): Promise<CustomCsrResult> {
  return getCustomCsrWith(args, opts, ambientStackConfig());
}

// The plain entry's surface, one export per line so that additions (getCustomCsrs, checkCertificate) are easy.
export {
  CloudflareApiError,
  CloudflareAuthError,
  CsrVerificationError,
  CustomCsrNotFoundError,
  InvalidCustomCsrArgsError,
  REQUIRED_PERMISSION,
  type ArgumentProblem,
  type AuthScheme,
  type CloudflareErrorDetail,
} from "./errors";
export type { CustomCsrResult } from "../src/lookup/result";
export type { LookupOptions } from "../src/lookup/options";
