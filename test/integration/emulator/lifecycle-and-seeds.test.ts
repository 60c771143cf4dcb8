import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_EMULATOR_TOKEN,
  SeedFileError,
  loadSeedFile,
  startEmulator,
  type CloudflareEmulator,
  type RecordedRequest,
} from "../../../src/emulator";

import {
  OTHER_ACCOUNT,
  UNKNOWN_ACCOUNT,
  authHeaders,
  call,
  accountPath,
  useSuiteEmulator,
} from "../../support/emulator-http";

describe("Cloudflare Custom CSRs emulator", () => {
  let cf: CloudflareEmulator;

  useSuiteEmulator((emulator) => (cf = emulator));

  describe("lifecycle and options", () => {
    test("starts and stops repeatedly, and stop is idempotent", async () => {
      for (let i = 0; i < 5; i++) {
        const instance = await startEmulator();
        expect((await call(instance, "GET", accountPath(instance))).status).toBe(200);
        await instance.stop();
        await instance.stop();
      }
    });

    test("serves custom credentials, accounts and zones", async () => {
      const custom = await startEmulator({
        tokens: ["custom-token"],
        apiKeys: [{ email: "ops@acme.dev", key: "abc123" }],
        accounts: [OTHER_ACCOUNT],
        zones: [UNKNOWN_ACCOUNT],
      });
      try {
        expect([custom.token, custom.email, custom.apiKey, custom.accountId, custom.zoneId]).toEqual([
          "custom-token",
          "ops@acme.dev",
          "abc123",
          OTHER_ACCOUNT,
          UNKNOWN_ACCOUNT,
        ]);
        expect((await call(custom, "GET", `/zones/${UNKNOWN_ACCOUNT}/custom_csrs`, { auth: "key" })).status).toBe(200);
        expect((await call(custom, "GET", `/accounts/${DEFAULT_ACCOUNT_ID}/custom_csrs`)).status).toBe(403);
        expect(
          (
            await call(custom, "GET", `/accounts/${OTHER_ACCOUNT}/custom_csrs`, {
              auth: { Authorization: `Bearer ${DEFAULT_EMULATOR_TOKEN}` },
            })
          ).status,
        ).toBe(401);
      } finally {
        await custom.stop();
      }
    });

    test("listens on the port asked for: one in use rejects the start", async () => {
      // The port is held by a running emulator for the whole test: no window in which another process could take it.
      await expect(startEmulator({ port: cf.port })).rejects.toThrow(new RegExp(`EADDRINUSE.*:${cf.port}`));
    });

    test.each([
      ["accounts", { accounts: ["not-hex"] }],
      ["zones", { zones: [] }],
      ["tokens", { tokens: [] }],
      ["apiKeys", { apiKeys: [] }],
      ["apiKeys", { apiKeys: [{ email: "a@b.c", key: "not hex" }] }],
      ["rate limit", { rateLimit: { limit: 1.5, windowSeconds: 1 } }],
      ["latency", { latencyMs: -1 }],
      ["keyPoolSize", { keyPoolSize: 0 }],
      ["maxBodyBytes", { maxBodyBytes: 0 }],
      ["requestLogLimit", { requestLogLimit: 1.5 }],
    ])("rejects an unusable %s option", async (name, options) => {
      await expect(startEmulator(options)).rejects.toThrow(new RegExp(name));
    });

    test("onRequest sees each finished request once, with its final status; a callback that throws changes nothing", async () => {
      const seen: RecordedRequest[] = [];
      const logged = await startEmulator({
        onRequest: (request) => {
          seen.push(request);
          throw new Error("a broken logger");
        },
      });
      try {
        logged.injectFault({ kind: "server-error", status: 503 });
        expect((await call(logged, "GET", accountPath(logged))).status).toBe(503);
        expect((await call(logged, "GET", accountPath(logged))).status).toBe(200);
        logged.injectFault({ kind: "reset" });
        await expect(
          fetch(`${logged.baseUrl}${accountPath(logged)}`, { headers: authHeaders(logged, "token") }),
        ).rejects.toThrow();
        expect(seen.map(({ status, faultApplied }) => [status, faultApplied])).toEqual([
          [503, "server-error"],
          [200, undefined],
          [undefined, "reset"],
        ]);
        expect(seen).toEqual(logged.requests);
      } finally {
        await logged.stop();
      }
    });

    test("adds latency to every response until changed, and stop() ends a delayed request", async () => {
      const slow = await startEmulator({ latencyMs: 150 });
      try {
        const started = Date.now();
        await call(slow, "GET", accountPath(slow));
        expect(Date.now() - started).toBeGreaterThanOrEqual(140);
        expect(() => slow.setLatency(Number.NaN)).toThrow(TypeError);
        slow.setLatency(10_000);
        const delayed = fetch(`${slow.baseUrl}${accountPath(slow)}`, { headers: authHeaders(slow, "token") }).then(
          () => "answered",
          () => "failed",
        );
        // Latency is read per request: once the delayed one has arrived, with it back at 0 a later request overtakes it.
        while (slow.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
        slow.setLatency(0);
        expect((await call(slow, "GET", accountPath(slow))).status).toBe(200);
        expect(slow.requests.map((request) => request.status)).toEqual([200, undefined, 200]);
        await slow.stop();
        expect(await delayed).toBe("failed");
      } finally {
        await slow.stop();
      }
    });

    test("listens on IPv6 loopback when asked, exactly when the machine can", async () => {
      // Whether ::1 is usable is a fact of this machine, established without the emulator; both outcomes are checked.
      const probe = createServer();
      const ipv6 = await new Promise<boolean>((resolve) => {
        probe.once("error", () => resolve(false));
        probe.listen(0, "::1", () => resolve(true));
      });
      if (ipv6) await new Promise((resolve) => probe.close(resolve));
      const v6 = startEmulator({ host: "::1" });
      if (!ipv6) {
        await expect(v6).rejects.toThrow(/EADDRNOTAVAIL|EAFNOSUPPORT/);
        return;
      }
      const emulator = await v6;
      try {
        expect(emulator.baseUrl).toBe(`http://[::1]:${emulator.port}/client/v4`);
        expect((await call(emulator, "GET", accountPath(emulator))).status).toBe(200);
      } finally {
        await emulator.stop();
      }
    });
  });

  describe("seed files", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "emulator-seed-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, content: string) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };

    test("loads a JSON array of seeds that startEmulator accepts", async () => {
      const path = write(
        "ok.json",
        JSON.stringify([
          {
            scope: { accountId: DEFAULT_ACCOUNT_ID },
            id: "seeded-1",
            common_name: "one.acme.dev",
            sans: ["one.acme.dev"],
            key_type: "p256v1",
            name: "one",
          },
        ]),
      );
      const seeds = await loadSeedFile(path);
      const seeded = await startEmulator({ seed: seeds });
      try {
        const reply = await call<ApiCustomCsr>(seeded, "GET", `/accounts/${DEFAULT_ACCOUNT_ID}/custom_csrs/seeded-1`);
        expect(reply.body.result).toMatchObject({ id: "seeded-1", name: "one", common_name: "one.acme.dev" });
      } finally {
        await seeded.stop();
      }
    });

    test.each([
      ["not JSON", "{", /not readable JSON/],
      ["not an array", "{}", /JSON array/],
      ["an entry that is not an object", "[1]", /entry 0: must be an object/],
      ["an entry without a scope", '[{"common_name":"a","sans":[]}]', /entry 0: scope/],
      ["an entry with both scopes", `[{"scope":{"accountId":"a","zoneId":"b"},"common_name":"a","sans":[]}]`, /scope/],
      ["a common name that is not a string", '[{"scope":{"zoneId":"a"},"common_name":1,"sans":[]}]', /common_name/],
      ["sans that are not strings", '[{"scope":{"zoneId":"a"},"common_name":"a","sans":[1]}]', /sans/],
      [
        "an optional field of the wrong type",
        '[{"scope":{"zoneId":"a"},"common_name":"a","sans":[],"country":1}]',
        /country must be a string/,
      ],
    ])("rejects a seed file with %s", async (_case, content, message) => {
      const file = write("bad.json", content);
      await expect(loadSeedFile(file)).rejects.toThrow(message);
      await expect(loadSeedFile(file)).rejects.toThrow(SeedFileError);
    });

    test("rejects a missing seed file, naming why", async () => {
      await expect(loadSeedFile(join(dir, "missing.json"))).rejects.toThrow(/cannot be read \(ENOENT\)/);
    });
  });
});
