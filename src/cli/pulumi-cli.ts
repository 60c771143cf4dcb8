import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import * as path from "node:path";

/**
 * The oldest Pulumi CLI `drift` accepts: the package's `@pulumi/pulumi` peer range starts here, and the provider's
 * drift design relies on how engines since 3.120 diff refreshed resources (see `src/provider/runtime.ts`).
 */
export const MIN_PULUMI_VERSION = "3.139.0";

/** A Pulumi CLI that `drift` can drive. */
export interface PulumiCli {
  /** Absolute path of the `pulumi` binary. */
  readonly path: string;
  /** Its version, e.g. `3.248.0`. */
  readonly version: string;
  /** Where it was found: on `PATH`, or in this package's own `.tools/bin` (a checkout where `npm run setup:pulumi` ran). */
  readonly source: "PATH" | "package";
}

/** Where to look; every field has a default, replaceable in tests. */
export interface LocateOptions {
  /** The `PATH` to search; default `process.env.PATH`. */
  readonly pathEnv?: string;
  /** The package's root directory, whose `.tools/bin` is the fallback; default: this package's. */
  readonly packageRoot?: string;
  /** Prints `pulumi version` of a binary, or rejects when it does not run. */
  readonly versionOf?: (binary: string) => Promise<string>;
}

/**
 * Finds the Pulumi CLI: `pulumi` on `PATH` when it is at least {@link MIN_PULUMI_VERSION}, else the one that
 * `npm run setup:pulumi` built into this package's `.tools/bin` (present when running from a checkout).
 * Throws an `Error` saying what was found and how to get a usable CLI.
 */
export async function locatePulumiCli(options: LocateOptions = {}): Promise<PulumiCli> {
  const versionOf = options.versionOf ?? runVersion;
  const rejected: string[] = [];
  const candidates: { path: string | undefined; source: PulumiCli["source"]; where: string }[] = [
    { path: findOnPath("pulumi", options.pathEnv ?? process.env.PATH ?? ""), source: "PATH", where: "on PATH" },
    {
      path: executable(path.join(options.packageRoot ?? defaultPackageRoot(), ".tools", "bin", "pulumi")),
      source: "package",
      where: "in this package's .tools/bin",
    },
  ];
  for (const candidate of candidates) {
    if (candidate.path === undefined) continue;
    let version: string;
    try {
      version = parseVersion(await versionOf(candidate.path));
    } catch (error) {
      rejected.push(`${candidate.path} does not run (${(error as Error).message.split("\n")[0]})`);
      continue;
    }
    if (compareVersions(version, MIN_PULUMI_VERSION) >= 0) return { path: candidate.path, version, source: candidate.source };
    rejected.push(`${candidate.path} is version ${version}, older than ${MIN_PULUMI_VERSION}`);
  }
  const found = rejected.length === 0 ? "no `pulumi` on PATH" : rejected.join("; ");
  throw new Error(
    `no usable Pulumi CLI: ${found}. Install Pulumi ${MIN_PULUMI_VERSION} or later (https://www.pulumi.com/docs/install/) and put it on PATH.`,
  );
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

/**
 * This package's root, the default of {@link LocateOptions.packageRoot}: resolved through its own name, which works
 * from the sources, `dist/` and `node_modules`.
 */
export function defaultPackageRoot(): string {
  return path.dirname(require.resolve("pulumi-cloudflare-custom-csr/package.json"));
}

function runVersion(binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, ["version"], { timeout: 30_000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } }, (error, stdout) =>
      error === null ? resolve(stdout) : reject(error),
    );
  });
}
