/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // The serialized provider requires its runtime through the package's public subpath; inside the
  // repo, point that at the TypeScript source so tests exercise (and measure) the same code.
  moduleNameMapper: {
    "^pulumi-cloudflare-custom-csr/provider-runtime$": "<rootDir>/src/provider/runtime.ts",
    "^pulumi-cloudflare-custom-csr/emulator$": "<rootDir>/src/emulator/index.ts",
    "^pulumi-cloudflare-custom-csr$": "<rootDir>/sdk/index.ts",
  },
  collectCoverageFrom: ["src/**/*.ts", "sdk/**/*.ts"],
  coverageThreshold: { global: { lines: 90 } },
  testTimeout: 30000,
};
