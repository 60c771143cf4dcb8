import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const PACKAGE_NAME = "pulumi-cloudflare-custom-csr";
let cached: string | undefined;

/**
 * This package's version, read from its `package.json` (found by walking up from this file, which works
 * both from the TypeScript sources and from the compiled `dist/` tree).
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = __dirname;
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === "string") return (cached = manifest.version);
    } catch {
      // no package.json at this level; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = "0.0.0");
    dir = parent;
  }
}

/** The `User-Agent` sent with every request: package, version and Node version. */
export function userAgent(): string {
  return `${PACKAGE_NAME}/${packageVersion()} node/${process.version}`;
}
