import { CommanderError, type Command } from "commander";
import { escapeForTerminal } from "./escape";
import { ExitCode } from "./exit-codes";
import { describeFailure, failureJson, redactSecrets } from "./failure";
import { formatJson } from "./format";
import { styleFor, type CliIo, type OutputStream } from "./terminal";

/** What every subcommand gets from the wiring in `main.ts`. */
export interface CommandContext {
  readonly io: CliIo;
  /** Records the exit code the command's outcome calls for. */
  setExitCode(code: ExitCode): void;
}

/** `Usage: custom-csr get [options] <id>`, followed by where to read more. */
export function usageLine(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent) names.unshift(current.name());
  const path = names.join(" ");
  return `Usage: ${path} ${command.usage()}\nRun \`${path} --help\` for details.`;
}

/**
 * Routes a command's output through `io`, turns commander's own errors (unknown option, missing argument) into
 * exit code 2 followed by the usage line, and keeps commander from calling `process.exit`. Error lines are escaped:
 * they quote what was typed, and this package's messages quote what servers sent.
 */
export function configureCommand(command: Command, io: CliIo): Command {
  const style = styleFor(io.stderr, io.env);
  return command
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${style.red(escapeLines(text.trimEnd()))}\n${usageLine(command)}\n`),
    })
    .exitOverride()
    .showSuggestionAfterError();
}

/**
 * Wraps a command's handler: records the exit code it returns, and reports a failure on stderr with the exit
 * code {@link describeFailure} picks: as `error: <message>` (escaped; usage errors also print the usage line), or
 * with `--json` (or `--format json`) as one JSON object `{ "error": { "name", "message", ... } }`.
 */
export function guarded<A extends unknown[]>(
  command: Command,
  context: CommandContext,
  handler: (...args: A) => Promise<ExitCode>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      context.setExitCode(await handler(...args));
    } catch (error) {
      if (error instanceof CommanderError) throw error;
      const failure = describeFailure(error);
      const { stderr, env } = context.io;
      const opts = command.opts<{ json?: boolean; format?: string }>();
      if (opts.json === true || opts.format === "json") {
        stderr.write(formatJson(failureJson(error, failure)));
      } else {
        const message = `error: ${failure.lines.map(escapeForTerminal).join("\n")}`;
        if (failure.showUsage) command.error(message, { exitCode: ExitCode.Error, code: "custom-csr.usage" });
        stderr.write(`${styleFor(stderr, env).red(message)}\n`);
      }
      context.setExitCode(failure.exitCode);
    }
  };
}

/**
 * The same surroundings, with every credential of the environment redacted from what is written
 * ({@link redactSecrets}); the commands write whole blocks, so a credential is never split across two writes.
 */
export function redactingIo(io: CliIo): CliIo {
  const redacting = (stream: OutputStream): OutputStream => ({
    isTTY: stream.isTTY,
    write: (text) => stream.write(redactSecrets(text, io.env)),
  });
  return { ...io, stdout: redacting(io.stdout), stderr: redacting(io.stderr) };
}

function escapeLines(text: string): string {
  return text.split("\n").map(escapeForTerminal).join("\n");
}
