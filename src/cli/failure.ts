import { CsrVerificationError, InvalidCustomCsrArgsError } from "../errors";
import { ExitCode } from "./exit-codes";

/** A command line that cannot work: a missing or conflicting flag, a malformed value. Reported with a usage line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** How a failure is reported: the message for stderr, the exit code, and whether the usage line helps. */
export interface Failure {
  readonly message: string;
  readonly exitCode: ExitCode;
  readonly showUsage: boolean;
}

/** Library argument names as this command spells them. */
const FLAG_NAMES: Readonly<Record<string, string>> = {
  customCsrId: "<id>",
  accountId: "--account",
  zoneId: "--zone",
  baseUrl: "base URL (--base-url or CLOUDFLARE_BASE_URL)",
};

/** Arguments the user typed on this command line; a problem with one of them earns a usage line. */
const COMMAND_LINE_FIELDS = new Set(["customCsrId", "accountId", "zoneId"]);

/**
 * Maps an error to what the user sees. The package's typed errors keep their messages (which never hold a
 * credential); argument problems are named by their flags; a CSR that fails verification is a failed check (1);
 * everything else, API errors included, exits 2.
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) return { message: error.message, exitCode: ExitCode.Error, showUsage: true };
  if (error instanceof InvalidCustomCsrArgsError) {
    const problems = error.problems.map((p) => `${FLAG_NAMES[p.field] ?? p.field}: ${p.reason}`);
    return {
      message: problems.length === 1 ? `invalid ${problems[0]}` : `invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      exitCode: ExitCode.Error,
      showUsage: error.problems.every((p) => COMMAND_LINE_FIELDS.has(p.field)),
    };
  }
  if (error instanceof CsrVerificationError) return { message: error.message, exitCode: ExitCode.CheckFailed, showUsage: false };
  if (error instanceof Error) return { message: error.message, exitCode: ExitCode.Error, showUsage: false };
  return { message: String(error), exitCode: ExitCode.Error, showUsage: false };
}

/** Environment variables whose values must never be printed, whatever a message from elsewhere contains. */
const SECRET_ENV_VARS = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_ACCESS_TOKEN"];

/**
 * Replaces every credential held by the environment with `[redacted]`. The package's own errors never contain
 * one; this guards text relayed from elsewhere (the Pulumi CLI's output in `drift`).
 */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv): string {
  const secrets = SECRET_ENV_VARS.map((name) => env[name]?.trim()).filter((value): value is string => value !== undefined && value.length >= 4);
  return secrets.reduce((redacted, secret) => redacted.split(secret).join("[redacted]"), text);
}
