/**
 * The package's public data types: what a lookup returns, what it accepts, what a certificate check takes and
 * returns. Public as they stand: `sdk/index.ts` and `sdk/lookup.ts` re-export each one unchanged, so a change here
 * is a change of the package's API. Kept in `src/` (not `sdk/`) because the implementation uses them and data
 * flows one way, from `sdk` into `src`.
 */

/**
 * A custom CSR as this package reports it: the API's fields in camelCase, plus facts decoded from (and
 * verified against) the PEM. Optional API fields that Cloudflare did not return are absent, never defaulted.
 */
export interface CustomCsrResult {
  /** The custom CSR id (also the Pulumi resource id). */
  customCsrId: string;
  /** The account the CSR was looked up in, when looked up by account. */
  accountId?: string;
  /** The zone the CSR was looked up in, when looked up by zone. */
  zoneId?: string;
  /** The CSR in PEM form (the API's `csr`), verified: it parses, its signature holds, it matches the fields below. */
  pem: string;
  /** Subject Alternative Names the CSR requests (the API's `sans`). */
  sans?: string[];
  /** Common name of the subject (the API's `common_name`). */
  commonName?: string;
  /** `rsa2048` or `p256v1` (the API's `key_type`). */
  keyType: string;
  /** Display name (the API's `name`). */
  name?: string;
  /** Description (the API's `description`). */
  description?: string;
  /** Organization of the subject. */
  organization?: string;
  /** Organizational unit of the subject (the API's `organizational_unit`). */
  organizationalUnit?: string;
  /** Two-letter country code of the subject. */
  country?: string;
  /** State or province of the subject. */
  state?: string;
  /** Locality (city) of the subject. */
  locality?: string;
  /** Tag of the owning account (the API's `account_tag`). */
  accountTag?: string;
  /** Creation time, RFC 3339 (the API's `created_at`). */
  createdAt: string;
  /** The PEM's subject as an RFC 4514 string, e.g. `CN=www.example.com,O=Example,C=US`. */
  subject: string;
  /** `RSA-2048` or `ECDSA-P256`, decoded from the PEM. */
  publicKeyAlgorithm: string;
  /**
   * Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo: equal to
   * `openssl req -pubkey -noout | openssl pkey -pubin -outform der | sha256sum`.
   */
  publicKeySha256: string;
}

/** Per-call options of the lookup functions. Every field is optional; unset ones fall back to config and env. */
export interface LookupOptions {
  /** API token (preferred). Wins over stack config and environment. Needs "SSL and Certificates Read". */
  apiToken?: string;
  /** Global API key (legacy); requires `email`. */
  apiKey?: string;
  /** Account email that goes with `apiKey`. */
  email?: string;
  /** API root; default `https://api.cloudflare.com/client/v4`. `http://` only for loopback hosts. */
  baseUrl?: string;
  /**
   * Deadline of one HTTP attempt in milliseconds (1..600000). Default: stack config
   * `pulumi-cloudflare-custom-csr:timeoutMs`, then env `CLOUDFLARE_CUSTOM_CSR_TIMEOUT_MS`, then 30000.
   */
  timeoutMs?: number;
  /** Retries after a 429, 5xx, reset or timeout (0..10). Default 4. */
  maxRetries?: number;
  /**
   * The stack-config namespace holding `apiToken`, or `apiKey` + `email`, and `baseUrl`: e.g. `cloudflare-prod`
   * reads `cloudflare-prod:apiToken`, for a second account in the same stack. Default `cloudflare`. Only the
   * default namespace falls back to the `CLOUDFLARE_*` environment variables.
   */
  configNamespace?: string;
}

/**
 * What `checkCertificate` needs of a custom CSR. A `CustomCsrResult` (from `getCustomCsr`, or a `CustomCsr`'s
 * outputs) fits as it is; `sans` and `publicKeySha256` are the facts compared, both already verified against `pem`.
 */
export interface CertificateCsr {
  /** The custom CSR id, named in the error. */
  readonly customCsrId: string;
  /** The CSR's PEM (accepted so that a lookup result passes as it is; its facts below are what is compared). */
  readonly pem: string;
  /** The SANs the CSR requests; the certificate must cover every one. Absent means none. */
  readonly sans?: readonly string[];
  /** Lower-case hex SHA-256 of the CSR's DER SubjectPublicKeyInfo; the certificate must carry the same key. */
  readonly publicKeySha256: string;
}

/** Options of `checkCertificate`. */
export interface CertificateCheckOptions {
  /** The moment the certificate must be valid at. Default: now. */
  readonly now?: Date;
  /** Days the certificate must still be valid after `now` (fractions allowed). Default: 0. */
  readonly minDaysRemaining?: number;
}

/** Facts about a certificate that fits its CSR: what `checkCertificate` returns. */
export interface CertificateCheck {
  /** The certificate's subject, RFC 4514 order (`CN=www.acme.dev,O=Acme\, Inc.,C=US`). */
  readonly subject: string;
  /** The issuing CA's name, in the same form. */
  readonly issuer: string;
  /** Start of the validity period. */
  readonly notBefore: Date;
  /** End of the validity period. */
  readonly notAfter: Date;
  /** Whole days from `options.now` to `notAfter`, rounded down (negative once expired). */
  readonly daysRemaining: number;
  /** Lower-case hex SHA-256 of the certificate's DER SubjectPublicKeyInfo, comparable with the CSR's. */
  readonly publicKeySha256: string;
  /** The certificate's SANs: DNS names and IP addresses as plain text, other kinds as `kind:value`. */
  readonly sans: string[];
}

/** Arguments of `getCustomCsrCertificates`: the zone whose certificates to read, and optionally an account. */
export interface GetCustomCsrCertificatesArgs {
  /** The zone whose custom certificates and custom hostnames are read, and whose custom CSRs are listed. */
  zoneId: string;
  /** An account whose custom CSRs are listed too (CSRs made at account level serve zones of the account). */
  accountId?: string;
}

/** A certificate that serves hostnames for a custom CSR (Cloudflare holds the CSR's key and serves it). */
export interface CertificateBinding {
  /** `custom_ssl`: a zone's custom certificate; `custom_hostname`: a custom hostname's certificate. */
  kind: "custom_ssl" | "custom_hostname";
  /** The custom certificate's or custom hostname's id. */
  id: string;
  /** The hostnames it serves. */
  hosts: string[];
  issuer?: string;
  /** Cloudflare's status (`active`, `expired`, `pending_validation`...). */
  status?: string;
  /** When it expires (RFC 3339, as Cloudflare gives it). */
  expiresOn?: string;
  /** Whole days until `expiresOn` (negative once expired), when Cloudflare gives a date. */
  daysLeft?: number;
  /** The custom CSR it was issued for. */
  customCsrId: string;
}

/** One custom CSR and the certificates that serve it (none: nothing serves it). */
export interface CustomCsrBindings {
  customCsrId: string;
  /** The zone the CSR belongs to, when it is a zone's. */
  zoneId?: string;
  /** The account the CSR belongs to, when it is an account's. */
  accountId?: string;
  commonName?: string;
  certificates: CertificateBinding[];
}

/** What `getCustomCsrCertificates` resolves to. */
export interface CustomCsrCertificates {
  /** Every custom CSR of the zone (and of the account when given), each with its certificates. */
  csrs: CustomCsrBindings[];
  /** Certificates whose `custom_csr_id` names a CSR that does not exist (deleted or re-created). */
  orphans: CertificateBinding[];
}
