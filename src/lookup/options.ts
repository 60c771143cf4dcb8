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
  /** Deadline of one HTTP attempt in milliseconds (1..600000). Default 30000. */
  timeoutMs?: number;
  /** Retries after a 429, 5xx, reset or timeout (0..10). Default 4. */
  maxRetries?: number;
}

/** Reads one stack config value, e.g. `cloudflare:apiToken`; returns `undefined` when unset. */
export type ConfigGetter = (key: string) => string | undefined;

/**
 * Resolves where and how to connect, by the contract's precedence: explicit options, then stack config
 * (`cloudflare:*`), then environment (`CLOUDFLARE_*`). Throws `InvalidCustomCsrArgsError` for bad options.
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
  return {
    baseUrl,
    credentials,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
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
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 600_000)) {
    problems.push({ field: "timeoutMs", reason: `must be a whole number of milliseconds from 1 to 600000, not ${String(timeoutMs)}.` });
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10)) {
    problems.push({ field: "maxRetries", reason: `must be a whole number from 0 to 10, not ${String(maxRetries)}.` });
  }
  return problems;
}

function blankToUndefined(value: string | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
