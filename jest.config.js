/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Builds dist/ when stale and packs the package once per run: programs outside the repository (e2e stacks,
  // the serialized provider's fresh process, the packaged-use project) resolve it as an installed copy.
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  // In-process imports of the package's public names (e.g. the serialized provider's require, run by tests
  // inside jest) go to the TypeScript source, so tests exercise (and measure) the same code.
  moduleNameMapper: {
    "^pulumi-cloudflare-custom-csr/provider-runtime$": "<rootDir>/src/provider/runtime.ts",
    "^pulumi-cloudflare-custom-csr/lookup$": "<rootDir>/sdk/lookup.ts",
    "^pulumi-cloudflare-custom-csr/emulator$": "<rootDir>/src/emulator/index.ts",
    "^pulumi-cloudflare-custom-csr$": "<rootDir>/sdk/index.ts",
  },
  collectCoverageFrom: ["src/**/*.ts", "sdk/**/*.ts"],
  coverageThreshold: { global: { lines: 90 } },
  testTimeout: 30000,
};
