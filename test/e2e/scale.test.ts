import { startEmulator, type CloudflareEmulator } from "../../src/emulator";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { CustomCsr } from "../../sdk";
import { MARKER_TOKEN } from "../support/emulator";
import { createSandbox, inlineStack, type Sandbox } from "../support/pulumi";

jest.setTimeout(600_000);

const COUNT = 50;
let emulator: CloudflareEmulator;
let csrs: ApiCustomCsr[];
let sandbox: Sandbox;

beforeAll(async () => {
  emulator = await startEmulator({ tokens: [MARKER_TOKEN], keyPoolSize: 4 });
  csrs = await emulator.seedMany(
    { accountId: emulator.accountId },
    Array.from({ length: COUNT }, (_, i) => ({
      common_name: `host${i}.acme.dev`,
      sans: [`host${i}.acme.dev`],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Scale",
      key_type: i % 2 === 0 ? ("rsa2048" as const) : ("p256v1" as const),
    })),
  );
  sandbox = createSandbox({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: emulator.baseUrl });
});
afterAll(async () => {
  sandbox.dispose();
  await emulator.stop();
});

it(`a stack with ${COUNT} CustomCsr resources comes up with every PEM`, async () => {
  const stack = await inlineStack(sandbox, async () => ({
    pems: csrs.map((csr, i) => new CustomCsr(`csr-${i}`, { customCsrId: csr.id, accountId: emulator.accountId }).pem),
  }));
  emulator.clearRequests();
  const started = Date.now();
  const up = await stack.up();
  const seconds = (Date.now() - started) / 1000;
  const requests = emulator.requests.length;
  console.log(`${COUNT} CustomCsr resources: pulumi up took ${seconds.toFixed(1)} s and sent ${requests} API requests`);
  expect(up.summary.resourceChanges).toEqual({ create: COUNT + 1 });
  expect(up.outputs.pems.value).toEqual(csrs.map((csr) => csr.csr));
  expect(emulator.requests.every((r) => r.method === "GET" && r.status === 200)).toBe(true);
  // One GET, then the account's list pages answer the rest (see src/lookup/batcher.ts).
  expect(requests).toBeLessThanOrEqual(1 + Math.ceil(COUNT / 50));

  // Every resource's state is small: a one-line provider and a digest, never copies of the fields (issue 10).
  interface StateResource {
    type: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  }
  const resources = ((await stack.exportStack()).deployment.resources as StateResource[]).filter(
    (r) => r.type === "pulumi-nodejs:cloudflare:CustomCsr",
  );
  expect(resources).toHaveLength(COUNT);
  for (const resource of resources) {
    expect(resource.inputs.observed).toMatch(/^[0-9a-f]{64}\.[0-9a-f-]+$/);
    expect(resource.outputs.observed).toBe(resource.inputs.observed);
    expect(String(resource.inputs.__provider).trim().split("\n")).toHaveLength(1);
    const bytes = Buffer.byteLength(JSON.stringify(resource));
    if (resource.outputs.keyType === "rsa2048") expect(bytes).toBeLessThanOrEqual(3.5 * 1024);
  }
  await stack.destroy();
});
