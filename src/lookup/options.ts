import type { ClientConfig } from "../cloudflare/client";
import {
  CONFIG_KEYS,
  credentialsFromConfig,
  credentialsFromEnv,
  ENV_VARS,
  resolveCredentials,
  type CredentialSource,
} from "../cloudflare/credentials";
import { resolveBaseUrl } from "../cloudflare/endpoint";
import { InvalidCustomCsrArgsError, type ArgumentProblem } from "../errors";

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
}

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

/**
 * Resolves where and how to connect, by the contract's precedence: explicit options, then stack config
 * (`cloudflare:*`), then environment (`CLOUDFLARE_*`). Throws `InvalidCustomCsrArgsError` for bad options or a bad
 * timeout setting ({@link TIMEOUT_SETTING}).
 */
export function resolveClientConfig(
  options: LookupOptions = {},
  config: ConfigGetter = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): ClientConfig {
  const problems = findOptionProblems(options);
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  const explicit: CredentialSource = {
    name: "lookup options (apiToken, or apiKey + email)",
    values: { apiToken: blankToUndefined(options.apiToken), apiKey: blankToUndefined(options.apiKey), email: blankToUndefined(options.email) },
  };
  const credentials = resolveCredentials([explicit, credentialsFromConfig(config), credentialsFromEnv(env)]);
  const baseUrl = resolveBaseUrl([options.baseUrl, config(CONFIG_KEYS.baseUrl), env[ENV_VARS.baseUrl]]);
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

function findOptionProblems(options: LookupOptions): ArgumentProblem[] {
  const problems: ArgumentProblem[] = [];
  if (typeof options !== "object" || options === null) {
    return [{ field: "options", reason: "expected an object such as { apiToken, baseUrl }." }];
  }
  for (const field of ["apiToken", "apiKey", "email", "baseUrl"] as const) {
    const value = options[field];
    if (value !== undefined && typeof value !== "string") problems.push({ field, reason: "must be a string." });
  }
  const { timeoutMs, maxRetries } = options;
  if (timeoutMs !== undefined && !isTimeoutMs(timeoutMs)) {
    problems.push({ field: "timeoutMs", reason: `${TIMEOUT_RULE}, not ${String(timeoutMs)}.` });
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
    problems.push({ field: "maxRetries", reason: `must be a whole number from 0 to 10, not ${String(maxRetries)}.` });
  }
  return problems;
}

function isTimeoutMs(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 600_000;
}

/** A deadline written as text in stack config or the environment; blank counts as unset, like the credentials. */
function timeoutSetting(source: string, text: string | undefined): number | undefined {
  const trimmed = blankToUndefined(text);
  if (trimmed === undefined) return undefined;
  const value = /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (isTimeoutMs(value)) return value;
  throw new InvalidCustomCsrArgsError([{ field: source, reason: `${TIMEOUT_RULE}, not ${JSON.stringify(trimmed.slice(0, 40))}.` }]);
}

function blankToUndefined(value: string | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
