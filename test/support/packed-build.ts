import * as fs from "node:fs";
import * as path from "node:path";

/** Environment variable through which jest's global setup hands the packed build's directory to test workers. */
export const PACKED_BUILD_ENV = "CUSTOM_CSR_TEST_PACKED_BUILD";

/** This package as `npm pack` ships it, extracted once per jest run by `global-setup.ts`. */
export interface PackedBuild {
  /** The `.tgz` that `npm pack` wrote, for tests that install it as users do. */
  readonly tarball: string;
  /** Paths inside the tarball, e.g. `dist/sdk/index.js`. */
  readonly files: readonly string[];
  /**
   * A `node_modules` holding the extracted package and links to its dependencies: a program directory whose
   * `node_modules` links here resolves `pulumi-cloudflare-custom-csr` (any exported subpath) as an installed copy.
   */
  readonly modules: string;
}

/** The packed build of this run; throws when jest ran without `jest.config.js` (whose global setup makes it). */
export function packedBuild(): PackedBuild {
  const dir = process.env[PACKED_BUILD_ENV];
  if (dir === undefined || !fs.existsSync(path.join(dir, "pack.json"))) {
    throw new Error(
      `no packed build: ${PACKED_BUILD_ENV} is unset; run jest with jest.config.js, whose globalSetup packs the package`,
    );
  }
  return JSON.parse(fs.readFileSync(path.join(dir, "pack.json"), "utf8")) as PackedBuild;
}
