import * as pulumi from "@pulumi/pulumi";
import {
  CsrVerificationError,
  getCustomCsr,
  getCustomCsrs,
  getCustomCsrsOutput,
  InvalidCustomCsrArgsError,
  type CustomCsrResult,
} from "../../sdk";
import { DEFAULT_ACCOUNT_ID, type CreateCsrInput } from "../../src/emulator";
import { isolateCloudflareEnv, MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";

/** An account with enough CSRs for two pages of 50. */
const PAGED_ACCOUNT = "acc00000000000000000000000000002";
const COUNT = 60;

let env: SeededEmulator;
let paged: { id: string }[];
isolateCloudflareEnv();

beforeAll(async () => {
  env = await startSeededEmulator({ accounts: [DEFAULT_ACCOUNT_ID, PAGED_ACCOUNT], keyPoolSize: 2 });
  const inputs: CreateCsrInput[] = Array.from({ length: COUNT }, (_, i) => ({
    name: `csr-${i}`,
    common_name: `host-${i}.acme.dev`,
    sans: [`host-${i}.acme.dev`, i % 2 === 0 ? "shared.acme.dev" : "odd.acme.dev"],
    country: "US",
    state: "CA",
    locality: "SF",
    organization: "Acme",
  }));
  paged = await env.emulator.seedMany({ accountId: PAGED_ACCOUNT }, inputs);
});
afterAll(() => env.emulator.stop());
beforeEach(() => env.emulator.clearRequests());

const options = () => ({ apiToken: MARKER_TOKEN, baseUrl: env.emulator.baseUrl });
const ids = (csrs: CustomCsrResult[]) => csrs.map((csr) => csr.customCsrId);

describe("getCustomCsrs", () => {
  it("returns every CSR of the account across all pages, oldest first, each equal to its getCustomCsr result", async () => {
    const csrs = await getCustomCsrs({ accountId: PAGED_ACCOUNT }, options());
    expect(ids(csrs)).toEqual(paged.map((csr) => csr.id));
    expect(env.emulator.requests.map((r) => r.query.page)).toEqual(["1", "2"]);
    expect(csrs[7]).toEqual(await getCustomCsr({ customCsrId: paged[7].id, accountId: PAGED_ACCOUNT }, options()));
  });

  it("lists a zone's CSRs with the zone as their scope", async () => {
    const csrs = await getCustomCsrs({ zoneId: env.emulator.zoneId }, options());
    expect(csrs).toEqual([
      expect.objectContaining({
        customCsrId: env.zoneCsr.id,
        zoneId: env.emulator.zoneId,
        publicKeyAlgorithm: "RSA-2048",
      }),
    ]);
    expect(csrs[0]).not.toHaveProperty("accountId");
  });

  it("filters by any SAN, case-insensitively and ignoring a trailing dot", async () => {
    const csrs = await getCustomCsrs({ accountId: PAGED_ACCOUNT, san: "Shared.ACME.dev." }, options());
    expect(ids(csrs)).toEqual(paged.filter((_, i) => i % 2 === 0).map((csr) => csr.id));
  });

  it("filters by exact name and common name, every filter given must match", async () => {
    expect(ids(await getCustomCsrs({ accountId: PAGED_ACCOUNT, name: "csr-5" }, options()))).toEqual([paged[5].id]);
    expect(ids(await getCustomCsrs({ accountId: PAGED_ACCOUNT, commonName: "host-6.acme.dev" }, options()))).toEqual([
      paged[6].id,
    ]);
    expect(await getCustomCsrs({ accountId: PAGED_ACCOUNT, commonName: "HOST-6.acme.dev" }, options())).toEqual([]);
    expect(await getCustomCsrs({ accountId: PAGED_ACCOUNT, name: "csr-5", san: "shared.acme.dev" }, options())).toEqual(
      [],
    );
    expect(
      ids(await getCustomCsrs({ accountId: PAGED_ACCOUNT, name: "csr-4", san: "shared.acme.dev" }, options())),
    ).toEqual([paged[4].id]);
  });

  it("fails with CsrVerificationError naming a selected CSR whose PEM disagrees with the API, and ignores one left out", async () => {
    const broken = await env.emulator.createCsr(env.account, {
      name: "broken",
      common_name: "b.example.dev",
      sans: ["b.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "B",
    });
    env.emulator.updateCsr(env.account, broken.id, { sans: ["b.example.dev", "extra.example.dev"] });
    try {
      const error = await getCustomCsrs({ accountId: env.emulator.accountId }, options()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CsrVerificationError);
      expect((error as CsrVerificationError).customCsrId).toBe(broken.id);
      expect((error as Error).message).toContain(broken.id);
      const others = await getCustomCsrs({ accountId: env.emulator.accountId, san: "www.example.dev" }, options());
      expect(ids(others)).toEqual([env.rsa.id]);
    } finally {
      env.emulator.deleteCsr(env.account, broken.id);
    }
  });

  it.each([
    ["no scope", {}, "accountId"],
    ["both scopes", { accountId: "0123", zoneId: "0123" }, "zoneId"],
    ["a zone name for an id", { zoneId: "example.com" }, "zoneId"],
    ["a number for a name", { accountId: "0123", name: 5 }, "name"],
    ["a blank name", { accountId: "0123", name: "  " }, "name"],
    ["a 65-character common name", { accountId: "0123", commonName: "x".repeat(65) }, "commonName"],
    ["a SAN with a space", { accountId: "0123", san: "two words.example.com" }, "san"],
    ["a 255-character SAN", { accountId: "0123", san: "x".repeat(255) }, "san"],
  ])("rejects %s before any request, naming the field", async (_, args, field) => {
    const error = await getCustomCsrs(args as never, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    expect((error as InvalidCustomCsrArgsError).problems.map((p) => p.field)).toContain(field);
    expect(env.emulator.requests).toHaveLength(0);
  });
});

describe("getCustomCsrsOutput", () => {
  it("resolves input arguments and lists", async () => {
    const output = getCustomCsrsOutput(
      { accountId: pulumi.output(PAGED_ACCOUNT), name: Promise.resolve("csr-3") },
      options(),
    );
    const csrs = await new Promise<CustomCsrResult[]>((resolve) => output.apply(resolve));
    expect(ids(csrs)).toEqual([paged[3].id]);
  });
});

describe("configNamespace in the lookup options", () => {
  afterEach(() => {
    pulumi.runtime.setAllConfig({});
    delete process.env.CLOUDFLARE_API_TOKEN;
    delete process.env.CLOUDFLARE_BASE_URL;
  });

  it("reads the credentials and base URL of the named stack-config namespace", async () => {
    pulumi.runtime.setAllConfig({
      "cloudflare:apiToken": "default-namespace-token-the-emulator-rejects",
      "cloudflare-prod:apiToken": MARKER_TOKEN,
      "cloudflare-prod:baseUrl": env.emulator.baseUrl,
    });
    const csrs = await getCustomCsrs(
      { accountId: env.emulator.accountId, san: "api.example.dev" },
      { configNamespace: "cloudflare-prod" },
    );
    expect(ids(csrs)).toEqual([env.ec.id]);
    const csr = await getCustomCsr(
      { customCsrId: env.rsa.id, accountId: env.emulator.accountId },
      { configNamespace: "cloudflare-prod" },
    );
    expect(csr.name).toBe("web");
  });

  it("does not fall back to the CLOUDFLARE_* environment for another namespace", async () => {
    process.env.CLOUDFLARE_API_TOKEN = MARKER_TOKEN;
    process.env.CLOUDFLARE_BASE_URL = env.emulator.baseUrl;
    const error = await getCustomCsrs(
      { accountId: env.emulator.accountId },
      { configNamespace: "cloudflare-prod" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    expect((error as Error).message).toMatch(
      /no Cloudflare credentials in config namespace "cloudflare-prod".*cloudflare-prod:apiToken/,
    );
    expect(env.emulator.requests).toHaveLength(0);
  });
});
