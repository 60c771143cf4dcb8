import { getCustomCsr } from "../../sdk";
import { CloudflareApiError } from "../../src/errors";
import { TIMEOUT_SETTING } from "../../src/lookup/connection-settings";
import { isolateCloudflareEnv, MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";

isolateCloudflareEnv();

let env: SeededEmulator;
beforeAll(async () => {
  env = await startSeededEmulator();
});
afterAll(() => env.emulator.stop());

it("a hanging request is abandoned after the deadline set in CLOUDFLARE_CUSTOM_CSR_TIMEOUT_MS", async () => {
  process.env[TIMEOUT_SETTING.envVar] = "250";
  env.emulator.injectFault({ kind: "hang" }, { count: 1 });
  const error = await getCustomCsr(
    { customCsrId: env.rsa.id, ...env.account },
    { apiToken: MARKER_TOKEN, baseUrl: env.emulator.baseUrl, maxRetries: 0 },
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CloudflareApiError);
  expect((error as Error).message).toContain("no response within 250 ms");
});
