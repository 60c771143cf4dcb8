import { CloudflareApiError, type CloudflareErrorDetail } from "./CloudflareApiError";

/**
 * Which kind of credential a request used, never the credential itself: `"api-token"` (`Authorization: Bearer`)
 * or `"api-key"` (`X-Auth-Key` + `X-Auth-Email`, the legacy Global API Key). The client, its errors and the
 * emulator's request log all name schemes this way.
 */
export type AuthScheme = "api-token" | "api-key";

/** The permission a Cloudflare API token needs to read custom CSRs. */
export const REQUIRED_PERMISSION = "SSL and Certificates Read";

/**
 * Thrown when Cloudflare rejected the credentials: HTTP 401 or 403, or error code 10000 ("Authentication error").
 *
 * The message names the permission the credential needs ("SSL and Certificates Read") and which scheme was
 * used (`scheme`), so a wrong token type or a missing permission is told apart at a glance. It never contains
 * the token, the key or the email.
 */
export class CloudflareAuthError extends CloudflareApiError {
  /** The credential scheme the failing request used. */
  readonly scheme: AuthScheme;

  constructor(message: string, status: number, errors: readonly CloudflareErrorDetail[], scheme: AuthScheme) {
    super(message, status, errors);
    this.name = "CloudflareAuthError";
    this.scheme = scheme;
  }
}
