import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudflareClient, type ClientConfig } from "../../src/cloudflare/client";
import {
  CloudflareApiError,
  CloudflareAuthError,
  ConnectionError,
  CustomCsrNotFoundError,
  RateLimitError,
} from "../../src/errors";
import { packageVersion } from "../../src/version";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";

let env: SeededEmulator;
const waits: number[] = [];

beforeAll(async () => {
  env = await startSeededEmulator();
});
afterAll(() => env.emulator.stop());
beforeEach(() => {
  env.emulator.clearFaults();
  env.emulator.clearRequests();
  waits.length = 0;
});

/** A client whose waits are recorded instead of slept, so retry timing is observable and fast. */
function client(overrides: Partial<ClientConfig> = {}): CloudflareClient {
  return new CloudflareClient({
    baseUrl: env.emulator.baseUrl,
    credentials: { scheme: "api-token", token: MARKER_TOKEN },
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
}

describe("CloudflareClient against the emulator", () => {
  it("gets a custom CSR by account and by zone", async () => {
    const byAccount = await client().getCustomCsr(env.account, env.rsa.id);
    const byZone = await client().getCustomCsr(env.zone, env.zoneCsr.id);
    expect(byAccount).toEqual(env.rsa);
    expect(byZone).toEqual(env.zoneCsr);
    expect(env.emulator.requests.map((r) => r.path)).toEqual([
      `/client/v4/accounts/${env.emulator.accountId}/custom_csrs/${env.rsa.id}`,
      `/client/v4/zones/${env.emulator.zoneId}/custom_csrs/${env.zoneCsr.id}`,
    ]);
  });

  it("sends exactly one credential scheme per request", async () => {
    await client().getCustomCsr(env.account, env.rsa.id);
    await client({
      credentials: { scheme: "api-key", email: env.emulator.email, key: env.emulator.apiKey },
    }).getCustomCsr(env.account, env.rsa.id);
    expect(env.emulator.requests.map((r) => r.authSchemes)).toEqual([["api-token"], ["api-key"]]);
  });

  it("lists every CSR across pages", async () => {
    const page = await client().listCustomCsrs(env.account, { perPage: 5 });
    expect(page.items.map((c) => c.id)).toEqual([env.rsa.id, env.ec.id]);
    expect(page.info).toMatchObject({ page: 1, per_page: 5, count: 2, total_count: 2 });
    const all = await client().listAllCustomCsrs(env.zone);
    expect(all.map((c) => c.id)).toEqual([env.zoneCsr.id]);
  });

  it("follows pages until the last one", async () => {
    const scope = { accountId: env.emulator.accountId };
    const extra = await env.emulator.seedMany(
      scope,
      Array.from({ length: 9 }, (_, i) => ({
        common_name: `p${i}.example.dev`,
        sans: [`p${i}.example.dev`],
        country: "US",
        state: "CA",
        locality: "SF",
        organization: "Paging",
        key_type: "p256v1" as const,
      })),
    );
    try {
      env.emulator.clearRequests();
      const all = await client().listAllCustomCsrs(scope, { perPage: 5 });
      expect(all).toHaveLength(11);
      expect(env.emulator.requests.map((r) => r.query.page)).toEqual(["1", "2", "3"]);
    } finally {
      for (const csr of extra) env.emulator.deleteCsr(scope, csr.id);
    }
  });

  it("percent-encodes path segments", async () => {
    await expect(client().getCustomCsr(env.account, "../../zones")).rejects.toBeInstanceOf(CloudflareApiError);
    expect(env.emulator.requests[0].path).toBe(
      `/client/v4/accounts/${env.emulator.accountId}/custom_csrs/..%2F..%2Fzones`,
    );
  });

  it("waits for Retry-After on a 429 and then succeeds", async () => {
    env.emulator.injectFault({ kind: "rate-limit", retryAfterSeconds: 2 });
    await expect(client().getCustomCsr(env.account, env.rsa.id)).resolves.toMatchObject({ id: env.rsa.id });
    expect(waits).toEqual([2000]);
    expect(env.emulator.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it("refuses to wait longer than the Retry-After cap and says so", async () => {
    env.emulator.injectFault({ kind: "rate-limit", retryAfterSeconds: 300 });
    const error = await client()
      .getCustomCsr(env.account, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as RateLimitError).status).toBe(429);
    expect((error as RateLimitError).retryAfterMs).toBe(300_000);
    expect((error as Error).message).toMatch(/asked to wait 300 s, longer than the 60 s/);
    expect(waits).toEqual([]);
  });

  it("backs off exponentially on a 429 that names no wait while budget remains", async () => {
    const body = { success: false, errors: [{ code: 971, message: "Please wait" }], messages: [], result: null };
    env.emulator.injectFault(
      { kind: "response", status: 429, body, headers: { Ratelimit: '"default";r=5;t=300' } },
      { count: 2 },
    );
    await client().getCustomCsr(env.account, env.rsa.id);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[0]).toBeLessThanOrEqual(500);
    expect(waits[1]).toBeGreaterThanOrEqual(500);
    expect(waits[1]).toBeLessThanOrEqual(1000);
  });

  it("waits for the window reset on a 429 without Retry-After whose Ratelimit header shows the budget spent", async () => {
    env.emulator.setRateLimit({ limit: 1000, windowSeconds: 2 });
    try {
      env.emulator.injectFault({ kind: "rate-limit" });
      await client().getCustomCsr(env.account, env.rsa.id);
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThan(0);
      expect(waits[0]).toBeLessThanOrEqual(2000);
    } finally {
      env.emulator.setRateLimit();
    }
  });

  it.each([
    ["a JSON 500", { kind: "server-error" as const }],
    ["a 503", { kind: "server-error" as const, status: 503 as const }],
    ["an HTML 502 page", { kind: "html-502" as const }],
    ["a connection reset", { kind: "reset" as const }],
    ["truncated JSON with a 200", { kind: "truncated-json" as const }],
  ])("retries %s and then succeeds", async (_name, fault) => {
    env.emulator.injectFault(fault, { count: 2 });
    await expect(client().getCustomCsr(env.account, env.rsa.id)).resolves.toMatchObject({ id: env.rsa.id });
    expect(env.emulator.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it("gives up on a hang after the per-attempt deadline and retries", async () => {
    env.emulator.injectFault({ kind: "hang" });
    await expect(client({ timeoutMs: 300 }).getCustomCsr(env.account, env.rsa.id)).resolves.toMatchObject({
      id: env.rsa.id,
    });
    expect(env.emulator.requests).toHaveLength(2);
  });

  it("reports the attempts when retries run out", async () => {
    env.emulator.injectFault({ kind: "server-error" }, { count: 3 });
    const error = await client({ retry: { maxRetries: 2 } })
      .getCustomCsr(env.account, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).not.toBeInstanceOf(CustomCsrNotFoundError);
    expect((error as CloudflareApiError).status).toBe(500);
    expect((error as CloudflareApiError).errors.map((e) => e.code)).toContain(1500);
    expect((error as Error).message).toMatch(/after 3 attempts/);
  });

  it("names the content type when the final answer is an HTML page", async () => {
    env.emulator.injectFault({ kind: "html-502" }, { count: 2 });
    const error = await client({ retry: { maxRetries: 1 } })
      .getCustomCsr(env.account, env.rsa.id)
      .catch((e: unknown) => e);
    expect((error as CloudflareApiError).status).toBe(502);
    expect((error as Error).message).toMatch(/text\/html body that is not a Cloudflare JSON envelope/);
  });

  it("reports a transport failure with status 0 once retries run out", async () => {
    env.emulator.injectFault({ kind: "reset" }, { count: 2 });
    const error = await client({ retry: { maxRetries: 1 } })
      .getCustomCsr(env.account, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).status).toBe(0);
    expect((error as Error).name).toBe("ConnectionError");
    expect((error as Error).message).toMatch(/after 2 attempts/);
  });

  it("does not retry success:false with HTTP 200", async () => {
    env.emulator.injectFault({ kind: "success-false" });
    const error = await client()
      .getCustomCsr(env.account, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(env.emulator.requests).toHaveLength(1);
  });

  it("maps a definitive 404 to CustomCsrNotFoundError without retrying", async () => {
    const error = await client()
      .getCustomCsr(env.account, "00000000-0000-0000-0000-000000000000")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CustomCsrNotFoundError);
    expect((error as CustomCsrNotFoundError).customCsrId).toBe("00000000-0000-0000-0000-000000000000");
    expect((error as Error).message).toContain(`account ${env.emulator.accountId}`);
    expect(env.emulator.requests).toHaveLength(1);
  });

  it("explains a 400 7003/7000 as a wrong account id and does not retry", async () => {
    const error = await client()
      .getCustomCsr({ accountId: "example.com" }, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).status).toBe(400);
    expect((error as Error).message).toMatch(/account id "example.com" is probably wrong/);
    expect(env.emulator.requests).toHaveLength(1);
  });

  it("maps 403/10000 to CloudflareAuthError naming the permission and scheme, never the token", async () => {
    const error = await client()
      .getCustomCsr({ accountId: "ffffffffffffffffffffffffffffffff" }, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect((error as CloudflareAuthError).scheme).toBe("api-token");
    expect((error as Error).message).toContain('"SSL and Certificates Read"');
    expect((error as Error).message).toContain("API token");
    expect(JSON.stringify(error) + String(error) + (error as Error).stack).not.toContain(MARKER_TOKEN);
  });

  it("maps an unknown token to CloudflareAuthError", async () => {
    const error = await client({ credentials: { scheme: "api-token", token: "not-a-known-token" } })
      .getCustomCsr(env.account, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect([401, 403]).toContain((error as CloudflareAuthError).status);
  });

  it("refuses a result of the wrong shape", async () => {
    env.emulator.injectFault({
      kind: "response",
      status: 200,
      body: { success: true, errors: [], messages: [], result: { id: 7, key_type: ["x"] } },
    });
    const error = await client()
      .getCustomCsr(env.account, env.rsa.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as Error).message).toMatch(/cannot use: `id` is missing or not a non-empty string; `created_at`/);
  });

  it("refuses a list page without result_info", async () => {
    env.emulator.injectFault({
      kind: "response",
      status: 200,
      body: { success: true, errors: [], messages: [], result: [] },
    });
    await expect(client().listCustomCsrs(env.account)).rejects.toThrow(/`result_info` is missing/);
  });
});

describe("CloudflareClient request headers", () => {
  it("names the package and version in User-Agent and never follows redirects", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(302, { Location: "http://127.0.0.1:1/steal" }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const error = await new CloudflareClient({
        baseUrl: `http://127.0.0.1:${port}/client/v4`,
        credentials: { scheme: "api-token", token: MARKER_TOKEN },
      })
        .getCustomCsr({ accountId: "a".repeat(32) }, "x")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloudflareApiError);
      expect((error as CloudflareApiError).status).toBe(302);
      expect(seen).toHaveLength(1);
      expect(seen[0]["user-agent"]).toBe(`pulumi-cloudflare-custom-csr/${packageVersion()} node/${process.version}`);
      expect(seen[0].authorization).toBe(`Bearer ${MARKER_TOKEN}`);
      expect(seen[0]["x-auth-key"]).toBeUndefined();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
