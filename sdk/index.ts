/**
 * pulumi-cloudflare-custom-csr: look up Cloudflare custom CSRs from Pulumi programs.
 *
 * - {@link CustomCsr}: a read-only resource whose outputs (PEM, SANs, common name, key fingerprint...) other
 *   resources can consume, with drift visible to `pulumi refresh`.
 * - {@link getCustomCsr} / {@link getCustomCsrOutput}: one-off lookups, inside or outside a Pulumi program.
 * - {@link getCustomCsrs} / {@link getCustomCsrsOutput}: every CSR of an account or zone, filtered, each verified.
 * - {@link checkCertificate} / {@link checkCertificateOutput}: is a certificate your CA issued the one to upload for
 *   the CSR (with `cloudflare.CustomSsl` or `cloudflare.CustomHostname`, referencing the CSR)?
 *
 * - {@link orderCertificate} (also `pulumi-cloudflare-custom-csr/acme`) and the `CustomCsrCertificate` resource: a
 *   certificate for the CSR from an ACME CA, with DNS-01 records in a Cloudflare zone, renewed declaratively.
 *
 * Looking CSRs up never loads `@pulumi/pulumi`: the resources and `checkCertificateOutput` load it (and their own
 * modules) on first use, and a Pulumi program has loaded it already. `pulumi-cloudflare-custom-csr/lookup` offers the
 * lookups, errors and types alone (see `sdk/lookup.ts`).
 *
 * @packageDocumentation
 */
export { CUSTOM_CSR_TYPE } from "../src/provider/provider";
export type { CustomCsrArgs, CustomCsrScope } from "./customCsr";
export {
  getCustomCsrCertificates,
  getCustomCsrCertificatesOutput,
  getCustomCsr,
  getCustomCsrOutput,
  getCustomCsrs,
  getCustomCsrsOutput,
  type GetCustomCsrArgs,
  type GetCustomCsrOutputArgs,
  type GetCustomCsrsArgs,
  type GetCustomCsrsOutputArgs,
} from "./functions";
export { FUNCTION_TOKENS } from "./mocks";
export type { CertificateCheckOutputOptions, CertificateCsrInput } from "./checkCertificateOutput";
export * from "./acme";
export type { CustomCsrCertificateArgs } from "./customCsrCertificate";
// Everything the plain entry offers (checkCertificate, the errors, the result and option types). Its getCustomCsr and
// getCustomCsrs are shadowed by the ones above, which also answer Pulumi mocks: a module's own named exports take
// precedence over `export *`.
export * from "./lookup";

// What cannot exist without Pulumi, loaded on first use (as the bridged `@pulumi/cloudflare` loads its resources):
// each name below is a placeholder that the getter defined after it replaces, and whose declared type is the real one.

/** A read-only resource for an existing custom CSR: see `sdk/customCsr.ts`. */
export const CustomCsr: typeof import("./customCsr").CustomCsr = undefined as never;
export type CustomCsr = import("./customCsr").CustomCsr;
/** A certificate for a custom CSR from an ACME CA, renewed declaratively: see `sdk/customCsrCertificate.ts`. */
export const CustomCsrCertificate: typeof import("./customCsrCertificate").CustomCsrCertificate = undefined as never;
export type CustomCsrCertificate = import("./customCsrCertificate").CustomCsrCertificate;
/** `checkCertificate` over Pulumi inputs: see `sdk/checkCertificateOutput.ts`. */
export const checkCertificateOutput: typeof import("./checkCertificateOutput").checkCertificateOutput =
  undefined as never;

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, on purpose */
loadOnFirstUse("CustomCsr", () => require("./customCsr").CustomCsr);
loadOnFirstUse("CustomCsrCertificate", () => require("./customCsrCertificate").CustomCsrCertificate);
loadOnFirstUse("checkCertificateOutput", () => require("./checkCertificateOutput").checkCertificateOutput);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Makes the export `name` a getter that loads its module when first read. */
function loadOnFirstUse(name: string, load: () => unknown): void {
  Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: load });
}
