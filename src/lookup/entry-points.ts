import { parseLookupArgs } from "./args";
import { parseBindingArgs } from "./bindings";
import { parseListArgs } from "./list";
import { resolveClientConfig, type ConfigGetter } from "./connection-settings";
import { LookupSession } from "./session";
import type { CustomCsrCertificates, CustomCsrResult, LookupOptions } from "../public-types";

let session: LookupSession | undefined;

/**
 * The lookup functions of both public entries, which differ only in where stack config comes from (`config`).
 * One session per process, created on first use, so that concurrent lookups coalesce and share list pages, and
 * every request of a connection goes through one limiter; nothing is cached past a lookup's own request.
 */
function lookups(): LookupSession {
  session ??= new LookupSession({ resultTtlMs: 0 });
  return session;
}

/** `getCustomCsr`: validates the arguments, resolves the connection, looks the CSR up and verifies it. */
export async function getCustomCsrWith(
  args: unknown,
  options: LookupOptions | undefined,
  config: ConfigGetter,
): Promise<CustomCsrResult> {
  parseLookupArgs(args); // bad arguments are reported before any missing-credential error
  return lookups().lookup(args, resolveClientConfig(options, config));
}

/** `getCustomCsrs`: validates the arguments, resolves the connection, lists, filters and verifies. */
export async function getCustomCsrsWith(
  args: unknown,
  options: LookupOptions | undefined,
  config: ConfigGetter,
): Promise<CustomCsrResult[]> {
  parseListArgs(args); // bad arguments are reported before any missing-credential error
  return lookups().list(args, resolveClientConfig(options, config));
}

/** `getCustomCsrCertificates`: validates the arguments, resolves the connection, lists CSRs and certificates. */
export async function getCustomCsrCertificatesWith(
  args: unknown,
  options: LookupOptions | undefined,
  config: ConfigGetter,
): Promise<CustomCsrCertificates> {
  const parsed = parseBindingArgs(args);
  return lookups().certificates(parsed, resolveClientConfig(options, config));
}
