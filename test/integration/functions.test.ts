import * as pulumi from "@pulumi/pulumi";
import {
  CloudflareAuthError,
  CsrVerificationError,
  CustomCsrNotFoundError,
  getCustomCsr,
  getCustomCsrOutput,
  InvalidCustomCsrArgsError,
  type CustomCsrResult,
} from "../../sdk";
import { isolateCloudflareEnv, MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";

let env: SeededEmulator;
isolateCloudflareEnv();

beforeAll(async () => {
  env = await startSeededEmulator();
});
afterAll(() => env.emulator.stop());
beforeEach(() => {
  env.emulator.clearFaults();
  env.emulator.clearRequests();
  delete process.env.CLOUDFLARE_API_TOKEN;
  delete process.env.CLOUDFLARE_BASE_URL;
});

const options = () => ({ apiToken: MARKER_TOKEN, baseUrl: env.emulator.baseUrl });

describe("getCustomCsr", () => {
  it("returns the verified CSR with every contract field", async () => {
    const csr = await getCustomCsr({ customCsrId: env.rsa.id, accountId: env.emulator.accountId }, options());
    expect(csr).toEqual({
      customCsrId: env.rsa.id,
      accountId: env.emulator.accountId,
      pem: env.rsa.csr,
      sans: ["www.example.dev", "example.dev"],
      commonName: "www.example.dev",
      keyType: "rsa2048",
      name: "web",
      description: "front door",
      organization: "Example, Inc.",
      organizationalUnit: "Web",
      country: "US",
      state: "California",
      locality: "San Francisco",
      accountTag: env.rsa.account_tag,
      createdAt: env.rsa.created_at,
      subject: "CN=www.example.dev,OU=Web,O=Example\\, Inc.,L=San Francisco,ST=California,C=US",
      publicKeyAlgorithm: "RSA-2048",
      publicKeySha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("looks up zone CSRs", async () => {
    const csr = await getCustomCsr({ customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId }, options());
    expect(csr.zoneId).toBe(env.emulator.zoneId);
    expect(csr).not.toHaveProperty("accountId");
  });

  it("omits optional fields the API did not return", async () => {
    const csr = await getCustomCsr({ customCsrId: env.ec.id, accountId: env.emulator.accountId }, options());
    expect(Object.keys(csr)).not.toContain("description");
    expect(Object.keys(csr)).not.toContain("organizationalUnit");
    expect(csr.publicKeyAlgorithm).toBe("ECDSA-P256");
  });

  it("reads CLOUDFLARE_API_TOKEN and CLOUDFLARE_BASE_URL outside a Pulumi program", async () => {
    process.env.CLOUDFLARE_API_TOKEN = MARKER_TOKEN;
    process.env.CLOUDFLARE_BASE_URL = env.emulator.baseUrl;
    await expect(getCustomCsr({ customCsrId: env.ec.id, accountId: env.emulator.accountId })).resolves.toMatchObject({
      keyType: "p256v1",
    });
  });

  it("prefers explicit options over the environment", async () => {
    process.env.CLOUDFLARE_API_TOKEN = "env-token-that-the-emulator-rejects";
    process.env.CLOUDFLARE_BASE_URL = "http://127.0.0.1:9/client/v4";
    await expect(
      getCustomCsr({ customCsrId: env.ec.id, accountId: env.emulator.accountId }, options()),
    ).resolves.toMatchObject({ customCsrId: env.ec.id });
  });

  it("accepts an API key and email", async () => {
    const csr = await getCustomCsr(
      { customCsrId: env.rsa.id, accountId: env.emulator.accountId },
      { apiKey: env.emulator.apiKey, email: env.emulator.email, baseUrl: env.emulator.baseUrl },
    );
    expect(csr.customCsrId).toBe(env.rsa.id);
    expect(env.emulator.requests.at(-1)?.authSchemes).toEqual(["api-key"]);
  });

  it("shares one request between concurrent lookups of the same CSR", async () => {
    const args = { customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => getCustomCsr(args, { ...options(), timeoutMs: 5000 })),
    );
    expect(new Set(results.map((r) => r.publicKeySha256)).size).toBe(1);
    expect(env.emulator.requests).toHaveLength(1);
  });

  it.each([
    [{ customCsrId: "", accountId: "0123" }, "customCsrId"],
    [{ customCsrId: "a/b", accountId: "0123" }, "customCsrId"],
    [{ customCsrId: "x".repeat(37), accountId: "0123" }, "customCsrId"],
    [{ customCsrId: "abc" }, "accountId"],
    [{ customCsrId: "abc", accountId: "0123", zoneId: "0123" }, "zoneId"],
    [{ customCsrId: "abc", zoneId: "example.com" }, "zoneId"],
  ])("rejects %j before any request, naming %s", async (args, field) => {
    const error = await getCustomCsr(args as never, options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    expect((error as InvalidCustomCsrArgsError).problems.map((p) => p.field)).toContain(field);
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("rejects bad options before any request", async () => {
    await expect(
      getCustomCsr(
        { customCsrId: "abc", accountId: "0123" },
        { ...options(), baseUrl: "http://api.cloudflare.com/client/v4" },
      ),
    ).rejects.toThrow(/only allowed for loopback/);
    await expect(
      getCustomCsr({ customCsrId: "abc", accountId: "0123" }, { ...options(), timeoutMs: 0 }),
    ).rejects.toThrow(/timeoutMs/);
    await expect(
      getCustomCsr({ customCsrId: "abc", accountId: "0123" }, { ...options(), apiKey: "k" }),
    ).rejects.toThrow(/both an API token and an API key/);
    expect(env.emulator.requests).toHaveLength(0);
  });

  it("throws CustomCsrNotFoundError naming the id and the zone", async () => {
    const error = await getCustomCsr({ customCsrId: "does-not-exist", zoneId: env.emulator.zoneId }, options()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CustomCsrNotFoundError);
    expect((error as Error).message).toContain("does-not-exist");
    expect((error as Error).message).toContain(`zone ${env.emulator.zoneId}`);
  });

  it("throws CloudflareAuthError without leaking the credential", async () => {
    const error = await getCustomCsr(
      { customCsrId: env.rsa.id, accountId: env.emulator.accountId },
      { ...options(), apiToken: "secret-wrong-token-123" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect(`${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`).not.toContain(
      "secret-wrong-token-123",
    );
  });

  it("throws CsrVerificationError listing each disagreement between the PEM and the API", async () => {
    const csr = await env.emulator.createCsr(env.account, {
      common_name: "v.example.dev",
      sans: ["v.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Verify",
      key_type: "p256v1",
    });
    env.emulator.updateCsr(env.account, csr.id, {
      common_name: "other.example.dev",
      sans: ["v.example.dev", "extra.example.dev"],
      key_type: "rsa2048",
    });
    const error = await getCustomCsr({ customCsrId: csr.id, accountId: env.emulator.accountId }, options()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CsrVerificationError);
    expect((error as CsrVerificationError).mismatches).toEqual([
      expect.stringContaining('common_name is "other.example.dev" but the PEM\'s subject CN is "v.example.dev"'),
      expect.stringContaining("absent from the PEM: extra.example.dev"),
      expect.stringContaining("key_type is rsa2048 (RSA-2048) but the PEM holds a ECDSA-P256 key"),
    ]);
  });

  it("throws CsrVerificationError when the PEM is not a CSR", async () => {
    const csr = await env.emulator.createCsr(env.account, {
      common_name: "n.example.dev",
      sans: ["n.example.dev"],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Broken",
      key_type: "p256v1",
    });
    env.emulator.updateCsr(env.account, csr.id, {
      csr: "-----BEGIN CERTIFICATE REQUEST-----\nbm90IGEgQ1NS\n-----END CERTIFICATE REQUEST-----\n",
    });
    await expect(getCustomCsr({ customCsrId: csr.id, accountId: env.emulator.accountId }, options())).rejects.toThrow(
      CsrVerificationError,
    );
  });
});

// Outside `setMocks` (which routes the functions to the mocks' `call`: see mocks.test.ts), as a program's
// Outputs and stack config behave when the real engine runs it.
describe("getCustomCsrOutput", () => {
  it("resolves input arguments and looks the CSR up", async () => {
    const output = getCustomCsrOutput(
      { customCsrId: pulumi.output(env.rsa.id), accountId: Promise.resolve(env.emulator.accountId) },
      options(),
    );
    const result = await new Promise<CustomCsrResult>((resolve) => output.apply(resolve));
    expect(result.pem).toBe(env.rsa.csr);
    expect(result.commonName).toBe("www.example.dev");
  });

  it("reads cloudflare:apiToken and cloudflare:baseUrl from the stack config inside a program", async () => {
    pulumi.runtime.setAllConfig({ "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": env.emulator.baseUrl });
    try {
      const output = getCustomCsrOutput({ customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId });
      const result = await new Promise<CustomCsrResult>((resolve) => output.apply(resolve));
      expect(result.customCsrId).toBe(env.zoneCsr.id);
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });
});
