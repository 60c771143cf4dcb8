/**
 * Where a custom CSR lives: an account or a zone, never both. The one shape of a scope for the client, the lookup
 * functions and the CLI (the emulator's own `CsrScope` has the same shape).
 */
export type CsrScope =
  | { readonly accountId: string; readonly zoneId?: undefined }
  | { readonly zoneId: string; readonly accountId?: undefined };

/**
 * The URL path of a scope, with the id percent-encoded: `accounts/<id>` or `zones/<id>`. Also the key of a scope in
 * caches and coalescing, being distinct for distinct scopes.
 */
export function scopePath(scope: CsrScope): string {
  return scope.accountId !== undefined
    ? `accounts/${encodeURIComponent(scope.accountId)}`
    : `zones/${encodeURIComponent(scope.zoneId)}`;
}

/** "account <id>" or "zone <id>", for messages. */
export function describeScope(scope: CsrScope): string {
  return scope.accountId !== undefined ? `account ${scope.accountId}` : `zone ${scope.zoneId}`;
}
