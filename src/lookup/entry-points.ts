import { resolveClientConfig, type ConfigGetter } from "./connection-settings";
import type { CustomCsrListRequest, CustomCsrRequest } from "./requests";
import { LookupSession } from "./session";
import type {
  CustomCsrCertificates,
  CustomCsrResult,
  GetCustomCsrCertificatesArgs,
  LookupOptions,
} from "../public-types";

let session: LookupSession | undefined;

/**
 * The lookups behind both public entries, which differ only in where stack config comes from (`config`). Each
 * takes a request its entry has already parsed. One session per process, created on first use, so that
 * concurrent lookups coalesce and share list pages, and every request of a connection goes through one limiter;
 * nothing is cached past a lookup's own request.
 */
export function lookups(): LookupSession {
  session ??= new LookupSession({ resultTtlMs: 0 });
  return session;
}

/** `getCustomCsr`: resolves the connection, looks the CSR up and verifies it. */
export function getCustomCsrWith(
  request: CustomCsrRequest,
  options: LookupOptions | undefined,
  config: ConfigGetter,
): Promise<CustomCsrResult> {
  return lookups().lookup(request, resolveClientConfig(options, config));
}

/** `getCustomCsrs`: resolves the connection, lists, filters and verifies. */
export function getCustomCsrsWith(
  request: CustomCsrListRequest,
  options: LookupOptions | undefined,
  config: ConfigGetter,
): Promise<CustomCsrResult[]> {
  return lookups().list(request, resolveClientConfig(options, config));
}

/** `getCustomCsrCertificates`: resolves the connection, lists CSRs and certificates. */
export function getCustomCsrCertificatesWith(
  request: GetCustomCsrCertificatesArgs,
  options: LookupOptions | undefined,
  config: ConfigGetter,
): Promise<CustomCsrCertificates> {
  return lookups().certificates(request, resolveClientConfig(options, config));
}
