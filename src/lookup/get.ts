import { parseLookupArgs } from "./args";
import { resolveClientConfig, type ConfigGetter, type LookupOptions } from "./options";
import type { CustomCsrResult } from "./result";
import { LookupSession } from "./session";

let session: LookupSession | undefined;

/**
 * `getCustomCsr` of both public entries, which differ only in where stack config comes from. One session per
 * process (created on first use) so that concurrent lookups coalesce and share list pages; nothing is cached
 * past a lookup's own request.
 */
export async function getCustomCsrWith(
  args: unknown,
  options: LookupOptions | undefined,
  config: ConfigGetter,
): Promise<CustomCsrResult> {
  parseLookupArgs(args); // bad arguments are reported before any missing-credential error
  const clientConfig = resolveClientConfig(options, config);
  session ??= new LookupSession({ resultTtlMs: 0 });
  return session.lookup(args, clientConfig);
}
