/**
 * Wire types of the Cloudflare Custom CSRs API, exactly as the API spells them (snake_case).
 * See https://developers.cloudflare.com/api/resources/custom_csrs/
 */

/** Key types Cloudflare generates custom CSRs with. */
export type ApiKeyType = "rsa2048" | "p256v1";

/** One custom CSR as `GET .../custom_csrs/{id}` and the list endpoint return it. */
export interface ApiCustomCsr {
  /** Custom CSR identifier (at most 36 characters). */
  id: string;
  /** When the CSR was created (RFC 3339). */
  created_at: string;
  /**
   * Key type of the CSR's private key, which never leaves Cloudflare: `rsa2048` or `p256v1` today
   * (typed as a string so a key type Cloudflare adds later is reported, not rejected as garbage).
   */
  key_type: ApiKeyType | (string & {});
  /** Account tag of the owning account. */
  account_tag?: string;
  /** Common name of the subject (at most 64 characters). */
  common_name?: string;
  /** Two-letter country code of the subject. */
  country?: string;
  /** The CSR itself, PEM encoded (PKCS#10). */
  csr?: string;
  /** Free-form description. */
  description?: string;
  /** Locality (city) of the subject. */
  locality?: string;
  /** Display name. */
  name?: string;
  /** Organization of the subject. */
  organization?: string;
  /** Organizational unit of the subject. */
  organizational_unit?: string;
  /** Subject Alternative Names the CSR requests. */
  sans?: string[];
  /** State or province of the subject. */
  state?: string;
}

/** One entry of the envelope's `errors` or `messages` array. */
export interface ApiMessage {
  code: number;
  message: string;
  documentation_url?: string;
  source?: { pointer?: string };
  error_chain?: ApiMessage[];
}

/** Paging information of a list response. */
export interface ApiResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages?: number;
}

/** The envelope every Cloudflare v4 API response is wrapped in. */
export interface ApiEnvelope<T> {
  success: boolean;
  errors: ApiMessage[];
  messages: ApiMessage[];
  result: T | null;
  result_info?: ApiResultInfo;
}

/** A zone as `GET /zones/{zone_id}` returns it; only what an ACME order reads. */
export interface ApiZone {
  id: string;
  /** The zone's domain name, e.g. `acme.dev`. */
  name: string;
}

/** A DNS record as `/zones/{zone_id}/dns_records` returns it; only what an ACME order reads. */
export interface ApiDnsRecord {
  id: string;
  type: string;
  /** The full record name, e.g. `_acme-challenge.www.acme.dev`. */
  name: string;
  content: string;
}

/** A certificate serving a zone, as this package reads custom certificates and custom hostnames' `ssl`. */
export interface ApiServingCertificate {
  kind: "custom_ssl" | "custom_hostname";
  id: string;
  hosts: string[];
  issuer?: string;
  status?: string;
  /** RFC 3339. */
  expires_on?: string;
  custom_csr_id?: string;
}
