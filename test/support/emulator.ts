import { startEmulator, type CloudflareEmulator, type EmulatorOptions } from "../../src/emulator";
import type { ApiCustomCsr } from "../../src/cloudflare/types";

/** Credential-looking markers: any test output or state that contains one of these leaked a secret. */
export const MARKER_TOKEN = "marker-token-7f3a9c1e5b2d4f60";
/** A marker Global API key (Cloudflare keys are hex) and its email. */
export const MARKER_API_KEY = "5ec2e7a11c0ffee5ec2e7a11c0ffee0042";
export const MARKER_EMAIL = "marker-email@acme.dev";

/** An emulator with one RSA and one P-256 CSR in its default account and one RSA CSR in its default zone. */
export interface SeededEmulator {
  emulator: CloudflareEmulator;
  rsa: ApiCustomCsr;
  ec: ApiCustomCsr;
  zoneCsr: ApiCustomCsr;
  account: { accountId: string };
  zone: { zoneId: string };
}

/** Starts an emulator that also accepts {@link MARKER_TOKEN}, seeded with three CSRs. */
export async function startSeededEmulator(options: EmulatorOptions = {}): Promise<SeededEmulator> {
  const emulator = await startEmulator({
    tokens: [MARKER_TOKEN],
    apiKeys: [{ email: MARKER_EMAIL, key: MARKER_API_KEY }],
    ...options,
  });
  const account = { accountId: emulator.accountId };
  const zone = { zoneId: emulator.zoneId };
  const rsa = await emulator.createCsr(account, {
    common_name: "www.example.dev",
    sans: ["www.example.dev", "example.dev"],
    country: "US",
    state: "California",
    locality: "San Francisco",
    organization: "Example, Inc.",
    organizational_unit: "Web",
    name: "web",
    description: "front door",
  });
  const ec = await emulator.createCsr(account, {
    common_name: "api.example.dev",
    sans: ["api.example.dev"],
    country: "DE",
    state: "Berlin",
    locality: "Berlin",
    organization: "Example GmbH",
    key_type: "p256v1",
  });
  const zoneCsr = await emulator.createCsr(zone, {
    common_name: "shop.example.dev",
    sans: ["shop.example.dev"],
    country: "US",
    state: "Texas",
    locality: "Austin",
    organization: "Example Shop",
  });
  return { emulator, rsa, ec, zoneCsr, account, zone };
}

/** Removes every CLOUDFLARE_* variable for the duration of a test file, restoring them afterwards. */
export function isolateCloudflareEnv(): void {
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const key of Object.keys(process.env)) {
      if (key.startsWith("CLOUDFLARE_")) {
        saved[key] = process.env[key];
        delete process.env[key];
      }
    }
  });
  afterAll(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith("CLOUDFLARE_")) delete process.env[key];
    Object.assign(process.env, saved);
  });
}
