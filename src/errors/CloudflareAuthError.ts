import type { AuthScheme } from "../cloudflare/credentials";
import { CloudflareApiError, type CloudflareErrorDetail } from "./CloudflareApiError";

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
