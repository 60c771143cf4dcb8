import * as pulumi from "@pulumi/pulumi";
import { RESULT_KEYS } from "../src/lookup/result";
import { CUSTOM_CSR_TYPE, SERIALIZED_PROVIDER } from "../src/provider/provider";

/** Arguments of a {@link CustomCsr}: which custom CSR to look up, and where. */
export interface CustomCsrArgs {
  /** The custom CSR id: 1 to 36 letters, digits and `-` (a UUID). Changing it replaces the resource. */
  customCsrId: pulumi.Input<string>;
  /** The account that owns the CSR (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  accountId?: pulumi.Input<string>;
  /** The zone that owns the CSR (32 hex characters). Exactly one of `accountId` and `zoneId`. */
  zoneId?: pulumi.Input<string>;
  /**
   * The stack-config namespace holding the credentials and base URL: `cloudflare-prod` reads
   * `cloudflare-prod:apiToken` (or `apiKey` + `email`) and `cloudflare-prod:baseUrl`, for a second account in one
   * stack. Default `cloudflare`, the only namespace that falls back to the `CLOUDFLARE_*` environment. Only the
   * name is stored in state; changing it updates the resource in place (same CSR, re-read), never replaces it.
   */
  configNamespace?: pulumi.Input<string>;
}

/** Where an existing custom CSR lives, for {@link CustomCsr.get}. Exactly one of `accountId` and `zoneId`. */
export interface CustomCsrScope {
  /** The account that owns the CSR. */
  accountId?: pulumi.Input<string>;
  /** The zone that owns the CSR. */
  zoneId?: pulumi.Input<string>;
  /** The stack-config namespace of the credentials (see {@link CustomCsrArgs.configNamespace}). */
  configNamespace?: pulumi.Input<string>;
}

export { CUSTOM_CSR_TYPE };

/**
 * An existing Cloudflare custom CSR, looked up by id (never created, changed or deleted in Cloudflare).
 *
 * Its outputs are the API's fields, with the PEM verified: it parses, its self-signature holds, and its CN,
 * SANs and key type match what the API says. Give `pem` to your CA; upload the certificate it issues with
 * `cloudflare.CustomSsl` or `cloudflare.CustomHostname` referencing `customCsrId` (Cloudflare keeps the key), after
 * `checkCertificateOutput`; see drift with `pulumi refresh --preview-only --expect-no-changes`.
 *
 * Credentials come from stack config `cloudflare:apiToken` (or `cloudflare:apiKey` + `cloudflare:email`),
 * else from `CLOUDFLARE_API_TOKEN` (or `CLOUDFLARE_API_KEY` + `CLOUDFLARE_EMAIL`); with `configNamespace`, from
 * that namespace's keys only. They are read inside the provider process and never stored in state.
 *
 * @example
 * ```ts
 * const csr = new CustomCsr("web", {
 *   customCsrId: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752",
 *   accountId: "023e105f4ecef8ad9ca31a8372d0c353",
 * });
 * export const pem = csr.pem;
 * ```
 */
export class CustomCsr extends pulumi.CustomResource {
  /** The custom CSR id (also the resource id). */
  declare readonly customCsrId: pulumi.Output<string>;
  /** The account it was looked up in, when looked up by account. */
  declare readonly accountId: pulumi.Output<string | undefined>;
  /** The zone it was looked up in, when looked up by zone. */
  declare readonly zoneId: pulumi.Output<string | undefined>;
  /** The CSR in PEM form (the API's `csr`), verified against the fields below. */
  declare readonly pem: pulumi.Output<string>;
  /** Subject Alternative Names the CSR requests. */
  declare readonly sans: pulumi.Output<string[] | undefined>;
  /** Common name of the subject. */
  declare readonly commonName: pulumi.Output<string | undefined>;
  /** Key type: `rsa2048` or `p256v1`. */
  declare readonly keyType: pulumi.Output<string>;
  /** Display name of the CSR. */
  declare readonly name: pulumi.Output<string | undefined>;
  /** Description of the CSR. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** Organization of the subject. */
  declare readonly organization: pulumi.Output<string | undefined>;
  /** Organizational unit of the subject. */
  declare readonly organizationalUnit: pulumi.Output<string | undefined>;
  /** Two-letter country code of the subject. */
  declare readonly country: pulumi.Output<string | undefined>;
  /** State or province of the subject. */
  declare readonly state: pulumi.Output<string | undefined>;
  /** Locality (city) of the subject. */
  declare readonly locality: pulumi.Output<string | undefined>;
  /** Tag of the owning account. */
  declare readonly accountTag: pulumi.Output<string | undefined>;
  /** Creation time (RFC 3339). */
  declare readonly createdAt: pulumi.Output<string>;
  /** The PEM's subject as an RFC 4514 string. */
  declare readonly subject: pulumi.Output<string>;
  /** `RSA-2048` or `ECDSA-P256`, decoded from the PEM. */
  declare readonly publicKeyAlgorithm: pulumi.Output<string>;
  /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo (the key fingerprint `openssl` computes). */
  declare readonly publicKeySha256: pulumi.Output<string>;

  /**
   * Looks up an existing custom CSR and tracks it in the stack.
   * @param name The unique name of the resource in the stack.
   * @param args Which CSR: its id and exactly one of `accountId` / `zoneId`.
   * @param opts Resource options.
   */
  constructor(name: string, args: CustomCsrArgs, opts?: pulumi.CustomResourceOptions) {
    const props: pulumi.Inputs = {};
    // Every output, so each appears on the object (the engine only fills keys passed to the constructor).
    for (const key of RESULT_KEYS) props[key] = undefined;
    props.customCsrId = args?.customCsrId;
    props.accountId = args?.accountId;
    props.zoneId = args?.zoneId;
    props.configNamespace = args?.configNamespace;
    props.__provider = SERIALIZED_PROVIDER;
    super(CUSTOM_CSR_TYPE, name, props, opts);
  }

  /**
   * Adopts an existing custom CSR by id without recording inputs: a read on every `up` and `preview`.
   * Fails with `CustomCsrNotFoundError`'s message when the CSR does not exist.
   * @param name The unique name of the resource in the stack.
   * @param id The custom CSR id.
   * @param scope The account or zone that owns it.
   * @param opts Resource options.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    scope: CustomCsrScope,
    opts?: pulumi.CustomResourceOptions,
  ): CustomCsr {
    return new CustomCsr(name, { customCsrId: id, ...scope }, { ...opts, id });
  }
}
