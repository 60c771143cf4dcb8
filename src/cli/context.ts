import { CommanderError, type Command } from "commander";
import { ExitCode } from "./exit-codes";
import { describeFailure, redactSecrets } from "./failure";
import { styleFor, type CliIo } from "./terminal";

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
 * exit code 2 followed by the usage line, and keeps commander from calling `process.exit`.
 */
export function configureCommand(command: Command, io: CliIo): Command {
  const style = styleFor(io.stderr, io.env);
  return command
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${style.red(text.trimEnd())}\n${usageLine(command)}\n`),
    })
    .exitOverride()
    .showSuggestionAfterError();
}

/**
 * Wraps a command's handler: records the exit code it returns, and reports a failure on stderr as
 * `error: <message>` (secrets redacted) with the exit code {@link describeFailure} picks; usage errors also
 * print the usage line.
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
      const message = `error: ${redactSecrets(failure.message, context.io.env)}`;
      if (failure.showUsage) command.error(message, { exitCode: ExitCode.Error, code: "custom-csr.usage" });
      context.io.stderr.write(`${styleFor(context.io.stderr, context.io.env).red(message)}\n`);
      context.setExitCode(failure.exitCode);
    }
  };
}
