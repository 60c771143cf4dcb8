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
  // provider.ts is left uninstrumented on purpose: Pulumi serializes its functions (and the closure that
  // captures them) into state, and coverage counters inside them would be serialized too, bloating
  // __provider and testing different code than ships. Its methods run inside the provider process, where
  // the e2e suite exercises them.
  collectCoverageFrom: ["src/**/*.ts", "sdk/**/*.ts", "!src/provider/provider.ts"],
  coverageThreshold: { global: { lines: 90 } },
  testTimeout: 30000,
};
