import { provider, UNKNOWN } from "../../src/provider/runtime";

/** The CustomCsr provider as the engine calls it, and the marker of an unknown input. */
const runtime = { ...provider, UNKNOWN };
import { CloudflareApiError, CustomCsrNotFoundError, InvalidCustomCsrArgsError } from "../../src/errors";
import { getCustomCsr } from "../../sdk/lookup";
import { observedDigest, observedRecord } from "../../src/provider/drift-digest";
import { isolateCloudflareEnv, MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";

let env: SeededEmulator;
isolateCloudflareEnv();

/** Configures the provider runtime the way the engine does: with the whole stack config as strings. */
async function configureWith(values: Record<string, string>): Promise<void> {
  await runtime.configure({ config: { get: (key: string) => values[key], require: (key: string) => values[key] } });
}

/** What a new `pulumi` command does: a new provider process, configured afresh, with an empty cache. */
async function newDeployment(): Promise<void> {
  await configureWith({ "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": env.emulator.baseUrl });
}

beforeAll(async () => {
  env = await startSeededEmulator();
  await newDeployment();
});
afterAll(() => env.emulator.stop());
beforeEach(() => {
  env.emulator.clearFaults();
  env.emulator.clearRequests();
});

const unknown = runtime.UNKNOWN;
const options = () => ({ apiToken: MARKER_TOKEN, baseUrl: env.emulator.baseUrl });

describe("provider check", () => {
  it("reports every invalid field and sends no request", async () => {
    const result = await runtime.check({}, { customCsrId: "../etc/passwd", accountId: "example.com", zoneId: "zone" });
    expect(result.failures?.map((f) => f.property).sort()).toEqual(["accountId", "customCsrId", "zoneId", "zoneId"]);
    expect(result.failures?.map((f) => f.reason).join("\n")).toMatch(/mutually exclusive/);
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("requires exactly one of accountId and zoneId", async () => {
    const result = await runtime.check({}, { customCsrId: env.rsa.id });
    expect(result.failures).toEqual([
      { property: "accountId", reason: expect.stringMatching(/one of accountId or zoneId is required/) },
    ]);
  });

  it("records a digest of what Cloudflare holds in the `observed` input", async () => {
    const result = await runtime.check({}, { customCsrId: env.rsa.id, accountId: env.emulator.accountId, zoneId: "" });
    expect(result.failures).toBeUndefined();
    const looked = await getCustomCsr({ customCsrId: env.rsa.id, accountId: env.emulator.accountId }, options());
    const observed = observedRecord(looked);
    expect(result.inputs).toEqual({ customCsrId: env.rsa.id, accountId: env.emulator.accountId, observed });
    expect(observed).toMatch(/^[0-9a-f]{64}\.[0-9a-f-]+$/);
    expect(observed.startsWith(observedDigest(looked))).toBe(true);
  });

  it("skips the lookup while an identifying input is unknown", async () => {
    const result = await runtime.check({}, { customCsrId: env.rsa.id, accountId: unknown });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({ customCsrId: env.rsa.id, accountId: unknown });
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("turns a definitive not-found into a failure on customCsrId", async () => {
    const result = await runtime.check({}, { customCsrId: "missing-csr", accountId: env.emulator.accountId });
    expect(result.failures).toEqual([
      { property: "customCsrId", reason: expect.stringContaining("missing-csr was not found") },
    ]);
  });

  it("throws on other API failures", async () => {
    await expect(
      runtime.check({}, { customCsrId: env.rsa.id, accountId: "ffffffffffffffffffffffffffffffff" }),
    ).rejects.toThrow(/SSL and Certificates Read/);
  });
});

describe("provider diff", () => {
  const olds = { customCsrId: "a", accountId: "1", observed: "d1" };

  it("reports no change when identity and observed digest agree", async () => {
    expect(await runtime.diff("a", olds, { customCsrId: "a", accountId: "1", observed: "d1" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it.each(["customCsrId", "accountId", "zoneId"])("replaces when %s changes", async (field) => {
    const news: Record<string, string> = { customCsrId: "a", accountId: "1", [field]: "2" };
    const result = await runtime.diff("a", olds, news);
    expect(result.changes).toBe(true);
    expect(result.replaces).toContain(field);
  });

  it("reports an update, not a replace, when Cloudflare's copy changed", async () => {
    const result = await runtime.diff("a", olds, { customCsrId: "a", accountId: "1", observed: "d2" });
    expect(result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("ignores a missing observed record (inputs not known at check time)", async () => {
    expect((await runtime.diff("a", olds, { customCsrId: "a", accountId: "1" })).changes).toBe(false);
  });
});

describe("provider create, read, update and delete", () => {
  beforeEach(newDeployment);

  it("create fetches the CSR and returns every present field, and no undefined value", async () => {
    const { id, outs } = await runtime.create({ customCsrId: env.ec.id, accountId: env.emulator.accountId });
    expect(id).toBe(env.ec.id);
    expect(outs).toMatchObject({
      customCsrId: env.ec.id,
      accountId: env.emulator.accountId,
      pem: env.ec.csr,
      sans: ["api.example.dev"],
      commonName: "api.example.dev",
      keyType: "p256v1",
      publicKeyAlgorithm: "ECDSA-P256",
      createdAt: env.ec.created_at,
    });
    expect(outs).not.toHaveProperty("zoneId");
    expect(outs).not.toHaveProperty("description");
    expect(Object.values(outs as object).every((v) => v !== undefined)).toBe(true);
    expect(env.emulator.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("read re-fetches, and a refresh with no remote change shows no diff", async () => {
    const checked = await runtime.check({}, { customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId });
    const { outs } = await runtime.create(checked.inputs as Record<string, unknown>);
    await newDeployment();
    env.emulator.clearRequests();
    const read = await runtime.read(env.zoneCsr.id, outs);
    expect(env.emulator.requests).toHaveLength(1);
    expect(read.id).toBe(env.zoneCsr.id);
    expect(read.props).toEqual(outs);
    expect(read.inputs).toBeUndefined();
    const refreshDiff = await runtime.diff(
      env.zoneCsr.id,
      read.props as Record<string, unknown>,
      checked.inputs as Record<string, unknown>,
    );
    expect(refreshDiff.changes).toBe(false);
  });

  it("a remote change shows in the refresh diff, in preview --refresh and in a plain preview", async () => {
    const scope = env.account;
    const csr = await env.emulator.createCsr(scope, {
      common_name: "d.example.dev",
      sans: ["d.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Drift",
      name: "before",
      key_type: "p256v1",
    });
    const checked = await runtime.check({}, { customCsrId: csr.id, accountId: scope.accountId });
    const { outs } = await runtime.create(checked.inputs as Record<string, unknown>);
    env.emulator.updateCsr(scope, csr.id, { name: "after" });
    await newDeployment();

    // pulumi refresh: diff(refreshed outputs, stored inputs)
    const read = await runtime.read(csr.id, outs);
    const refreshed = read.props as Record<string, unknown>;
    expect(refreshed.name).toBe("after");
    expect(refreshed.observed).toEqual((outs as Record<string, unknown>).observed);
    expect(await runtime.diff(csr.id, refreshed, checked.inputs as Record<string, unknown>)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });

    // pulumi preview --refresh: diff(refreshed outputs, fresh inputs)
    const rechecked = await runtime.check(checked.inputs as Record<string, unknown>, {
      customCsrId: csr.id,
      accountId: scope.accountId,
    });
    const digestOf = (inputs: unknown) => (inputs as { observed: string }).observed;
    expect(digestOf(rechecked.inputs)).not.toBe(digestOf(checked.inputs));
    expect((await runtime.diff(csr.id, refreshed, rechecked.inputs as Record<string, unknown>)).changes).toBe(true);

    // pulumi preview: diff(stored outputs, fresh inputs)
    expect(
      (await runtime.diff(csr.id, outs as Record<string, unknown>, rechecked.inputs as Record<string, unknown>))
        .changes,
    ).toBe(true);

    // pulumi up records the new snapshot; then nothing diffs any more.
    const { outs: updated } = await runtime.update(
      csr.id,
      outs as Record<string, unknown>,
      rechecked.inputs as Record<string, unknown>,
    );
    expect(
      (await runtime.diff(csr.id, updated as Record<string, unknown>, rechecked.inputs as Record<string, unknown>))
        .changes,
    ).toBe(false);
  });

  it("read reports a CSR that was read before and is now definitively gone as deleted", async () => {
    const scope = env.account;
    const csr = await env.emulator.createCsr(scope, {
      common_name: "g.example.dev",
      sans: ["g.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Gone",
      key_type: "p256v1",
    });
    const { outs } = await runtime.create({ customCsrId: csr.id, accountId: scope.accountId });
    env.emulator.deleteCsr(scope, csr.id);
    await newDeployment();
    expect(await runtime.read(csr.id, outs)).toEqual({});
  });

  // The provider knows a resource was read before from the `observed` it records with every lookup; states written
  // before `observed` existed are recognised by their looked-up fields (`createdAt`).
  type Outs = Record<string, unknown>;
  it.each([
    ["the recorded `observed` alone", (outs: Outs) => ({ accountId: outs.accountId, observed: outs.observed })],
    ["an older state's fields, without `observed`", (outs: Outs) => ({ ...outs, observed: undefined })],
  ])("read reports a gone CSR as deleted when the state has %s", async (_what, stateOf) => {
    const scope = env.account;
    const csr = await env.emulator.createCsr(scope, {
      common_name: "m.example.dev",
      sans: ["m.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Marker",
      key_type: "p256v1",
    });
    const { outs } = await runtime.create({ customCsrId: csr.id, accountId: scope.accountId });
    env.emulator.deleteCsr(scope, csr.id);
    await newDeployment();
    expect(await runtime.read(csr.id, stateOf(outs as Outs))).toEqual({});
  });

  it("read refuses to adopt (CustomCsr.get) a CSR that does not exist", async () => {
    await expect(runtime.read("no-such-csr", { accountId: env.emulator.accountId })).rejects.toBeInstanceOf(
      CustomCsrNotFoundError,
    );
  });

  it("read adopts an existing CSR by id from the scope alone", async () => {
    const read = await runtime.read(env.rsa.id, { accountId: env.emulator.accountId });
    expect(read.id).toBe(env.rsa.id);
    expect(read.props).toMatchObject({
      customCsrId: env.rsa.id,
      pem: env.rsa.csr,
      name: "web",
      description: "front door",
    });
  });

  it("read keeps the resource (throws) on a failure that is not a definitive not-found", async () => {
    const { outs } = await runtime.create({ customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    await newDeployment();
    env.emulator.injectFault({ kind: "rate-limit", retryAfterSeconds: 600 });
    await expect(runtime.read(env.rsa.id, outs)).rejects.toBeInstanceOf(CloudflareApiError);
    await newDeployment(); // the 429 paused this deployment's connection for ten minutes
    env.emulator.injectFault(
      { kind: "response", status: 404, body: "<html>not here</html>", headers: { "Content-Type": "text/html" } },
      { count: 5 },
    );
    await expect(runtime.read(env.rsa.id, outs)).rejects.toThrow(/HTTP 404 with a text\/html body/);
  });

  it("read refuses state without an account or zone", async () => {
    await expect(runtime.read(env.rsa.id, {})).rejects.toBeInstanceOf(InvalidCustomCsrArgsError);
  });

  it("update re-fetches for the new inputs", async () => {
    const { outs } = await runtime.update(
      env.rsa.id,
      {},
      { customCsrId: env.ec.id, accountId: env.emulator.accountId },
    );
    expect(outs).toMatchObject({ customCsrId: env.ec.id, keyType: "p256v1" });
  });

  it("has no delete, so the engine only forgets the CSR (destroy under the engine sends no request: lifecycle e2e)", () => {
    expect(provider).not.toHaveProperty("delete");
    expect(Object.keys(provider).sort()).toEqual(["check", "configure", "create", "diff", "read", "update"]);
  });
});

describe("provider credentials", () => {
  afterEach(async () => {
    delete process.env.CLOUDFLARE_API_TOKEN;
    delete process.env.CLOUDFLARE_BASE_URL;
    await configureWith({ "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": env.emulator.baseUrl });
  });

  it("falls back to CLOUDFLARE_API_TOKEN and CLOUDFLARE_BASE_URL when the stack config has none", async () => {
    await configureWith({});
    process.env.CLOUDFLARE_API_TOKEN = MARKER_TOKEN;
    process.env.CLOUDFLARE_BASE_URL = env.emulator.baseUrl;
    const { id } = await runtime.create({ customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    expect(id).toBe(env.rsa.id);
  });

  it("uses an API key and email from the stack config", async () => {
    await configureWith({
      "cloudflare:apiKey": env.emulator.apiKey,
      "cloudflare:email": env.emulator.email,
      "cloudflare:baseUrl": env.emulator.baseUrl,
    });
    await runtime.create({ customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId });
    expect(env.emulator.requests.at(-1)?.authSchemes).toEqual(["api-key"]);
  });

  it("stack config wins over the environment", async () => {
    process.env.CLOUDFLARE_API_TOKEN = "wrong-token";
    const { id } = await runtime.create({ customCsrId: env.ec.id, accountId: env.emulator.accountId });
    expect(id).toBe(env.ec.id);
  });

  it("fails clearly when there are no credentials at all", async () => {
    await configureWith({ "cloudflare:baseUrl": env.emulator.baseUrl });
    await expect(runtime.create({ customCsrId: env.rsa.id, accountId: env.emulator.accountId })).rejects.toThrow(
      /no Cloudflare credentials found/,
    );
    expect(env.emulator.requests).toHaveLength(0);
  });
});
