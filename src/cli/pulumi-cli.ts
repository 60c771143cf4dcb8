import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import * as path from "node:path";

/**
 * The oldest Pulumi CLI `drift` accepts: the package's `@pulumi/pulumi` peer range starts here, and the provider's
 * drift design relies on how engines since 3.120 diff refreshed resources (see `src/provider/runtime.ts`).
 */
export const MIN_PULUMI_VERSION = "3.139.0";

/** The environment variable that names the Pulumi CLI for `drift`, like its `--pulumi <path>` option. */
export const PULUMI_ENV_VAR = "CUSTOM_CSR_PULUMI";

/** A Pulumi CLI that `drift` can drive. */
export interface PulumiCli {
  /** Absolute path of the `pulumi` binary. */
  readonly path: string;
  /** Its version, e.g. `3.248.0`. */
  readonly version: string;
  /** Where it came from: named by `--pulumi` or {@link PULUMI_ENV_VAR} (`"given"`), or found on `PATH`. */
  readonly source: "given" | "PATH";
}

/** Where to look; every field has a default, replaceable in tests. */
export interface LocateOptions {
  /** The `PATH` to search; default `process.env.PATH`. */
  readonly pathEnv?: string;
  /**
   * The binary the user named, and how (`"--pulumi"` or {@link PULUMI_ENV_VAR}, for the message when it does not
   * work); when given, `PATH` is not searched. A relative path is taken from `cwd`.
   */
  readonly given?: { readonly path: string; readonly by: string };
  /** The directory a relative `given.path` is relative to; default `process.cwd()`. */
  readonly cwd?: string;
  /** Prints `pulumi version` of a binary, or rejects when it does not run. */
  readonly versionOf?: (binary: string) => Promise<string>;
}

/**
 * Finds the Pulumi CLI: the one the user named (`--pulumi <path>` or {@link PULUMI_ENV_VAR}), else `pulumi` on
 * `PATH`; either must be at least {@link MIN_PULUMI_VERSION}. A named binary that does not work is an error, not a
 * reason to fall back to `PATH`: the user asked for that one. Throws an `Error` saying what was found and how to get
 * a usable CLI.
 */
export async function locatePulumiCli(options: LocateOptions = {}): Promise<PulumiCli> {
  const { given } = options;
  if (given !== undefined) {
    const binary = path.resolve(options.cwd ?? process.cwd(), given.path);
    // The Automation API runs `<root>/bin/pulumi` and puts that directory first on PATH for the plugins bundled
    // with the CLI, so a binary outside a `bin` directory of an installation cannot be driven.
    if (path.basename(binary) !== "pulumi" || path.basename(path.dirname(binary)) !== "bin") {
      throw new Error(
        `${given.by} ${binary}: expected the bin/pulumi of a Pulumi installation, such as ~/.pulumi/bin/pulumi.`,
      );
    }
    if (executable(binary) === undefined) throw new Error(`${given.by} ${binary}: no executable file there.`);
    const checked = await check(binary, options.versionOf ?? runVersion);
    if (typeof checked === "string") throw new Error(`${given.by} ${checked}. ${INSTALL_HINT}`);
    return { ...checked, source: "given" };
  }
  const onPath = findOnPath("pulumi", options.pathEnv ?? process.env.PATH ?? "");
  if (onPath === undefined) throw new Error(`no usable Pulumi CLI: no \`pulumi\` on PATH. ${INSTALL_HINT}`);
  const checked = await check(onPath, options.versionOf ?? runVersion);
  if (typeof checked === "string") throw new Error(`no usable Pulumi CLI: ${checked}. ${INSTALL_HINT}`);
  return { ...checked, source: "PATH" };
}

const INSTALL_HINT =
  `Install Pulumi ${MIN_PULUMI_VERSION} or later (https://www.pulumi.com/docs/install/) and put it on PATH, ` +
  `or name its binary with --pulumi <path> or ${PULUMI_ENV_VAR}.`;

/** The binary's version when it runs and is new enough, else what is wrong with it. */
async function check(
  binary: string,
  versionOf: (binary: string) => Promise<string>,
): Promise<Omit<PulumiCli, "source"> | string> {
  let version: string;
  try {
    version = parseVersion(await versionOf(binary));
  } catch (error) {
    return `${binary} does not run (${(error as Error).message.split("\n")[0]})`;
  }
  if (compareVersions(version, MIN_PULUMI_VERSION) < 0) {
    return `${binary} is version ${version}, older than ${MIN_PULUMI_VERSION}`;
  }
  return { path: binary, version };
}

/** `v3.248.0` or `3.248.0-alpha.1+dirty` -> `3.248.0...`; throws when the text holds no version. */
export function parseVersion(text: string): string {
  const match = /v?(\d+\.\d+\.\d+\S*)/.exec(text.trim());
  if (match === null) throw new Error(`\`pulumi version\` printed ${JSON.stringify(text.trim().slice(0, 80))}`);
  return match[1];
}

/** Compares the numeric `major.minor.patch` of two versions (a pre-release counts as its release). */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

function findOnPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (dir === "") continue;
    const found = executable(path.join(path.resolve(dir), name));
    if (found !== undefined) return found;
  }
  return undefined;
}

function executable(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK);
    return file;
  } catch {
    return undefined;
  }
}

function runVersion(binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ["version"],
      { timeout: 30_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } },
      (error, stdout) => (error === null ? resolve(stdout) : reject(error)),
    );
  });
}
