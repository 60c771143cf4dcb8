import type * as pulumi from "@pulumi/pulumi";
import { parseLookupArgs } from "../src/lookup/args";
import { parseBindingArgs } from "../src/lookup/bindings";
import { getCustomCsrCertificatesWith, getCustomCsrsWith, getCustomCsrWith } from "../src/lookup/entry-points";
import { parseListArgs } from "../src/lookup/list";
import { checkLookupOptions } from "../src/lookup/connection-settings";
import { requirePulumi } from "../src/lookup/pulumi-module";
import { ambientStackConfig } from "../src/lookup/stack-config";
import type { GetCustomCsrArgs, GetCustomCsrsArgs } from "./lookup";
import { FUNCTION_TOKENS, invokeMocks, mocksActive } from "./mocks";
import type {
  CustomCsrCertificates,
  CustomCsrResult,
  GetCustomCsrCertificatesArgs,
  LookupOptions,
} from "../src/public-types";

export type { GetCustomCsrArgs, GetCustomCsrsArgs } from "./lookup";

/** `T` with each property a Pulumi input (optional ones stay optional). */
export type InputsOf<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Arguments of {@link getCustomCsrOutput}: the same as {@link GetCustomCsrArgs}, as Pulumi inputs. */
export type GetCustomCsrOutputArgs = InputsOf<GetCustomCsrArgs>;

/** Arguments of {@link getCustomCsrsOutput}: the same as {@link GetCustomCsrsArgs}, as Pulumi inputs. */
export type GetCustomCsrsOutputArgs = InputsOf<GetCustomCsrsArgs>;

/**
 * Looks up a custom CSR once and returns it, PEM verified. Works inside a Pulumi program (stack config
 * `cloudflare:*`, or `<configNamespace>:*`, is read) and in any other Node.js code (options, then `CLOUDFLARE_*`
 * environment). Invalid arguments throw `InvalidCustomCsrArgsError` before any request is sent. Concurrent
 * lookups of the same CSR share one request; results are not cached, so every call after the last one settled
 * sees Cloudflare's current state.
 *
 * Under `pulumi.runtime.setMocks` nothing is sent: the mocks' `call` receives the token
 * `pulumi-cloudflare-custom-csr:index:getCustomCsr` with `args` as `inputs`, and what it returns is the result.
 *
 * @example
 * ```ts
 * const csr = await getCustomCsr({
 *   customCsrId: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752",
 *   zoneId: "023e105f4ecef8ad9ca31a8372d0c353",
 * });
 * console.log(csr.publicKeySha256, csr.sans);
 * ```
 */
export async function getCustomCsr(args: GetCustomCsrArgs, opts?: LookupOptions): Promise<CustomCsrResult> {
  const request = parseLookupArgs(args); // bad arguments are reported before any missing-credential error
  if (mocksActive()) {
    checkLookupOptions(opts);
    return (await invokeMocks(FUNCTION_TOKENS.getCustomCsr, args)) as unknown as CustomCsrResult;
  }
  return getCustomCsrWith(request, opts, ambientStackConfig());
}

/**
 * {@link getCustomCsr} for Pulumi inputs: waits for the arguments, then looks the CSR up. The result is an
 * `Output`, unknown during a preview while any argument is unknown.
 */
export function getCustomCsrOutput(args: GetCustomCsrOutputArgs, opts?: LookupOptions): pulumi.Output<CustomCsrResult> {
  return requirePulumi()
    .output(args)
    .apply((resolved) => getCustomCsr(resolved as GetCustomCsrArgs, opts));
}

