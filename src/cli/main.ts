#!/usr/bin/env node
/**
 * `custom-csr`: look up, verify and drift-check Cloudflare custom CSRs from a shell or a CI job. This module wires
 * the subcommands together; each lives in `commands/`. Exit codes are in `exit-codes.ts`.
 */
import { Command, CommanderError } from "commander";
import { packageVersion } from "../version";
import { driftCommand } from "./commands/drift";
import { emulatorCommand } from "./commands/emulator";
import { expiryCommand } from "./commands/expiry";
import { getCommand } from "./commands/get";
import { listCommand } from "./commands/list";
import { verifyCommand } from "./commands/verify";
import { configureCommand, redactingIo, type CommandContext } from "./context";
import { escapeForTerminal } from "./escape";
import { ExitCode } from "./exit-codes";
import { redactSecrets } from "./failure";
import { processIo, type CliIo } from "./terminal";

const ENVIRONMENT_HELP = `
Credentials come from the environment, never from the command line (shell history would keep them):
  CLOUDFLARE_API_TOKEN                    an API token with "SSL and Certificates Read"
  CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL   or a Global API Key and its account email
  CLOUDFLARE_BASE_URL                     API root (--base-url wins); http:// only on loopback
  NO_COLOR                                no colours (they are only used on a terminal anyway)

Exit codes: 0 ok, 1 a check failed or drift found, 2 usage, API or other error.
`;

/** The `custom-csr` program, writing through `io` and recording its exit code with `setExitCode`. */
export function createProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  // The commands that talk to an API never print a credential; the emulator's token is a public test value.
  const context: CommandContext = { io: redactingIo(io), setExitCode };
  const program = new Command("custom-csr")
    .description("Look up, verify and drift-check Cloudflare custom CSRs.")
    .version(packageVersion(), "-V, --version")
    .addHelpText("after", ENVIRONMENT_HELP)
    .addCommand(getCommand(context))
    .addCommand(listCommand(context))
    .addCommand(verifyCommand(context))
    .addCommand(driftCommand(context))
    .addCommand(expiryCommand(context))
    .addCommand(emulatorCommand({ io, setExitCode }));
  return configureCommand(program, io);
}

/** Runs the command line `argv` (without `node` and the script) and resolves with the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    // Commander has printed its message (and the usage line) already; only help and version exit 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Error;
    throw error;
  }
  return exitCode;
}

if (require.main === module) {
  // `custom-csr list | head`: once the reader is gone there is nothing left to say, and no stack trace to show.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(process.exitCode ?? ExitCode.Ok);
    });
  }
  run(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const message = escapeForTerminal(error instanceof Error ? error.message : String(error));
      process.stderr.write(`error: ${redactSecrets(message, process.env)}\n`);
      process.exitCode = ExitCode.Error;
    },
  );
}
