import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import { DEFAULT_ACCOUNT_ID, EmulatorOptionError, startEmulator, type CloudflareEmulator } from "../../../src/emulator";

import { input, authHeaders, call, accountPath, zonePath, useSuiteEmulator } from "../../support/emulator-http";

describe("Cloudflare Custom CSRs emulator", () => {
  let cf: CloudflareEmulator;

  useSuiteEmulator((emulator) => (cf = emulator));

  describe("faults", () => {
    let csr: ApiCustomCsr;
    beforeAll(async () => {
      csr = await cf.createCsr({ accountId: DEFAULT_ACCOUNT_ID }, input());
    });
    const getPath = () => accountPath(cf, `/${csr.id}`);

    test("rate-limit answers 429 / 971, with Retry-After only when given", async () => {
      cf.injectFault({ kind: "rate-limit", retryAfterSeconds: 7 });
      cf.injectFault({ kind: "rate-limit" });
      const first = await call(cf, "GET", getPath());
      expect(first.status).toBe(429);
      expect(first.body.errors).toEqual([
        { code: 971, message: "Please wait and consider throttling your request speed" },
      ]);
      expect(first.headers.get("retry-after")).toBe("7");
      expect(first.headers.get("ratelimit")).toBe('"default";r=0;t=7');
      const second = await call(cf, "GET", getPath());
      expect(second.status).toBe(429);
      expect(second.headers.get("retry-after")).toBeNull();
      expect(second.headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
      expect((await call(cf, "GET", getPath())).status).toBe(200);
      expect(cf.requests.map((request) => request.faultApplied)).toEqual(["rate-limit", "rate-limit", undefined]);
    });

    test.each([500, 502, 503, 504] as const)(
      "server-error %i answers a JSON envelope with code 1500",
      async (status) => {
        cf.injectFault({ kind: "server-error", status });
        const reply = await call(cf, "GET", getPath());
        expect(reply.status).toBe(status);
        expect(reply.headers.get("content-type")).toBe("application/json");
        expect(reply.body).toMatchObject({ success: false, result: null, errors: [{ code: 1500 }] });
      },
    );

    test("server-error defaults to 500 Internal Server Error", async () => {
      cf.injectFault({ kind: "server-error" });
      const reply = await call(cf, "GET", getPath());
      expect(reply.status).toBe(500);
      expect(reply.body.errors).toEqual([{ code: 1500, message: "Internal Server Error" }]);
    });

    test("html-502 answers Cloudflare's HTML Bad Gateway page", async () => {
      cf.injectFault({ kind: "html-502" });
      const response = await fetch(`${cf.baseUrl}${getPath()}`, { headers: authHeaders(cf, "token") });
      expect(response.status).toBe(502);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await response.text()).toMatch(/<title>502 Bad Gateway<\/title>[\s\S]*cloudflare/);
    });

    test("reset destroys the socket: fetch rejects", async () => {
      cf.injectFault({ kind: "reset" });
      await expect(fetch(`${cf.baseUrl}${getPath()}`, { headers: authHeaders(cf, "token") })).rejects.toThrow();
      expect(cf.requests[0]).toMatchObject({ faultApplied: "reset" });
      expect(cf.requests[0].status).toBeUndefined();
      expect((await call(cf, "GET", getPath())).status).toBe(200);
    });

    test("truncated-json answers 200 with JSON cut in the middle", async () => {
      cf.injectFault({ kind: "truncated-json" });
      const response = await fetch(`${cf.baseUrl}${getPath()}`, { headers: authHeaders(cf, "token") });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      const text = await response.text();
      expect(text.startsWith('{"success":true')).toBe(true);
      expect(() => JSON.parse(text)).toThrow();
    });

    test("success-false answers HTTP 200 with success false and an error", async () => {
      cf.injectFault({ kind: "success-false" });
      const reply = await call(cf, "GET", getPath());
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        success: false,
        errors: [{ code: 1500, message: "Internal Server Error" }],
        messages: [],
        result: null,
      });
    });

    test("response sends any status, body and headers", async () => {
      const withoutPem: Partial<ApiCustomCsr> = { ...csr };
      delete withoutPem.csr;
      cf.injectFault({
        kind: "response",
        status: 200,
        body: { success: true, errors: [], messages: [], result: withoutPem },
        headers: { "X-Extra": "1" },
      });
      const reply = await call<ApiCustomCsr>(cf, "GET", getPath());
      expect(reply.body.result).toEqual(withoutPem);
      expect(reply.headers.get("x-extra")).toBe("1");
      expect(reply.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/);

      cf.injectFault({ kind: "response", status: 409, body: "not json", headers: { "content-type": "text/plain" } });
      const response = await fetch(`${cf.baseUrl}${getPath()}`, { headers: authHeaders(cf, "token") });
      expect(response.status).toBe(409);
      expect(response.headers.get("content-type")).toBe("text/plain");
      expect(await response.text()).toBe("not json");
    });

    test("hang never answers; the client aborts and stop() still returns promptly", async () => {
      const hanging = await startEmulator();
      hanging.injectFault({ kind: "hang" });
      const aborted = fetch(`${hanging.baseUrl}/accounts/${hanging.accountId}/custom_csrs`, {
        headers: authHeaders(hanging, "token"),
        signal: AbortSignal.timeout(100),
      });
      await expect(aborted).rejects.toThrow();
      hanging.injectFault({ kind: "hang" });
      const pending = fetch(`${hanging.baseUrl}/accounts/${hanging.accountId}/custom_csrs`, {
        headers: authHeaders(hanging, "token"),
      });
      const outcome = pending.then(
        () => "answered",
        () => "failed",
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      await hanging.stop();
      expect(await outcome).toBe("failed");
      expect(hanging.requests.map((request) => request.faultApplied)).toEqual(["hang", "hang"]);
    });

    test("applies to the next N matching requests in injection order, by method and path", async () => {
      cf.injectFault({ kind: "server-error", status: 503 }, { count: 2, method: "delete" });
      cf.injectFault({ kind: "server-error", status: 502 }, { pathIncludes: "/zones/" });
      cf.injectFault({ kind: "server-error", status: 504 });
      const statuses: number[] = [];
      statuses.push((await call(cf, "GET", zonePath(cf))).status);
      statuses.push((await call(cf, "DELETE", accountPath(cf, "/unknown-id"))).status);
      statuses.push((await call(cf, "GET", zonePath(cf))).status);
      statuses.push((await call(cf, "DELETE", accountPath(cf, "/unknown-id"))).status);
      statuses.push((await call(cf, "DELETE", accountPath(cf, "/unknown-id"))).status);
      expect(statuses).toEqual([502, 503, 504, 503, 404]);
    });

    test("clearFaults forgets pending faults, and a count must be positive", async () => {
      cf.injectFault({ kind: "server-error" }, { count: 3 });
      cf.clearFaults();
      expect((await call(cf, "GET", getPath())).status).toBe(200);
      expect(() => cf.injectFault({ kind: "reset" }, { count: 0 })).toThrow(EmulatorOptionError);
      expect(() => cf.injectFault({ kind: "reset" }, { count: 0 })).toThrow(TypeError);
    });
  });

  describe("rate limit", () => {
    test("every response carries the rate-limit headers, counting down", async () => {
      const limited = await startEmulator();
      try {
        const first = await call(limited, "GET", accountPath(limited));
        const second = await call(limited, "GET", "/nowhere", { auth: "none" });
        expect(first.headers.get("ratelimit")).toMatch(/^"default";r=1199;t=(300|299)$/);
        expect(second.headers.get("ratelimit")).toMatch(/^"default";r=1198;t=\d+$/);
        expect(first.headers.get("ratelimit-policy")).toBe('"default";q=1200;w=300');
        expect(first.headers.get("content-type")).toBe("application/json");
      } finally {
        await limited.stop();
      }
    });

    test("the request after the quota answers 429 / 971 with Retry-After until the window ends", async () => {
      const limited = await startEmulator({ rateLimit: { limit: 3, windowSeconds: 60 } });
      try {
        const replies = [];
        for (let i = 0; i < 5; i++) replies.push(await call(limited, "GET", accountPath(limited)));
        expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 429, 429]);
        expect(replies[2].headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
        const blocked = replies[3];
        expect(blocked.body.errors).toEqual([
          { code: 971, message: "Please wait and consider throttling your request speed" },
        ]);
        expect(blocked.headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/);
        expect(blocked.headers.get("ratelimit-policy")).toBe('"default";q=3;w=60');
        const retryAfter = Number(blocked.headers.get("retry-after"));
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThan(55);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(replies[2].headers.get("retry-after")).toBeNull();

        limited.setRateLimit({ limit: 1, windowSeconds: 10 });
        const fresh = await call(limited, "GET", accountPath(limited));
        expect(fresh.status).toBe(200);
        expect(fresh.headers.get("ratelimit-policy")).toBe('"default";q=1;w=10');
        expect((await call(limited, "GET", accountPath(limited))).status).toBe(429);

        limited.setRateLimit();
        const reset = await call(limited, "GET", accountPath(limited));
        expect(reset.headers.get("ratelimit-policy")).toBe('"default";q=1200;w=300');
        expect(() => limited.setRateLimit({ limit: 0, windowSeconds: 1 })).toThrow(TypeError);
      } finally {
        await limited.stop();
      }
    });
  });
});
