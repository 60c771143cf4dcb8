import { spawn, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import type { CliIo } from "../../src/cli/terminal";
import { REPO_ROOT } from "../support/pulumi";

/** The built command, as `npm install` links it to `custom-csr`. */
export const CLI = path.join(REPO_ROOT, "dist", "src", "cli", "main.js");

/** What a finished run printed, and how it ended. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The test process's environment without anything that would change the command's behaviour. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("CLOUDFLARE_") && !["NO_COLOR", "FORCE_COLOR"].includes(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts the built command; the caller reads or signals the child. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd = REPO_ROOT): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the built command to completion. */
export function runCustomCsr(args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliResult> {
  return finished(spawnCli(args, env, cwd));
}

/** Runs a shell pipeline (`bash -o pipefail -c`), e.g. the command piped into openssl. */
export function runPipeline(script: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return finished(
    spawn("bash", ["-o", "pipefail", "-c", script], { env, cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] }),
  );
}

/**
 * Runs the built command under a pseudo-terminal (`script`), so that it sees a TTY on stdout and stderr as in
 * an interactive shell. Both streams arrive merged in `stdout`.
 */
export function runInTerminal(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(" ");
  return finished(
    spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
      env,
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

/** Collects a child's output until it exits. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Resolves with the child's stdout once `pattern` appears in it. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} in the output within ${timeoutMs} ms: ${text}`)),
      timeoutMs,
    );
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

function shellQuote(word: string): string {
  return /^[\w./:=@-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** A {@link CliIo} for `run()` in-process: what was written, and a Ctrl-C to send. */
export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  readonly interrupt: () => void;
}

/** Captures stdout and stderr (terminals or not, as `isTTY` says) of a command run in-process with `env`. */
export function captureIo(env: NodeJS.ProcessEnv, isTTY = false): CapturedIo {
  let out = "";
  let err = "";
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<NodeJS.Signals>((resolve) => (interrupt = () => resolve("SIGINT")));
  return {
    stdout: { isTTY, write: (text) => ((out += text), true) },
    stderr: { isTTY, write: (text) => ((err += text), true) },
    env,
    cwd: os.tmpdir(),
    untilInterrupted: () => interrupted,
    out: () => out,
    err: () => err,
    interrupt: () => interrupt(),
  };
}

/** Resolves once `condition()` holds, polling every 20 ms; rejects after `timeoutMs` (a guard, not a measurement). */
export async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
