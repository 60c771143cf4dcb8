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
 * Code that only looks CSRs up can import `pulumi-cloudflare-custom-csr/lookup` instead: the same functions,
 * errors and types without loading `@pulumi/pulumi` (see `sdk/lookup.ts`).
 *
 * @packageDocumentation
 */
export { CustomCsr, CUSTOM_CSR_TYPE, type CustomCsrArgs, type CustomCsrScope } from "./customCsr";
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
export {
  checkCertificateOutput,
  type CertificateCheckOutputOptions,
  type CertificateCsrInput,
} from "./checkCertificateOutput";
export * from "./acme";
export { CustomCsrCertificate, type CustomCsrCertificateArgs } from "./customCsrCertificate";
// Everything the plain entry offers (checkCertificate, the errors, the result and option types). Its getCustomCsr and
// getCustomCsrs are shadowed by the ones above, which also answer Pulumi mocks: a module's own named exports take
// precedence over `export *`.
export * from "./lookup";
