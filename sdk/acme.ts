/**
 * `pulumi-cloudflare-custom-csr/acme`: order certificates for a custom CSR from an ACME CA (Let's Encrypt, ZeroSSL,
 * Google, a private step-ca...), proving control of its names with DNS-01 records in a Cloudflare zone, without
 * loading `@pulumi/pulumi`. The ACME client is this package's own, RFC 8555 on `node:crypto` and `node:https`: no
 * further dependency, no global patched. The main entry re-exports it, next to the `CustomCsrCertificate` resource
 * that orders and renews declaratively.
 *
 * @example
 * ```ts
 * import { getCustomCsr } from "pulumi-cloudflare-custom-csr/lookup";
 * import { orderCertificate } from "pulumi-cloudflare-custom-csr/acme";
 * const csr = await getCustomCsr({ customCsrId: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752", zoneId: "<zone id>" });
 * const issued = await orderCertificate({
 *   csrPem: csr.pem,
 *   zoneId: "<zone id>",
 *   directoryUrl: "https://acme-v02.api.letsencrypt.org/directory",
 *   email: "ops@acme.dev",
 * });
 * ```
 *
 * @packageDocumentation
 */
export {
  orderCertificate,
  type OrderCertificateArgs,
  type OrderCertificateOptions,
  type OrderedCertificate,
} from "../src/acme/order";
export { AcmeOrderError } from "../src/errors";
