/** A resolved credential: exactly one scheme, never both. */
export type Credentials =
  | { readonly scheme: "api-token"; readonly token: string }
  | { readonly scheme: "api-key"; readonly email: string; readonly key: string };

/** Every secret value a credential consists of (the email counts: it identifies the key's owner). */
export function secretsOf(credentials: Credentials): string[] {
  return credentials.scheme === "api-token" ? [credentials.token] : [credentials.key, credentials.email];
}

/** The HTTP headers that carry a credential. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.scheme === "api-token"
    ? { Authorization: `Bearer ${credentials.token}` }
    : { "X-Auth-Email": credentials.email, "X-Auth-Key": credentials.key };
}
