import * as pulumi from "@pulumi/pulumi";
import { getCustomCsrWith } from "../src/lookup/get";
import type { LookupOptions } from "../src/lookup/options";
import type { CustomCsrResult } from "../src/lookup/result";
import type { GetCustomCsrArgs } from "./lookup";

export type { GetCustomCsrArgs } from "./lookup";

/** Arguments of {@link getCustomCsrOutput}: the same as {@link GetCustomCsrArgs}, as Pulumi inputs. */
export interface GetCustomCsrOutputArgs {
  /** The custom CSR id. */
  customCsrId: pulumi.Input<string>;
  /** The account that owns the CSR. Exactly one of `accountId` and `zoneId`. */
  accountId?: pulumi.Input<string>;
  /** The zone that owns the CSR. Exactly one of `accountId` and `zoneId`. */
  zoneId?: pulumi.Input<string>;
}

/**
 * Looks up a custom CSR once and returns it, PEM verified. Works inside a Pulumi program (stack config
 * `cloudflare:*` is read) and in any other Node.js code (options, then `CLOUDFLARE_*` environment).
 * Invalid arguments throw `InvalidCustomCsrArgsError` before any request is sent. Concurrent lookups of the
 * same CSR share one request; results are not cached, so every call after the last one settled sees Cloudflare's
 * current state.
 *
 * @example
 * ```ts
 * const csr = await getCustomCsr({ customCsrId: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752", zoneId: "023e105f4ecef8ad9ca31a8372d0c353" });
 * console.log(csr.publicKeySha256, csr.sans);
 * ```
 */
export async function getCustomCsr(args: GetCustomCsrArgs, opts?: LookupOptions): Promise<CustomCsrResult> {
  return getCustomCsrWith(args, opts, (key) => pulumi.runtime.getConfig(key));
}

/**
 * {@link getCustomCsr} for Pulumi inputs: waits for the arguments, then looks the CSR up. The result is an
 * `Output`, unknown during a preview while any argument is unknown.
 */
export function getCustomCsrOutput(args: GetCustomCsrOutputArgs, opts?: LookupOptions): pulumi.Output<CustomCsrResult> {
  return pulumi.output(args).apply((resolved) => getCustomCsr(resolved as GetCustomCsrArgs, opts));
}
