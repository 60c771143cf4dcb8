/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // The serialized provider requires its runtime through the package's public subpath; inside the
  // repo, point that at the TypeScript source so tests exercise (and measure) the same code.
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
