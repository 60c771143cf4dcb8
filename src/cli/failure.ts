import { ENV_VARS } from "../lookup/connection-settings";
import { CsrVerificationError, InvalidCustomCsrArgsError } from "../errors";
import { redactorFor } from "../errors/redaction";
import { ExitCode } from "./exit-codes";

/** A command line that cannot work: a missing or conflicting flag, a malformed value. Reported with a usage line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * An error whose message is several lines on purpose (e.g. the Pulumi CLI's diagnostics): each line is escaped
 * on its own when printed, instead of the newlines being shown as `\n`.
 */
export class MultiLineError extends Error {
  /** The lines of the message, without newlines of their own (any left inside a line is shown as `\n`). */
  readonly lines: readonly string[];

  constructor(lines: readonly string[], options?: ErrorOptions) {
    super(lines.join("\n"), options);
    this.name = "MultiLineError";
    this.lines = lines;
  }
}

/** How a failure is reported: the message for stderr, the exit code, and whether the usage line helps. */
export interface Failure {
  readonly message: string;
  /**
   * The message as the lines to print, each escaped separately. Only text this package lays out in lines is split;
   * a message from elsewhere is one line, so a newline inside it cannot forge another `error:` line.
   */
  readonly lines: readonly string[];
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

/**
 * Said after the library's credential problem, whose advice is written for programs: where this command looks.
 * The credential is never a flag: shell history would keep it.
 */
export const CLI_CREDENTIALS_HINT =
  `custom-csr reads ${ENV_VARS.apiToken}, or ${ENV_VARS.apiKey} + ${ENV_VARS.email}, from the environment; ` +
  "it takes no credential on its command line, where shell history would keep it.";

/** Arguments the user typed on this command line; a problem with one of them earns a usage line. */
const COMMAND_LINE_FIELDS = new Set(["customCsrId", "accountId", "zoneId"]);

/**
 * Maps an error to what the user sees. The package's typed errors keep their messages (which never hold a
 * credential); argument problems are named by their flags; a CSR that fails verification is a failed check (1);
 * everything else, API errors included, exits 2.
 */
export function describeFailure(error: unknown): Failure {
  const failure = (lines: readonly string[], exitCode: ExitCode, showUsage: boolean): Failure => ({
    message: lines.join("\n"),
    lines,
    exitCode,
    showUsage,
  });
  if (error instanceof UsageError) return failure([error.message], ExitCode.Error, true);
  if (error instanceof InvalidCustomCsrArgsError) {
    const problems = error.problems.map((p) => `${FLAG_NAMES[p.field] ?? p.field}: ${p.reason}`);
    const lines = problems.length === 1 ? [`invalid ${problems[0]}`] : ["invalid arguments:", ...asList(problems)];
    if (error.problems.some((p) => p.field === "credentials")) lines.push(CLI_CREDENTIALS_HINT);
    return failure(
      lines,
      ExitCode.Error,
      error.problems.every((p) => COMMAND_LINE_FIELDS.has(p.field)),
    );
  }
  if (error instanceof CsrVerificationError) {
    // Several mismatches are a list the error lays out itself; each quotes API values, so each is its own line.
    const [headline] = error.message.split("\n");
    const lines = error.mismatches.length > 1 ? [headline, ...asList(error.mismatches)] : [error.message];
    return failure(lines, ExitCode.CheckFailed, false);
  }
  if (error instanceof MultiLineError) return failure(error.lines, ExitCode.Error, false);
  if (error instanceof Error) return failure([error.message], ExitCode.Error, false);
  return failure([String(error)], ExitCode.Error, false);
}

/** Error fields `--json` never prints: the stack is internal, and a cause is another error with its own stack. */
const HIDDEN_FIELDS = new Set(["stack", "cause"]);

function asList(items: readonly string[]): string[] {
  return items.map((item) => `  - ${item}`);
}

/**
 * The `--json` form of a failure, `{ "error": { "name", "message", ... } }`: the error's own data fields (`status`,
 * `errors`, `problems`, `customCsrId`, ...) besides its name and message; never its stack or cause.
 */
export function failureJson(error: unknown, failure: Failure): { error: Record<string, unknown> } {
  if (!(error instanceof Error)) return { error: { name: "Error", message: failure.message } };
  const fields = Object.entries(error).filter(([key, value]) => !HIDDEN_FIELDS.has(key) && typeof value !== "function");
  return { error: { name: error.name, message: failure.message, ...Object.fromEntries(fields) } };
}

/** Names of environment variables holding a credential: ours, Pulumi's, and any backend's (`AWS_SECRET_ACCESS_KEY`). */
const CREDENTIAL_NAME = /(^|_)(TOKEN|SECRET|PASSWORD|PASSPHRASE|KEY|CREDENTIALS?)$/i;
/** Credentials whose names do not say so: the email of a Global API Key identifies the account it unlocks. */
const CREDENTIAL_VARS = new Set(["CLOUDFLARE_EMAIL"]);
/** A word as prose spells it: lower-case letters, perhaps capitalised. Random credentials practically never are. */
const PLAIN_WORD = /^\p{Lu}?\p{Ll}+$/u;
/** Shorter values are not redacted: replacing a short word everywhere would reveal it rather than hide it. */
export const MIN_REDACTED_LENGTH = 8;

/**
 * Replaces every credential the environment holds with `[redacted]`, through the library's redactor (as written,
 * in any letter case, URL-encoded) and also as JSON writes it inside a string.
 * A credential is the value of `CLOUDFLARE_EMAIL` or of any variable named like `*_TOKEN`, `*_KEY`, `*_SECRET`,
 * `*_PASSWORD`, `*_PASSPHRASE`, `*_CREDENTIALS`. Only values of at least {@link MIN_REDACTED_LENGTH} characters that
 * are not a plain word ({@link PLAIN_WORD}) are replaced: a short value or a word (a passphrase `pulumi` or
 * `Passphrase`) cannot be told from ordinary text, and rewriting that text would point at the value, not hide it.
 */
export function redactSecrets(text: string, env: NodeJS.ProcessEnv): string {
  return redactorFor(secretsIn(env)).text(text);
}

/** The environment's credentials, each as written and as JSON escapes it inside a string. */
function secretsIn(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name]) => CREDENTIAL_VARS.has(name) || CREDENTIAL_NAME.test(name))
    .map(([, value]) => value?.trim() ?? "")
    .filter((value) => value.length >= MIN_REDACTED_LENGTH && !PLAIN_WORD.test(value))
    .flatMap((value) => [value, JSON.stringify(value).slice(1, -1)]);
}
