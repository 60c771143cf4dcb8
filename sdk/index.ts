/**
 * pulumi-cloudflare-custom-csr: look up Cloudflare custom CSRs from Pulumi programs.
 *
 * - {@link CustomCsr}: a read-only resource whose outputs (PEM, SANs, common name, key fingerprint...) other
 *   resources can consume, with drift visible to `pulumi refresh`.
 * - {@link getCustomCsr} / {@link getCustomCsrOutput}: one-off lookups, inside or outside a Pulumi program.
 *
 * Code that only looks CSRs up can import `pulumi-cloudflare-custom-csr/lookup` instead: the same functions,
 * errors and types without loading `@pulumi/pulumi` (see `sdk/lookup.ts`).
 *
 * @packageDocumentation
 */
export { CustomCsr, CUSTOM_CSR_TYPE, type CustomCsrArgs, type CustomCsrScope } from "./customCsr";
export { getCustomCsr, getCustomCsrOutput, type GetCustomCsrArgs, type GetCustomCsrOutputArgs } from "./functions";
export * from "./errors";
export type { CustomCsrResult } from "../src/lookup/result";
export type { LookupOptions } from "../src/lookup/options";
