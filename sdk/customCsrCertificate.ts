import * as pulumi from "@pulumi/pulumi";
import { CUSTOM_CSR_CERTIFICATE_TYPE, SERIALIZED_CERTIFICATE_PROVIDER } from "../src/provider/provider";
import type { CustomCsr } from "./customCsr";

/** Arguments of a {@link CustomCsrCertificate}. Give exactly one of `csrPem` and `customCsr`. */
export interface CustomCsrCertificateArgs {
  /** The custom CSR's PEM. */
  csrPem?: pulumi.Input<string>;
  /** The custom CSR (its `pem` is used). */
  customCsr?: CustomCsr;
  /** The Cloudflare zone that holds the `_acme-challenge` TXT records; every SAN must be in it (or delegated). */
  zoneId: pulumi.Input<string>;
  /** The ACME directory, https only: `https://acme-v02.api.letsencrypt.org/directory`, ZeroSSL's, your step-ca's. */
  directoryUrl: pulumi.Input<string>;
  /** The ACME account's contact e-mail. */
  email?: pulumi.Input<string>;
  /** External Account Binding for CAs that require one; stored as a secret. */
  externalAccountBinding?: pulumi.Input<{ kid: pulumi.Input<string>; hmacKey: pulumi.Input<string> }>;
  /** Re-order once fewer than this many days remain before `notAfter`; default 30. */
  renewBeforeDays?: pulumi.Input<number>;
  /** The stack-config namespace of the Cloudflare credentials (see `CustomCsrArgs.configNamespace`). */
  configNamespace?: pulumi.Input<string>;
  /** DNS servers (`host:port`) that must see the TXT records before the CA validates (e.g. `1.1.1.1:53`). */
  dnsResolvers?: pulumi.Input<pulumi.Input<string>[]>;
  /** How long to wait for `dnsResolvers`, in ms; default 120 000. */
  propagationTimeoutMs?: pulumi.Input<number>;
  /**
   * Delegated DNS-01 for Custom Hostnames: a SAN (a SaaS customer's hostname) maps to the name in `zoneId` that the
   * customer's `_acme-challenge.<SAN>` CNAME points to; the TXT record is written there.
   */
  challengeAliases?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const OUTPUTS = [
  "certificatePem",
  "chainPem",
  "notBefore",
  "notAfter",
  "sans",
  "issuer",
  "publicKeySha256",
  "accountKeyPem",
] as const;

/**
 * A certificate for a custom CSR, issued by an ACME CA (Let's Encrypt, ZeroSSL, Google, step-ca...) after DNS-01
 * validation through TXT records in a Cloudflare zone, checked with `checkCertificate` against the CSR, and renewed
 * by `pulumi up` once fewer than `renewBeforeDays` days remain (`pulumi preview` shows it as an update). A new CSR
 * key replaces it. `pulumi destroy` only forgets it. The ACME account key is a secret output, reused by renewals.
 *
 * Upload it with `cloudflare.CustomSsl({ zoneId, customCsrId, certificate: cert.certificatePem + cert.chainPem })`:
 * a renewal updates that resource in place (Cloudflare swaps the certificate; the key, kept by Cloudflare, stays).
 *
 * @example
 * ```ts
 * const csr = new CustomCsr("web", { customCsrId: "7b163417-...", zoneId });
 * const cert = new CustomCsrCertificate("web", {
 *   customCsr: csr,
 *   zoneId,
 *   directoryUrl: "https://acme-v02.api.letsencrypt.org/directory",
 *   email: "ops@acme.dev",
 * });
 * ```
 */
export class CustomCsrCertificate extends pulumi.CustomResource {
  /** The leaf certificate, PEM. */
  declare readonly certificatePem: pulumi.Output<string>;
  /** The intermediates, PEM, as the CA returned them. */
  declare readonly chainPem: pulumi.Output<string>;
  /** Start of validity, ISO 8601. */
  declare readonly notBefore: pulumi.Output<string>;
  /** End of validity, ISO 8601. */
  declare readonly notAfter: pulumi.Output<string>;
  /** The leaf's SANs. */
  declare readonly sans: pulumi.Output<string[]>;
  /** The leaf's issuer, RFC 4514. */
  declare readonly issuer: pulumi.Output<string>;
  /** SHA-256 of the leaf's SubjectPublicKeyInfo: the CSR's key. */
  declare readonly publicKeySha256: pulumi.Output<string>;
  /** The ACME account key (PKCS#8 PEM), a secret output. */
  declare readonly accountKeyPem: pulumi.Output<string>;

  /**
   * Orders (on create) and renews (on update) the certificate.
   * @param name The unique name of the resource in the stack.
   * @param args The CSR, the zone and the CA.
   * @param opts Resource options.
   */
  constructor(name: string, args: CustomCsrCertificateArgs, opts?: pulumi.CustomResourceOptions) {
    if ((args?.csrPem === undefined) === (args?.customCsr === undefined)) {
      throw new Error(`CustomCsrCertificate ${name}: give exactly one of csrPem and customCsr`);
    }
    const props: pulumi.Inputs = {};
    for (const key of OUTPUTS) props[key] = undefined;
    props.csrPem = args.csrPem ?? args.customCsr?.pem;
    props.zoneId = args.zoneId;
    props.directoryUrl = args.directoryUrl;
    props.email = args.email;
    props.externalAccountBinding =
      args.externalAccountBinding === undefined ? undefined : pulumi.secret(args.externalAccountBinding);
    props.renewBeforeDays = args.renewBeforeDays;
    props.configNamespace = args.configNamespace;
    props.dnsResolvers = args.dnsResolvers;
    props.propagationTimeoutMs = args.propagationTimeoutMs;
    props.challengeAliases = args.challengeAliases;
    props.__provider = SERIALIZED_CERTIFICATE_PROVIDER;
    const secrets = { additionalSecretOutputs: ["accountKeyPem", "externalAccountBinding"] };
    super(CUSTOM_CSR_CERTIFICATE_TYPE, name, props, pulumi.mergeOptions(opts, secrets));
  }
}
