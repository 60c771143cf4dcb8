/**
 * The text every `CustomCsr` stores as its `__provider`: a one-line CommonJS module whose `handler()` returns
 * the provider. Pulumi's Node.js dynamic provider loads this text (with `require-from-string`) in the provider
 * process and calls `handler()`; the provider itself is `provider` of the package's runtime, loaded there through
 * the package's public subpath (resolved from the Pulumi program's directory, hence the `exports` entry in
 * `package.json`).
 *
 * Written by hand rather than by `pulumi.runtime.serializeFunction`: it captures nothing (no credential, client
 * or cache can end up in state), it is identical on every machine and version, and it is stored twice per
 * resource (inputs and outputs), so its ~90 bytes replace ~2 KiB of closure text in each.
 */
export const SERIALIZED_PROVIDER =
  'exports.handler = () => require("pulumi-cloudflare-custom-csr/provider-runtime").provider;\n';

/**
 * The type token of the `CustomCsr` resource, as stored in every state (and matched by `custom-csr drift`). Pulumi's
 * dynamic resources are all `pulumi-nodejs:dynamic:Resource` by default; this package names its own.
 */
export const CUSTOM_CSR_TYPE = "pulumi-nodejs:cloudflare:CustomCsr";

/** The `__provider` text of every `CustomCsrCertificate`: the same one-line loader, for the certificate provider. */
export const SERIALIZED_CERTIFICATE_PROVIDER =
  'exports.handler = () => require("pulumi-cloudflare-custom-csr/provider-runtime").certificateProvider;\n';

/** The type token of the `CustomCsrCertificate` resource. */
export const CUSTOM_CSR_CERTIFICATE_TYPE = "pulumi-nodejs:cloudflare:CustomCsrCertificate";
