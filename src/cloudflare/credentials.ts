import { InvalidCustomCsrArgsError } from "../errors";
import { nonBlank } from "../json";

/** A resolved credential: exactly one scheme, never both. */
export type Credentials =
  | { readonly scheme: "api-token"; readonly token: string }
  | { readonly scheme: "api-key"; readonly email: string; readonly key: string };

/** Credential values one source (options, stack config or environment) offers. */
export interface CredentialValues {
  apiToken?: string;
  apiKey?: string;
  email?: string;
}

/** One place credentials can come from, in precedence order, named for error messages. */
export interface CredentialSource {
  /** How the user would recognise this source, e.g. "stack config (cloudflare:apiToken)". */
  readonly name: string;
  readonly values: CredentialValues;
}

/** The stack-config namespace `@pulumi/cloudflare` reads, and the default one here. */
export const DEFAULT_CONFIG_NAMESPACE = "cloudflare";

/** The stack config keys of one namespace, e.g. `cloudflare-prod:apiToken` (see `LookupOptions.configNamespace`). */
export function configKeys(namespace: string): { apiToken: string; apiKey: string; email: string; baseUrl: string } {
  const key = (name: string) => `${namespace}:${name}`;
  return { apiToken: key("apiToken"), apiKey: key("apiKey"), email: key("email"), baseUrl: key("baseUrl") };
}

/** Stack config keys of the default namespace, shared with `@pulumi/cloudflare`. */
export const CONFIG_KEYS = configKeys(DEFAULT_CONFIG_NAMESPACE);

/** Environment variables, shared with `@pulumi/cloudflare`, Terraform and the official SDK. */
export const ENV_VARS = {
  apiToken: "CLOUDFLARE_API_TOKEN",
  apiKey: "CLOUDFLARE_API_KEY",
  email: "CLOUDFLARE_EMAIL",
  baseUrl: "CLOUDFLARE_BASE_URL",
} as const;

/** Reads credentials from the environment; blank values count as unset, like the official SDK. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): CredentialSource {
  return {
    name: `environment (${ENV_VARS.apiToken}, or ${ENV_VARS.apiKey} + ${ENV_VARS.email})`,
    values: {
      apiToken: nonBlank(env[ENV_VARS.apiToken]),
      apiKey: nonBlank(env[ENV_VARS.apiKey]),
      email: nonBlank(env[ENV_VARS.email]),
    },
  };
}

/** Reads credentials of one config namespace from a stack config lookup such as the one `configure()` receives. */
export function credentialsFromConfig(
  get: (key: string) => string | undefined,
  namespace = DEFAULT_CONFIG_NAMESPACE,
): CredentialSource {
  const keys = configKeys(namespace);
  return {
    name: `stack config (${keys.apiToken}, or ${keys.apiKey} + ${keys.email})`,
    values: {
      apiToken: nonBlank(get(keys.apiToken)),
      apiKey: nonBlank(get(keys.apiKey)),
      email: nonBlank(get(keys.email)),
    },
  };
}

/**
 * Picks the credential to use: the first source that holds a token or a key wins, whole; sources are never
 * mixed. A token and a key in the same source is an error (which one was meant is unknowable), as is a key
 * without its email. An email next to a token is ignored, so a `CLOUDFLARE_EMAIL` left in a shell does not
 * break token auth, and only one scheme is ever sent.
 */
export function resolveCredentials(sources: readonly CredentialSource[]): Credentials {
  for (const source of sources) {
    const { apiToken, apiKey, email } = source.values;
    if (apiToken === undefined && apiKey === undefined) continue;
    if (apiToken !== undefined && apiKey !== undefined) {
      throw new InvalidCustomCsrArgsError([
        {
          field: "credentials",
          reason: `${source.name} sets both an API token and an API key; keep only one (an API token is preferred).`,
        },
      ]);
    }
    if (apiToken !== undefined) return { scheme: "api-token", token: apiToken };
    if (email === undefined) {
      throw new InvalidCustomCsrArgsError([
        {
          field: "credentials",
          reason: `${source.name} sets an API key without its email; set the email too, or use an API token.`,
        },
      ]);
    }
    return { scheme: "api-key", email, key: apiKey as string };
  }
  throw new InvalidCustomCsrArgsError([
    {
      field: "credentials",
      reason:
        "no Cloudflare credentials found. Set CLOUDFLARE_API_TOKEN, or `pulumi config set --secret cloudflare:apiToken <token>`, " +
        'or pass { apiToken } to the lookup function. The token needs the "SSL and Certificates Read" permission.',
    },
  ]);
}

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
