import { existsSync } from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { Command } from "commander";
import { configureCommand, guarded, type CommandContext } from "../context";
import { driftCiReport, DriftCollector, formatDriftReport } from "../drift-report";
import { ExitCode } from "../exit-codes";
import { MultiLineError } from "../failure";
import { formatJson } from "../format";
import { renderCiReport } from "../ci-formats";
import { addFormatOption, formatOf, type FormatOption } from "../options";
import { startProgress } from "../progress";
import { locatePulumiCli, PULUMI_ENV_VAR, type LocateOptions } from "../pulumi-cli";
import { styleFor } from "../terminal";

interface DriftOptions extends FormatOption {
  cwd?: string;
  stack: string;
  pulumi?: string;
}

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"];

/**
 * `custom-csr drift --stack <name>`: runs a refresh preview of an existing stack through the Automation API (no
 * state is written) and reports every `CustomCsr` that was deleted or changed in Cloudflare, field by field.
 * Exits 1 on drift. The stack's backend, secrets passphrase and credentials come from the environment and the
 * stack config, exactly as for `pulumi refresh`.
 */
export function driftCommand(context: CommandContext): Command {
  const command = new Command("drift")
    .description(
      "Check an existing stack for CustomCsr drift: a refresh preview (no state change); exit 1 when a CSR changed or was deleted.",
    )
    .option("--cwd <dir>", "the Pulumi project directory (default: the current directory)")
    .requiredOption("--stack <name>", "the existing stack to check")
    .option("--pulumi <path>", `the Pulumi CLI to run, a bin/pulumi (default: $${PULUMI_ENV_VAR}, else on PATH)`);
  addFormatOption(command, "the report");
  configureCommand(command, context.io);
  return command.action(
    guarded(command, context, async (options: DriftOptions) => {
      const format = formatOf(options);
      const workDir = path.resolve(context.io.cwd, options.cwd ?? ".");
      if (!PROJECT_FILES.some((file) => existsSync(path.join(workDir, file)))) {
        throw new Error(
          `no Pulumi project in ${workDir} (no Pulumi.yaml); pass the project directory with --cwd <dir>`,
        );
      }
      const collector = new DriftCollector();
      const stopProgress = startProgress(context.io.stderr, `Refreshing stack ${options.stack} (preview only)...`);
      try {
        const { env, cwd } = context.io;
        const locate: LocateOptions = { pathEnv: env.PATH, given: givenPulumi(options, env), cwd };
        await previewRefresh(workDir, options.stack, locate, collector.onEvent);
      } finally {
        stopProgress();
      }
      const report = collector.report(options.stack);
      const { stdout } = context.io;
      if (format === "json") stdout.write(formatJson(report));
      else if (format === "text") stdout.write(formatDriftReport(report, styleFor(stdout, context.io.env)));
      else stdout.write(renderCiReport(driftCiReport(report, collector.checkedNames()), format));
      return report.drifted ? ExitCode.CheckFailed : ExitCode.Ok;
    }),
  );
}

/** The refresh preview failed; `lines` are Pulumi's own words (`--json` prints them as `error.lines`). */
class PulumiRefreshError extends MultiLineError {
  constructor(lines: readonly string[], options?: ErrorOptions) {
    super(lines, options);
    this.name = "PulumiRefreshError";
  }
}

/** The Pulumi binary the user named: `--pulumi` wins over the environment variable. */
function givenPulumi(options: DriftOptions, env: NodeJS.ProcessEnv): LocateOptions["given"] {
  if (options.pulumi !== undefined) return { path: options.pulumi, by: "--pulumi" };
  const fromEnv = env[PULUMI_ENV_VAR]?.trim();
  return fromEnv === undefined || fromEnv === "" ? undefined : { path: fromEnv, by: PULUMI_ENV_VAR };
}

/** Selects the stack and runs `pulumi refresh --preview-only`; a failure becomes an `Error` with Pulumi's own words. */
async function previewRefresh(
  workDir: string,
  stackName: string,
  locate: LocateOptions,
  onEvent: (event: EngineEvent) => void,
): Promise<void> {
  const cli = await locatePulumiCli(locate);
  // Loaded only here: the other commands must work without @pulumi/pulumi (a peer dependency) installed.
  const { LocalWorkspace, PulumiCommand } = await import("@pulumi/pulumi/automation");
  // A named binary is `<root>/bin/pulumi` (checked by locatePulumiCli); without a root the CLI on PATH runs.
  const root = cli.source === "given" ? { root: path.dirname(path.dirname(cli.path)) } : {};
  const pulumiCommand = await PulumiCommand.get({ ...root, skipVersionCheck: true });
  const errors: string[] = [];
  const collect = (event: EngineEvent) => {
    if (event.diagnosticEvent?.severity === "error") errors.push(event.diagnosticEvent.message.trim());
    onEvent(event);
  };
  try {
    const stack = await LocalWorkspace.selectStack(
      { stackName, workDir },
      { pulumiCommand, envVars: { PULUMI_SKIP_UPDATE_CHECK: "true" } },
    );
    await stack.previewRefresh({ onEvent: collect });
  } catch (error) {
    const [first, ...rest] = pulumiFailure(error, errors);
    const headline = `pulumi refresh --preview-only of stack ${stackName} failed: ${first}`;
    throw new PulumiRefreshError([headline, ...rest], { cause: error });
  }
}

/**
 * The useful part of a failed Pulumi command, as lines: the engine's error diagnostics, else the CLI's `error:`
 * lines, else its last lines. Pulumi lays its output out in lines, so they are kept (and each escaped when printed).
 */
function pulumiFailure(error: unknown, diagnostics: readonly string[]): string[] {
  if (diagnostics.length > 0) return [...new Set(diagnostics)].flatMap((diagnostic) => diagnostic.split("\n"));
  const stderr = (error as { commandResult?: { stderr?: string } }).commandResult?.stderr ?? "";
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const errorLines = lines.filter((line) => /^error:/i.test(line)).map((line) => line.replace(/^error:\s*/i, ""));
  if (errorLines.length > 0) return errorLines;
  if (lines.length > 0) return lines.slice(-5);
  return [error instanceof Error ? error.message : String(error)];
}
