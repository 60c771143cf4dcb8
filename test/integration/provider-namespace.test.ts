import { provider, UNKNOWN } from "../../src/provider/runtime";

/** The CustomCsr provider as the engine calls it, and the marker of an unknown input. */
const runtime = { ...provider, UNKNOWN };
import { isolateCloudflareEnv, MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";

let env: SeededEmulator;
isolateCloudflareEnv();

/** A stack whose default namespace holds a token the emulator rejects, and `cloudflare-prod` the accepted one. */
async function configureTwoNamespaces(): Promise<void> {
  const values: Record<string, string> = {
    "cloudflare:apiToken": "default-namespace-token-the-emulator-rejects",
    "cloudflare:baseUrl": env.emulator.baseUrl,
    "cloudflare-prod:apiToken": MARKER_TOKEN,
    "cloudflare-prod:baseUrl": env.emulator.baseUrl,
  };
  await runtime.configure({ config: { get: (key: string) => values[key], require: (key: string) => values[key] } });
}

beforeAll(async () => {
  env = await startSeededEmulator();
  await configureTwoNamespaces();
});
afterAll(() => env.emulator.stop());
beforeEach(() => env.emulator.clearRequests());
afterEach(() => {
  delete process.env.CLOUDFLARE_API_TOKEN;
  delete process.env.CLOUDFLARE_BASE_URL;
});

const prod = () => ({ customCsrId: env.rsa.id, accountId: env.emulator.accountId, configNamespace: "cloudflare-prod" });

describe("provider configNamespace", () => {
  it("check looks the CSR up with the namespace's credentials and keeps the namespace in the inputs", async () => {
    const result = await runtime.check({}, prod());
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({ ...prod(), observed: expect.stringMatching(/^[0-9a-f]{64}\.[0-9a-f-]+$/) });
    expect(env.emulator.requests.map((r) => r.status)).toEqual([200]);
  });

  it.each([
    ["a colon", "cloudflare:prod"],
    ["a space", "cloudflare prod"],
    ["a number", 5],
    ["101 characters", "c".repeat(101)],
  ])("check refuses a namespace with %s, before any request", async (_, configNamespace) => {
    const result = await runtime.check({}, { ...prod(), configNamespace });
    expect(result.failures).toEqual([
      { property: "configNamespace", reason: expect.stringMatching(/namespace|string/) },
    ]);
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("check skips the lookup while the namespace is unknown", async () => {
    const result = await runtime.check({}, { ...prod(), configNamespace: runtime.UNKNOWN });
    expect(result).toEqual({ inputs: { ...prod(), configNamespace: runtime.UNKNOWN } });
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("create, read and update use the namespace and record it in the outputs; the default namespace's token is never sent", async () => {
    await configureTwoNamespaces(); // a new deployment: nothing cached
    const { outs } = await runtime.create(prod());
    expect(outs).toMatchObject({ customCsrId: env.rsa.id, configNamespace: "cloudflare-prod" });
    const read = await runtime.read(env.rsa.id, outs);
    expect(read.props).toMatchObject({ configNamespace: "cloudflare-prod", name: "web" });
    const updated = await runtime.update(env.rsa.id, outs, prod());
    expect(updated.outs).toMatchObject({ configNamespace: "cloudflare-prod" });
    expect(env.emulator.requests.length).toBeGreaterThan(0);
    expect(env.emulator.requests.every((r) => r.status === 200)).toBe(true);
  });

  it("without a namespace, the default one is used and nothing new appears in the outputs", async () => {
    await expect(runtime.create({ customCsrId: env.rsa.id, accountId: env.emulator.accountId })).rejects.toThrow(
      /rejected the API token/,
    );
    const values = { "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": env.emulator.baseUrl };
    await runtime.configure({
      config: { get: (key: string) => values[key as keyof typeof values], require: () => "" },
    });
    try {
      const { outs } = await runtime.create({ customCsrId: env.rsa.id, accountId: env.emulator.accountId });
      expect(outs).not.toHaveProperty("configNamespace");
    } finally {
      await configureTwoNamespaces();
    }
  });

  it("a namespace other than the default never falls back to the environment", async () => {
    process.env.CLOUDFLARE_API_TOKEN = MARKER_TOKEN;
    process.env.CLOUDFLARE_BASE_URL = env.emulator.baseUrl;
    await expect(runtime.create({ ...prod(), configNamespace: "cloudflare-unset" })).rejects.toThrow(
      /no Cloudflare credentials in config namespace "cloudflare-unset"/,
    );
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("diff: a namespace change is an update in place, never a replace; naming the default is no change", async () => {
    const olds = { customCsrId: "a", accountId: "1" };
    expect(await runtime.diff("a", olds, { ...olds, configNamespace: "cloudflare-prod" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await runtime.diff("a", { ...olds, configNamespace: "cloudflare-prod" }, olds)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect((await runtime.diff("a", olds, { ...olds, configNamespace: "cloudflare" })).changes).toBe(false);
  });
});
