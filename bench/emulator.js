"use strict";
// The package's own Cloudflare emulator, seeded for a benchmark. It runs in the bench's parent process; the
// clients under test run elsewhere (a child process, or the Pulumi provider process).

const { startEmulator } = require("../dist/src/emulator");

/** A rate limit no benchmark reaches, for the rows that measure something else. */
const UNLIMITED = { limit: 1_000_000, windowSeconds: 300 };

/**
 * Starts an emulator holding `count` CSRs of its default account, alternating RSA-2048 and P-256 (both key types
 * are verified the way users' CSRs are). A small key pool (`keyPoolSize`, default 4) keeps seeding hundreds of
 * CSRs to seconds; each CSR is still signed over its own subject and SANs. `keyPoolSize: count` gives every CSR a
 * key of its own, as real CSRs have.
 */
async function startSeededEmulator({ count, latencyMs = 0, rateLimit = UNLIMITED, keyPoolSize = 4 }) {
  const emulator = await startEmulator({ keyPoolSize, latencyMs: 0, rateLimit: UNLIMITED });
  const scope = { accountId: emulator.accountId };
  const csrs = await emulator.seedMany(
    scope,
    Array.from({ length: count }, (_, i) => ({
      common_name: `host${i}.bench.acme.dev`,
      sans: [`host${i}.bench.acme.dev`, `www.host${i}.bench.acme.dev`],
      country: "US",
      state: "California",
      locality: "San Francisco",
      organization: "Bench",
      key_type: i % 2 === 0 ? "rsa2048" : "p256v1",
    })),
  );
  emulator.setLatency(latencyMs);
  emulator.setRateLimit(rateLimit);
  emulator.clearRequests();
  const target = { baseUrl: emulator.baseUrl, token: emulator.token, accountId: emulator.accountId };
  return { emulator, target, csrs };
}

module.exports = { startSeededEmulator };
