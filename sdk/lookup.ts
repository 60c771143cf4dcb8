/**
 * `pulumi-cloudflare-custom-csr/lookup`: the lookup functions, `checkCertificate`, errors and types, without loading
 * `@pulumi/pulumi`, so they work where it is not installed (scripts, CI jobs, other tools) and start faster.
 *
 * Inside a Pulumi program, stack config (`cloudflare:apiToken`, `cloudflare:baseUrl`, ...) is still read: from
 * `@pulumi/pulumi` when the program has loaded it already, else from the `PULUMI_CONFIG` variable the language
 * host sets; this entry never loads Pulumi itself. The package's main entry exports the same functions, plus
 * the `CustomCsr` resource, the `...Output` variants and `setMocks` support, which need Pulumi.
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
import { parseLookupArgs } from "../src/lookup/args";
import { parseBindingArgs } from "../src/lookup/bindings";
import { getCustomCsrCertificatesWith, getCustomCsrsWith, getCustomCsrWith } from "../src/lookup/entry-points";
import { parseListArgs } from "../src/lookup/list";
import { ambientStackConfig } from "../src/lookup/stack-config";
import type {
  CustomCsrCertificates,
  CustomCsrResult,
  GetCustomCsrCertificatesArgs,
  LookupOptions,
} from "../src/public-types";

/** Arguments of {@link getCustomCsr}. */
export interface GetCustomCsrArgs {
  /** The custom CSR id: 1 to 36 letters, digits and `-`. */
  customCsrId: string;
  /** The account that owns the CSR (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  accountId?: string;
  /** The zone that owns the CSR (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  zoneId?: string;
}

/** Arguments of {@link getCustomCsrs}: one account or zone, and optional filters that all must match. */
export interface GetCustomCsrsArgs {
  /** The account whose CSRs to list (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  accountId?: string;
  /** The zone whose CSRs to list (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  zoneId?: string;
  /** Only CSRs whose display name (the API's `name`) is exactly this. */
  name?: string;
  /** Only CSRs whose common name is exactly this. */
  commonName?: string;
  /** Only CSRs that request this SAN (any of their SANs; case-insensitive, a trailing dot ignored). */
  san?: string;
}

/**
 * Looks up a custom CSR once and returns it, PEM verified. Credentials and endpoint: `opts`, then stack config
 * (see the module comment), then `CLOUDFLARE_*` environment variables. Invalid arguments throw
 * `InvalidCustomCsrArgsError` before any request is sent. Concurrent lookups of the same CSR share one request;
 * results are not cached, so every call after the last one settled sees Cloudflare's current state.
 */
export async function getCustomCsr(args: GetCustomCsrArgs, opts?: LookupOptions): Promise<CustomCsrResult> {
  return getCustomCsrWith(parseLookupArgs(args), opts, ambientStackConfig());
}

/**
 * Every custom CSR of an account or zone (all pages, bounded), filtered by `name`, `commonName` and `san` when
 * given, oldest first, each verified like {@link getCustomCsr}. Credentials and endpoint as for `getCustomCsr`.
 */
export async function getCustomCsrs(args: GetCustomCsrsArgs, opts?: LookupOptions): Promise<CustomCsrResult[]> {
  return getCustomCsrsWith(parseListArgs(args), opts, ambientStackConfig());
}

/**
 * Which certificate serves each custom CSR of a zone, and when it expires (see the main entry's
 * `getCustomCsrCertificates`, which also answers Pulumi mocks).
 */
export async function getCustomCsrCertificates(
  args: GetCustomCsrCertificatesArgs,
  opts?: LookupOptions,
): Promise<CustomCsrCertificates> {
  return getCustomCsrCertificatesWith(parseBindingArgs(args), opts, ambientStackConfig());
}

// The rest of the plain entry's surface: nothing here loads @pulumi/pulumi.
export { checkCertificate, MAX_CERTIFICATE_PEM_LENGTH } from "../src/csr/certificate-check";
export * from "./errors";
export type {
  CertificateBinding,
  CertificateCheck,
  CertificateCheckOptions,
  CertificateCsr,
  CustomCsrBindings,
  CustomCsrCertificates,
  CustomCsrResult,
  GetCustomCsrCertificatesArgs,
  LookupOptions,
} from "../src/public-types";
