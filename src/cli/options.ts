import { InvalidArgumentError, Option, type Command } from "commander";
import { CloudflareClient, type ClientConfig } from "../cloudflare/client";
import { ENV_VARS } from "../lookup/connection-settings";
import type { CsrScope } from "../cloudflare/scope";
import { InvalidCustomCsrArgsError } from "../errors";
import { findArgumentProblems, parseLookupArgs } from "../lookup/args";
import type { CustomCsrRequest } from "../lookup/requests";
import { resolveClientConfig } from "../lookup/connection-settings";
import { FORMATS, type Format } from "./ci-formats";
import { UsageError } from "./failure";

/** `--account` / `--zone`: where a custom CSR lives. */
export interface ScopeOptions {
  account?: string;
  zone?: string;
}

/** `--base-url`: the API root, for the emulator or a proxy. */
export interface ConnectionOptions {
  baseUrl?: string;
}

/** `--json`: machine-readable output. */
export interface JsonOption {
  json?: boolean;
}

/** Adds `--account <id>` and `--zone <id>`, which exclude each other; one of them is required. */
export function addScopeOptions(command: Command): Command {
  return command
    .addOption(new Option("--account <id>", "the account that owns the CSR (32 hex characters)").conflicts("zone"))
    .addOption(new Option("--zone <id>", "the zone that owns the CSR (32 hex characters)").conflicts("account"));
}

/** Adds `--base-url <url>`; the credential itself is never a flag, since shell history would keep it. */
export function addConnectionOptions(command: Command): Command {
  return command.option(
    "--base-url <url>",
    `API root (default: $${ENV_VARS.baseUrl}, else https://api.cloudflare.com/client/v4)`,
  );
}

/** `--format` (and `--json`, its alias for `json`): how a check command prints its report. */
export interface FormatOption extends JsonOption {
  format?: Format;
}

/** Adds `--format text|json|junit|sarif|github|markdown` and `--json` (= `--format json`). */
export function addFormatOption(command: Command, what: string): Command {
  return command
    .addOption(
      new Option(
        "--format <format>",
        `how to print ${what}: text, json, junit (JUnit XML), sarif (SARIF 2.1.0), github (workflow annotations), markdown`,
      ).choices(FORMATS),
    )
    .option("--json", "the same as --format json");
}

/** The format asked for; `--json` with another `--format` is a usage error. */
export function formatOf(options: FormatOption): Format {
  if (options.json === true && options.format !== undefined && options.format !== "json") {
    throw new UsageError(`--json is --format json; it cannot go with --format ${options.format}`);
  }
  return options.json === true ? "json" : (options.format ?? "text");
}

/** Adds `--json`. */
export function addJsonOption(command: Command, what: string): Command {
  return command.option("--json", `print ${what} as JSON on stdout`);
}

/** The scope the flags name, checked like the library checks `accountId` / `zoneId`. */
export function scopeFrom(options: ScopeOptions): CsrScope {
  if (options.account === undefined && options.zone === undefined)
    throw new UsageError("one of --account <id> or --zone <id> is required");
  const problems = findArgumentProblems({ accountId: options.account, zoneId: options.zone }).filter(
    (p) => p.field !== "customCsrId",
  );
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  return options.account !== undefined ? { accountId: options.account } : { zoneId: options.zone as string };
}

/** The custom CSR `<id>` and the scope the flags name, checked like the library checks its arguments. */
export function lookupArgsFrom(id: string, options: ScopeOptions): CustomCsrRequest {
  const scope = scopeFrom(options);
  return parseLookupArgs({ customCsrId: id, ...scope });
}

/**
 * The connection, resolved by the library's rules (and failing with its errors) for everything but the stack
 * config, which a shell does not have: `--base-url`, then `CLOUDFLARE_BASE_URL`; credentials from
 * `CLOUDFLARE_API_TOKEN`, or `CLOUDFLARE_API_KEY` + `CLOUDFLARE_EMAIL`. Commands that look CSRs up hand it to the
 * library's own session (`lookups()`), so they take the library's path.
 */
export function connectionFrom(options: ConnectionOptions, env: NodeJS.ProcessEnv): ClientConfig {
  return resolveClientConfig({ baseUrl: options.baseUrl }, () => undefined, env);
}

/** A client on {@link connectionFrom}'s connection, for `custom-csr list`'s unverified, ordered listing. */
export function clientFrom(options: ConnectionOptions, env: NodeJS.ProcessEnv): CloudflareClient {
  return new CloudflareClient(connectionFrom(options, env));
}

/** A number of days, 0 or more (fractions allowed): `--min-days`. */
export function parseDays(value: string): number {
  const days = Number(value);
  if (value.trim() === "" || !Number.isFinite(days) || days < 0) {
    throw new InvalidArgumentError("expected a number of days, 0 or more.");
  }
  return days;
}
