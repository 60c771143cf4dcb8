import * as pulumi from "@pulumi/pulumi";
import { checkCertificate } from "../src/csr/certificate-check";
import { CustomCsr } from "./customCsr";
import type { CertificateCheck, CertificateCsr } from "../src/public-types";

/** The CSR facts {@link checkCertificateOutput} compares, as Pulumi inputs (a `getCustomCsrOutput` result fits). */
export type CertificateCsrInput = { [K in keyof CertificateCsr]: pulumi.Input<CertificateCsr[K]> };

/**
 * Options of {@link checkCertificateOutput}. `now` is a plain `Date`: `pulumi.output` would turn a `Date` inside an
 * input into `{}`, so it is never passed through one.
 */
export interface CertificateCheckOutputOptions {
  /** The moment the certificate must be valid at. Default: when the check runs. */
  readonly now?: Date;
  /** Days the certificate must still be valid after `now`. Default: 0. */
  readonly minDaysRemaining?: pulumi.Input<number>;
}

/**
 * {@link checkCertificate} for Pulumi programs: waits for the CSR's facts, the certificate and the options, then
 * checks. The Output fails with `CertificateMismatchError` when the certificate is not the CSR's, which fails the
 * deployment before anything that consumes it (a `cloudflare.CustomSsl` upload) is created. Unknown during a
 * preview while any input is unknown. Its `Date` fields are `Date`s: convert them before exporting them.
 *
 * @param csr a {@link CustomCsr}, or its facts as inputs (e.g. a `getCustomCsrOutput` result).
 *
 * @example
 * ```ts
 * const csr = new CustomCsr("web", { customCsrId: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752", zoneId });
 * const checked = checkCertificateOutput(csr, certificatePem, { minDaysRemaining: 14 });
 * const certificate = checked.apply(() => certificatePem); // consumed only once the check passed
 * new cloudflare.CustomSsl("web", { zoneId, customCsrId: csr.customCsrId, certificate });
 * ```
 */
export function checkCertificateOutput(
  csr: CustomCsr | pulumi.Input<CertificateCsrInput>,
  certificatePem: pulumi.Input<string>,
  options: CertificateCheckOutputOptions = {},
): pulumi.Output<CertificateCheck> {
  const facts: pulumi.Input<CertificateCsrInput> =
    csr instanceof CustomCsr
      ? { customCsrId: csr.customCsrId, pem: csr.pem, sans: csr.sans, publicKeySha256: csr.publicKeySha256 }
      : csr;
  return pulumi
    .all([pulumi.output(facts), certificatePem, options.minDaysRemaining])
    .apply(([resolved, pem, minDaysRemaining]) =>
      checkCertificate(resolved as CertificateCsr, pem, { now: options.now, minDaysRemaining }),
    );
}