/**
 * Every custom CSR of an account or zone (all pages, bounded), filtered by `name`, `commonName` and `san` when
 * given, oldest first. Each selected CSR is verified like {@link getCustomCsr}: one whose PEM fails verification
 * fails the call with `CsrVerificationError` naming its id. Invalid arguments throw `InvalidCustomCsrArgsError`
 * before any request. Credentials and base URL come from the same places as for {@link getCustomCsr}.
 *
 * Under `pulumi.runtime.setMocks` nothing is sent: the mocks' `call` receives the token
 * `pulumi-cloudflare-custom-csr:index:getCustomCsrs` with `args` as `inputs` and must return `{ results: [...] }`
 * (the shape of the bridged provider's `getCustomCsrs`); the result is that array.
 *
 * @example
 * ```ts
 * const www = await getCustomCsrs({ zoneId: "023e105f4ecef8ad9ca31a8372d0c353", san: "www.example.com" });
 * console.log(www.map((csr) => csr.customCsrId));
 * ```
 */
export async function getCustomCsrs(args: GetCustomCsrsArgs, opts?: LookupOptions): Promise<CustomCsrResult[]> {
  const request = parseListArgs(args);
  if (mocksActive()) {
    checkLookupOptions(opts);
    return resultsOfMock(await invokeMocks(FUNCTION_TOKENS.getCustomCsrs, args));
  }
  return getCustomCsrsWith(request, opts, ambientStackConfig());
}

/**
 * {@link getCustomCsrs} for Pulumi inputs: waits for the arguments, then lists. The result is an `Output`,
 * unknown during a preview while any argument is unknown.
 */
export function getCustomCsrsOutput(
  args: GetCustomCsrsOutputArgs,
  opts?: LookupOptions,
): pulumi.Output<CustomCsrResult[]> {
  return requirePulumi()
    .output(args)
    .apply((resolved) => getCustomCsrs(resolved as GetCustomCsrsArgs, opts));
}

/**
 * Which certificate serves each custom CSR of a zone, and when it expires: every CSR of the zone (and of the account
 * when given) with the zone's custom certificates and custom hostnames whose `custom_csr_id` names it, plus `orphans`
 * (certificates naming a CSR that no longer exists). All pages, bounded. Invalid arguments throw
 * `InvalidCustomCsrArgsError` before any request; credentials come from the same places as for {@link getCustomCsr}.
 * The token needs "SSL and Certificates Read" on the zone (and account).
 *
 * Under `pulumi.runtime.setMocks` nothing is sent: the mocks' `call` receives the token
 * `pulumi-cloudflare-custom-csr:index:getCustomCsrCertificates` with `args` as `inputs`; what it returns is the result.
 *
 * @example
 * ```ts
 * const { csrs, orphans } = await getCustomCsrCertificates({ zoneId: "023e105f4ecef8ad9ca31a8372d0c353" });
 * for (const csr of csrs) for (const c of csr.certificates) console.log(csr.customCsrId, c.hosts, c.daysLeft);
 * ```
 */
export async function getCustomCsrCertificates(
  args: GetCustomCsrCertificatesArgs,
  opts?: LookupOptions,
): Promise<CustomCsrCertificates> {
  const request = parseBindingArgs(args);
  if (mocksActive()) {
    checkLookupOptions(opts);
    return (await invokeMocks(FUNCTION_TOKENS.getCustomCsrCertificates, args)) as unknown as CustomCsrCertificates;
  }
  return getCustomCsrCertificatesWith(request, opts, ambientStackConfig());
}

/** {@link getCustomCsrCertificates} for Pulumi inputs. */
export function getCustomCsrCertificatesOutput(
  args: InputsOf<GetCustomCsrCertificatesArgs>,
  opts?: LookupOptions,
): pulumi.Output<CustomCsrCertificates> {
  return requirePulumi()
    .output(args)
    .apply((resolved) => getCustomCsrCertificates(resolved as GetCustomCsrCertificatesArgs, opts));
}

/** The `results` array a `getCustomCsrs` mock returns; anything else is a mistake in the test, said plainly. */
function resultsOfMock(returned: Record<string, unknown>): CustomCsrResult[] {
  if (Array.isArray(returned?.results)) return returned.results as CustomCsrResult[];
  throw new TypeError(
    `The mocks' call for ${FUNCTION_TOKENS.getCustomCsrs} must return { results: [...] } (the CSRs), ` +
      `not ${JSON.stringify(returned)?.slice(0, 200)}.`,
  );
}
