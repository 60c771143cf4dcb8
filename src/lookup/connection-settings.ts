/**
 * Where a connection's settings come from, all in this one module: the credential (explicit options, stack config,
 * environment), the base URL and the per-attempt deadline, by the contract's precedence. The Cloudflare client
 * only ever sees the result, a `ClientConfig`.
 */
import type { ClientConfig } from "../cloudflare/client";
import type { Credentials } from "../cloudflare/credentials";
import { DEFAULT_BASE_URL, validateBaseUrl } from "../cloudflare/endpoint";
import { InvalidCustomCsrArgsError, type ArgumentProblem } from "../errors";
import { nonBlank } from "../json";
import { describeType, quote } from "./args";
import type { LookupOptions } from "../public-types";

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
export function resolveCredentials(sources: Iterable<CredentialSource>): Credentials {
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

/**
 * Returns the first base URL given (explicit option, stack config, environment, in that order; each read only
 * when those before it are unset or blank), or the production endpoint, after checking it is safe to send a
 * credential to. The last URL checked is remembered, so a process that looks up many CSRs parses it once.
 */
export function resolveBaseUrl(candidates: readonly (() => string | undefined)[]): string {
  let chosen = DEFAULT_BASE_URL;
  for (const candidate of candidates) {
    const value = candidate()?.trim();
    if (value !== undefined && value !== "") {
      chosen = value;
      break;
    }
  }
  if (lastBaseUrl?.given !== chosen) lastBaseUrl = { given: chosen, valid: validateBaseUrl(chosen) };
  return lastBaseUrl.valid;
}

/** The last base URL {@link resolveBaseUrl} checked, as given and as validated. */
let lastBaseUrl: { readonly given: string; readonly valid: string } | undefined;

/**
 * Where the per-attempt deadline can be set besides `LookupOptions.timeoutMs`. The config key lives in this
 * package's own namespace: `@pulumi/cloudflare` rejects unknown keys under `cloudflare:` ("Invalid or unknown
 * key"). The environment variable also reaches the provider process and the `custom-csr` command.
 */
export const TIMEOUT_SETTING = {
  configKey: "pulumi-cloudflare-custom-csr:timeoutMs",
  envVar: "CLOUDFLARE_CUSTOM_CSR_TIMEOUT_MS",
} as const;

const TIMEOUT_RULE = "must be a whole number of milliseconds from 1 to 600000";

/** Reads one stack config value, e.g. `cloudflare:apiToken`; returns `undefined` when unset. */
export type ConfigGetter = (key: string) => string | undefined;

/** Letters, digits, `-`, `_` and `.` (the characters of a Pulumi project or package name), no `:`. */
const CONFIG_NAMESPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * Checks a config namespace (`LookupOptions.configNamespace`, the `configNamespace` input); `undefined` means
 * the default. Returns the problem, or `undefined` when the value is usable.
 */
export function findConfigNamespaceProblem(value: unknown): ArgumentProblem | undefined {
  if (value === undefined) return undefined;
  const field = "configNamespace";
  if (typeof value !== "string") return { field, reason: `must be a string, not ${describeType(value)}.` };
  if (CONFIG_NAMESPACE.test(value)) return undefined;
  return {
    field,
    reason:
      `${quote(value)} is not a stack-config namespace: expected 1 to 100 letters, digits, "-", "_" or "." starting ` +
      `with a letter or digit, without the ":" and key (e.g. "cloudflare-prod" for cloudflare-prod:apiToken).`,
  };
}

/**
 * Resolves where and how to connect, by the contract's precedence: explicit options, then stack config
 * (`<configNamespace>:*`, default `cloudflare:*`), then, for the default namespace only, the environment
 * (`CLOUDFLARE_*`). Throws `InvalidCustomCsrArgsError` for bad options or a bad timeout setting
 * ({@link TIMEOUT_SETTING}).
 */
export function resolveClientConfig(
  options: LookupOptions = {},
  config: ConfigGetter = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): ClientConfig {
  checkLookupOptions(options);
  const explicit: CredentialSource = {
    name: "lookup options (apiToken, or apiKey + email)",
    values: { apiToken: nonBlank(options.apiToken), apiKey: nonBlank(options.apiKey), email: nonBlank(options.email) },
  };
  const namespace = options.configNamespace ?? DEFAULT_CONFIG_NAMESPACE;
  // Another namespace names another account: borrowing the default one's environment would silently mix accounts.
  const isDefault = namespace === DEFAULT_CONFIG_NAMESPACE;
  // Each source is read only when every one before it holds no credential (a lookup with options reads no config).
  function* sources(): Generator<CredentialSource> {
    yield explicit;
    const fromConfig = credentialsFromConfig(config, namespace);
    if (!isDefault) requireCredentialsIn([explicit, fromConfig], namespace);
    yield fromConfig;
    if (isDefault) yield credentialsFromEnv(env);
  }
  const credentials = resolveCredentials(sources());
  const baseUrl = resolveBaseUrl([
    () => options.baseUrl,
    () => config(configKeys(namespace).baseUrl),
    () => (isDefault ? env[ENV_VARS.baseUrl] : undefined),
  ]);
  const timeoutMs =
    options.timeoutMs ??
    timeoutSetting(TIMEOUT_SETTING.configKey, config(TIMEOUT_SETTING.configKey)) ??
    timeoutSetting(TIMEOUT_SETTING.envVar, env[TIMEOUT_SETTING.envVar]);
  return {
    baseUrl,
    credentials,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(options.maxRetries !== undefined ? { retry: { maxRetries: options.maxRetries } } : {}),
  };
}

/** Checks the options' shape alone (no credential is resolved): for callers that send no request, e.g. under mocks. */
export function checkLookupOptions(options: LookupOptions = {}): void {
  const problems = findOptionProblems(options);
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
}

function findOptionProblems(options: LookupOptions): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  if (typeof options !== "object" || options === null) {
    return [{ field: "options", reason: "expected an object such as { apiToken, baseUrl }." }];
  }
  for (const field of ["apiToken", "apiKey", "email", "baseUrl"] as const) {
    const value = options[field];
    if (value !== undefined && typeof value !== "string") problems.push({ field, reason: "must be a string." });
  }
  const namespaceProblem = findConfigNamespaceProblem(options.configNamespace);
  if (namespaceProblem !== undefined) problems.push(namespaceProblem);
  const { timeoutMs, maxRetries } = options;
  if (timeoutMs !== undefined && !isTimeoutMs(timeoutMs)) {
    problems.push({ field: "timeoutMs", reason: `${TIMEOUT_RULE}, not ${String(timeoutMs)}.` });
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
    problems.push({ field: "maxRetries", reason: `must be a whole number from 0 to 10, not ${String(maxRetries)}.` });
  }
  return problems;
}

/** A namespace other than the default has no environment fallback: say so when it holds no credential. */
function requireCredentialsIn(sources: readonly CredentialSource[], namespace: string): void {
  if (sources.some(({ values }) => values.apiToken !== undefined || values.apiKey !== undefined)) return;
  const keys = configKeys(namespace);
  throw new InvalidCustomCsrArgsError([
    {
      field: "credentials",
      reason:
        `no Cloudflare credentials in config namespace "${namespace}": set ` +
        `\`pulumi config set --secret ${keys.apiToken} <token>\` (or ${keys.apiKey} + ${keys.email}). ` +
        `The CLOUDFLARE_* environment variables only back the default "cloudflare" namespace.`,
    },
  ]);
}

function isTimeoutMs(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 600_000;
}

/** A deadline written as text in stack config or the environment; blank counts as unset, like the credentials. */
function timeoutSetting(source: string, text: string | undefined): number | undefined {
  const trimmed = nonBlank(text);
  if (trimmed === undefined) return undefined;
  const value = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (isTimeoutMs(value)) return value;
  throw new InvalidCustomCsrArgsError([
    { field: source, reason: `${TIMEOUT_RULE}, not ${JSON.stringify(trimmed.slice(0, 40))}.` },
  ]);
}
