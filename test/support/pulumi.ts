import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SemVer } from "semver";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { PULUMI_ENV_VAR } from "../../src/cli/pulumi-cli";
import { packedBuild } from "./packed-build";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = require("../../scripts/pulumi-cli.js") as {
  toolsRoot(): string;
  pinnedPulumiVersion(): string;
  setupHint(): string;
};

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "../..");

let command: Promise<PulumiCommand> | undefined;

/**
 * The Pulumi CLI the end-to-end tests drive: `.tools/bin/pulumi` when `npm run setup:pulumi` built it, else
 * `pulumi` on PATH. There is no silent skip: without a CLI the tests fail with the setup instructions.
 */
export function pulumiCommand(): Promise<PulumiCommand> {
  command ??= (async () => {
    const version = new SemVer(cli.pinnedPulumiVersion());
    if (fs.existsSync(path.join(cli.toolsRoot(), "bin", "pulumi")))
      return PulumiCommand.get({ root: cli.toolsRoot(), version });
    try {
      return await PulumiCommand.get({ version });
    } catch (error) {
      throw new Error(
        `No usable Pulumi CLI for the end-to-end tests (${(error as Error).message}); ${cli.setupHint()}.`,
        { cause: error },
      );
    }
  })();
  return command;
}

/**
 * The environment that points `custom-csr drift` at the CLI these tests drive: the repository's
 * `.tools/bin/pulumi` when `npm run setup:pulumi` built it, else nothing (then `pulumi` on PATH runs). The shipped
 * command never looks in `.tools/bin` itself: a checkout's dev tools are the harness's business.
 */
export function driftPulumiEnv(): Record<string, string> {
  const binary = path.join(cli.toolsRoot(), "bin", "pulumi");
  return fs.existsSync(binary) ? { [PULUMI_ENV_VAR]: binary } : {};
}

/** A throwaway file backend and Pulumi home, removed by `dispose`. */
export interface Sandbox {
  readonly dir: string;
  /** The program directory: its `node_modules` is the run's packed build (the package and its dependencies). */
  readonly workDir: string;
  readonly envVars: Record<string, string>;
  dispose(): void;
}

/** Creates an isolated backend: `file://` state, passphrase secrets, no update checks, no plugin downloads. */
export function createSandbox(extraEnv: Record<string, string> = {}): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-e2e-"));
  fs.mkdirSync(path.join(dir, "state"));
  fs.mkdirSync(path.join(dir, "home"));
  // The provider plugin runs in the program's directory and resolves @pulumi/pulumi and this package from it,
  // as from a project that installed the package.
  fs.mkdirSync(path.join(dir, "work"));
  fs.symlinkSync(packedBuild().modules, path.join(dir, "work", "node_modules"), "dir");
  const envVars = {
    PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
    PULUMI_HOME: path.join(dir, "home"),
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...extraEnv,
  };
  return {
    dir,
    workDir: path.join(dir, "work"),
    envVars,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

let counter = 0;

/** A new stack (unique name) for an inline program, in the sandbox's backend. */
export async function inlineStack(sandbox: Sandbox, program: PulumiFn, projectName = "custom-csr-e2e"): Promise<Stack> {
  const stackName = `s${process.pid}-${Date.now().toString(36)}-${counter++}`;
  return LocalWorkspace.createStack(
    { stackName, projectName, program },
    {
      pulumiCommand: await pulumiCommand(),
      workDir: sandbox.workDir,
      envVars: sandbox.envVars,
      secretsProvider: "passphrase",
      projectSettings: { name: projectName, runtime: "nodejs", backend: { url: sandbox.envVars.PULUMI_BACKEND_URL } },
    },
  );
}

/** The text of a failed Automation API command, for assertions on what a person would read. */
export function commandText(error: unknown): string {
  if (error instanceof Error) {
    const { stdout, stderr } = error as Error & { stdout?: string; stderr?: string };
    return [error.message, stdout, stderr].filter(Boolean).join("\n");
  }
  return String(error);
}

/** Awaits a promise that must reject, and returns the rejection. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the command to fail, but it succeeded");
}

/**
 * Runs the CLI directly on a stack's workspace, as a CI job would, e.g.
 * `pulumi refresh --preview-only --expect-no-changes --diff` (the Automation API has no `--diff` for refresh).
 * Rejects with an error carrying `stdout` and `stderr` when the command exits non-zero.
 */
export async function runCli(
  sandbox: Sandbox,
  stack: Stack,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const command = await pulumiCommand();
  const env = {
    ...process.env,
    ...sandbox.envVars,
    PATH: `${path.dirname(command.command)}${path.delimiter}${process.env.PATH ?? ""}`,
  };
  return new Promise((resolve, reject) => {
    execFile(
      command.command,
      [...args, "--stack", stack.name, "--non-interactive"],
      { cwd: sandbox.workDir, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(Object.assign(new Error(`pulumi ${args.join(" ")} failed: ${error.message}`), { stdout, stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });
}
