import { CustomCsr, getCustomCsrOutput, getCustomCsrsOutput } from "../../sdk";
import { startEmulator, type CloudflareEmulator } from "../../src/emulator";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { isolateCloudflareEnv } from "../support/emulator";
import { createSandbox, inlineStack, runCli, type Sandbox } from "../support/pulumi";

jest.setTimeout(300_000);

// Two accounts behind two APIs, each accepting only its own token: a request with the other account's token, or
// sent to the other API, fails with 401 or 403, so every successful lookup proves which namespace it used.
const DEV_TOKEN = "dev-namespace-token-3c9e1f7a5b2d";
const PROD_TOKEN = "prod-namespace-token-8d4a6c2e0f1b";
const DEV_ACCOUNT = "de000000000000000000000000000001";
const PROD_ACCOUNT = "9d000000000000000000000000000002";

let dev: CloudflareEmulator;
let prod: CloudflareEmulator;
let devCsr: ApiCustomCsr;
let prodCsr: ApiCustomCsr;
let sandbox: Sandbox;
isolateCloudflareEnv();

const subject = { country: "US", state: "CA", locality: "SF", organization: "Acme" };

beforeAll(async () => {
  dev = await startEmulator({ tokens: [DEV_TOKEN], accounts: [DEV_ACCOUNT] });
  prod = await startEmulator({ tokens: [PROD_TOKEN], accounts: [PROD_ACCOUNT] });
  devCsr = await dev.createCsr(
    { accountId: DEV_ACCOUNT },
    { ...subject, common_name: "dev.acme.dev", sans: ["dev.acme.dev"] },
  );
  prodCsr = await prod.createCsr(
    { accountId: PROD_ACCOUNT },
    { ...subject, common_name: "www.acme.dev", sans: ["www.acme.dev"] },
  );
  sandbox = createSandbox(); // no CLOUDFLARE_* at all: every credential comes from the stack config
});
afterAll(async () => {
  sandbox.dispose();
  await Promise.all([dev.stop(), prod.stop()]);
});

/** One stack, two accounts: resource `dev` uses `devNamespace`, everything else the `cloudflare-prod` namespace. */
function program(devNamespace: string | undefined) {
  return async () => {
    const devResource = new CustomCsr("dev", {
      customCsrId: devCsr.id,
      accountId: DEV_ACCOUNT,
      configNamespace: devNamespace,
    });
    const prodResource = new CustomCsr("prod", {
      customCsrId: prodCsr.id,
      accountId: PROD_ACCOUNT,
      configNamespace: "cloudflare-prod",
    });
    const devLookup = getCustomCsrOutput({ customCsrId: devCsr.id, accountId: DEV_ACCOUNT });
    const prodLookup = getCustomCsrOutput(
      { customCsrId: prodCsr.id, accountId: PROD_ACCOUNT },
      { configNamespace: "cloudflare-prod" },
    );
    const prodList = getCustomCsrsOutput(
      { accountId: PROD_ACCOUNT, san: "WWW.acme.dev." },
      { configNamespace: "cloudflare-prod" },
    );
    return {
      devResource: devResource.commonName,
      prodResource: prodResource.commonName,
      devLookup: devLookup.commonName,
      prodLookup: prodLookup.commonName,
      prodList: prodList.apply((csrs) => csrs.map((csr) => csr.customCsrId)),
    };
  };
}

/** Every request an emulator saw since the last call succeeded and was for its own account; returns how many. */
function successfulRequests(emulator: CloudflareEmulator, account: string): number {
  const requests = emulator.requests;
  expect(requests.filter((r) => r.status !== 200 || !r.path.includes(`/accounts/${account}/custom_csrs`))).toEqual([]);
  emulator.clearRequests();
  return requests.length;
}

describe("configNamespace under the real engine", () => {
  it("reaches each account with its own namespace's token, keeps tokens out of state, and updates in place on a change", async () => {
    const stack = await inlineStack(sandbox, program(undefined));
    await stack.setAllConfig({
      "cloudflare:apiToken": { value: DEV_TOKEN, secret: true },
      "cloudflare:baseUrl": { value: dev.baseUrl },
      "cloudflare-prod:apiToken": { value: PROD_TOKEN, secret: true },
      "cloudflare-prod:baseUrl": { value: prod.baseUrl },
      // The dev account again, under another name, to move the `dev` resource to.
      "cloudflare-dev:apiToken": { value: DEV_TOKEN, secret: true },
      "cloudflare-dev:baseUrl": { value: dev.baseUrl },
    });
    try {
      const up = await stack.up();
      expect(Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]))).toEqual({
        devResource: "dev.acme.dev",
        prodResource: "www.acme.dev",
        devLookup: "dev.acme.dev",
        prodLookup: "www.acme.dev",
        prodList: [prodCsr.id],
      });
      expect(successfulRequests(dev, DEV_ACCOUNT)).toBeGreaterThan(0);
      expect(successfulRequests(prod, PROD_ACCOUNT)).toBeGreaterThan(0);

      // Refresh runs no program: the provider finds the namespace in the stored outputs.
      const refresh = await stack.refresh();
      expect(refresh.summary.result).toBe("succeeded");
      expect(successfulRequests(prod, PROD_ACCOUNT)).toBeGreaterThan(0);

      const exported = JSON.parse((await runCli(sandbox, stack, ["stack", "export"])).stdout);
      const state = JSON.stringify(exported);
      expect(state).not.toContain(DEV_TOKEN);
      expect(state).not.toContain(PROD_TOKEN);
      const prodState = exported.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::prod"));
      expect(prodState.inputs.configNamespace).toBe("cloudflare-prod");
      expect(prodState.outputs.configNamespace).toBe("cloudflare-prod");

      // Same CSR through another namespace: an update in place, never a replace.
      stack.workspace.program = program("cloudflare-dev");
      const change = await stack.up();
      expect(change.summary.resourceChanges).toEqual({ same: 2, update: 1 });
      expect(successfulRequests(dev, DEV_ACCOUNT)).toBeGreaterThan(0);
    } finally {
      await stack.destroy();
    }
  });
});
