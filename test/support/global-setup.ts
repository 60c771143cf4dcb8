import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PACKED_BUILD_ENV } from "./packed-build";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { extractPackedBuild } = require("../../scripts/program-modules.js") as {
  extractPackedBuild(dir: string): unknown;
};

const REPO_ROOT = path.resolve(__dirname, "../..");
const BUILT = path.join(REPO_ROOT, "dist", "sdk", "index.js");

/**
 * Runs once before any test file: compiles `dist/` if a source is newer (here, in one process, so no test
 * builds and no lock is needed), then packs the package and extracts it for the tests that need it installed
 * (the provider plugin of the e2e stacks, the serialized provider's fresh process, the packaged-use project).
 */
export default function globalSetup(): void {
  if (isStale()) {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: REPO_ROOT,
      stdio: "inherit",
    });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-packed-"));
  extractPackedBuild(dir);
  process.env[PACKED_BUILD_ENV] = dir;
}

function isStale(): boolean {
  if (!fs.existsSync(BUILT)) return true;
  const builtAt = fs.statSync(BUILT).mtimeMs;
  const inputs = ["src", "sdk"].flatMap((dir) =>
    fs.readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: "utf8" }).map((f) => path.join(dir, f)),
  );
  return [...inputs, "package.json", "tsconfig.json", "tsconfig.build.json"].some(
    (file) => fs.statSync(path.join(REPO_ROOT, file)).mtimeMs > builtAt,
  );
}
