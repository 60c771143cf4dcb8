import { CloudflareApiError, type CloudflareErrorDetail } from "./CloudflareApiError";

/**
 * Thrown when Cloudflare answered definitively that the custom CSR does not exist: HTTP 404 with error code 1419.
 *
 * This is the only failure that makes a `pulumi refresh` drop a `CustomCsr` from the stack; every other error
 * leaves state untouched. The message names the id and the account or zone it was looked up in, and the
 * `custom-csr list` command that shows the ids that do exist there.
 */
export class CustomCsrNotFoundError extends CloudflareApiError {
  /** The custom CSR id that was not found. */
  readonly customCsrId: string;
  /** The account the lookup was scoped to, if any. */
  declare readonly accountId?: string;
  /** The zone the lookup was scoped to, if any. */
  declare readonly zoneId?: string;

  constructor(
    scope: { customCsrId: string; accountId?: string; zoneId?: string },
    errors: readonly CloudflareErrorDetail[] = [],
  ) {
    const where = scope.accountId !== undefined ? `account ${scope.accountId}` : `zone ${scope.zoneId}`;
    const listing = scope.accountId !== undefined ? `--account ${scope.accountId}` : `--zone ${scope.zoneId}`;
    super(
      `Custom CSR ${scope.customCsrId} was not found in ${where} (Cloudflare 404, code 1419). ` +
        `List the ids that exist there with \`custom-csr list ${listing}\`, ` +
        `or remove the resource if the CSR was deleted on purpose.`,
      404,
      errors,
    );
    this.name = "CustomCsrNotFoundError";
    this.customCsrId = scope.customCsrId;
    if (scope.accountId !== undefined) this.accountId = scope.accountId;
    if (scope.zoneId !== undefined) this.zoneId = scope.zoneId;
  }
}
