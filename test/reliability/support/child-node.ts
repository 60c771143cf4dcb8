import { execFile } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../support/pulumi";

/** What a child node process printed and how it ended. */
export interface ChildOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Absolute path of a built module (`npm run build` first), for `require` inside a child script. */
export function built(relative: string): string {
  return path.join(REPO_ROOT, "dist", relative);
}

/**
 * The start of a child script that looks CSRs up the way `getCustomCsr` does, without loading `@pulumi/pulumi`:
 * it defines `session` (a `LookupSession` without caching) and `config` (resolved from `options` alone).
 */
export function lookupSessionPreamble(options: Record<string, unknown>): string {
  return `
    const { LookupSession } = require(${JSON.stringify(built("src/lookup/session"))});
    const { resolveClientConfig } = require(${JSON.stringify(built("src/lookup/connection-settings"))});
    const session = new LookupSession({ resultTtlMs: 0 });
    const config = resolveClientConfig(${JSON.stringify(options)}, () => undefined, {});`;
}

/**
 * Runs `script` in a fresh node process with `nodeArgs` (e.g. a heap cap, `--expose-gc`), so a scenario can watch
 * what would kill or bloat the test process itself: the child's death is an ordinary failed assertion here. A child
 * still running after `killAfterMs` is killed (its outcome then has a `signal`), so a hang cannot outlive the test.
 */
export function runChildNode(script: string, nodeArgs: readonly string[], killAfterMs: number): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, "-e", script],
      { env: { PATH: process.env.PATH }, maxBuffer: 16 * 1024 * 1024, timeout: killAfterMs },
      (error, stdout, stderr) => {
        const failed = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
        resolve({ code: failed === null ? 0 : (failed.code ?? null), signal: failed?.signal ?? null, stdout, stderr });
      },
    );
  });
}
