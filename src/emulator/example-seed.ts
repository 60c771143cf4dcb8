import { DEFAULT_ACCOUNT_ID, DEFAULT_ZONE_ID } from "./defaults";
import type { SeedCsr } from "./types";

/**
 * Three CSRs for trying the package without writing a seed file (`custom-csr emulator --seed example`, or
 * `startEmulator({ seed: EXAMPLE_SEED })`): an RSA and a P-256 CSR in the default account, and an RSA CSR with a
 * wildcard SAN in the default zone. Fixed ids, so the README's commands work as printed.
 */
export const EXAMPLE_SEED: readonly SeedCsr[] = Object.freeze([
  {
    scope: { accountId: DEFAULT_ACCOUNT_ID },
    id: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752",
    name: "web",
    description: "front door",
    common_name: "www.acme.dev",
    sans: ["www.acme.dev", "acme.dev"],
    organization: "Acme, Inc.",
    organizational_unit: "Web",
  },
  {
    scope: { accountId: DEFAULT_ACCOUNT_ID },
    id: "0c5e7b2a-9f0d-4d3b-8a61-3f1e2d4c5b6a",
    name: "api",
    common_name: "api.acme.dev",
    sans: ["api.acme.dev"],
    key_type: "p256v1",
    organization: "Acme, Inc.",
  },
  {
    scope: { zoneId: DEFAULT_ZONE_ID },
    id: "e4d1f0a2-3b5c-4e6f-9a8b-7c6d5e4f3a2b",
    name: "shop",
    common_name: "shop.acme.dev",
    sans: ["shop.acme.dev", "*.shop.acme.dev"],
    organization: "Acme Shop",
    country: "DE",
    state: "Berlin",
    locality: "Berlin",
  },
]);
