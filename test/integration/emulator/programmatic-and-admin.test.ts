import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import {
  ADMIN_PATH,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_ZONE_ID,
  EmulatorCsrNotFoundError,
  EmulatorInputError,
  EmulatorOptionError,
  ErrorCodes,
  startEmulator,
  type CloudflareEmulator,
  type CsrScope,
} from "../../../src/emulator";

import {
  UNKNOWN_ACCOUNT,
  input,
  Auth,
  call,
  codesOf,
  accountPath,
  opensslReq,
  sansOf,
  useSuiteEmulator,
} from "../../support/emulator-http";

describe("Cloudflare Custom CSRs emulator", () => {
  let cf: CloudflareEmulator;
  const account = (): CsrScope => ({ accountId: cf.accountId });
  const zone = (): CsrScope => ({ zoneId: cf.zoneId });

  useSuiteEmulator((emulator) => (cf = emulator));

  describe("programmatic API", () => {
    test("createCsr validates like POST and throws EmulatorInputError", async () => {
      const attempt = cf.createCsr(account(), input({ common_name: "", sans: [] }));
      await expect(attempt).rejects.toBeInstanceOf(EmulatorInputError);
      await expect(attempt).rejects.toMatchObject({ errors: [{ code: 1409 }, { code: 1411 }] });
      await expect(cf.seedMany(account(), [input(), input({ key_type: "dsa" as never })])).rejects.toMatchObject({
        errors: [{ code: 1417 }],
      });
    });

    test("rejects a scope the emulator does not know or that names both or neither", async () => {
      expect(() => cf.getCsr({ accountId: UNKNOWN_ACCOUNT }, "x")).toThrow(/does not know accounts\//);
      expect(() => cf.getCsr({ accountId: UNKNOWN_ACCOUNT }, "x")).toThrow(EmulatorOptionError);
      expect(() => cf.listCsrs({ accountId: cf.accountId, zoneId: cf.zoneId } as never)).toThrow(/exactly one/);
      expect(() => cf.listCsrs({} as never)).toThrow(/exactly one/);
    });

    test("getCsr and listCsrs return copies", async () => {
      const created = await cf.createCsr(zone(), input());
      const copy = cf.getCsr(zone(), created.id) as ApiCustomCsr;
      (copy.sans as string[]).push("tampered.acme.dev");
      cf.listCsrs(zone())[0].common_name = "tampered";
      expect(cf.getCsr(zone(), created.id)).toEqual(created);
      expect(cf.getCsr(zone(), "missing")).toBeUndefined();
    });

    test("updateCsr changes, removes and replaces stored fields as the API then serves them", async () => {
      const created = await cf.createCsr(account(), input({ name: "before" }));
      const other = await cf.createCsr(account(), input({ common_name: "other.acme.dev", sans: ["other.acme.dev"] }));
      const updated = cf.updateCsr(account(), created.id, {
        name: "after",
        description: undefined,
        sans: ["drifted.acme.dev"],
        csr: other.csr,
      });
      expect(updated).toMatchObject({ id: created.id, name: "after", sans: ["drifted.acme.dev"], csr: other.csr });
      cf.updateCsr(account(), created.id, { name: undefined, common_name: undefined });
      const served = (await call<ApiCustomCsr>(cf, "GET", accountPath(cf, `/${created.id}`))).body
        .result as ApiCustomCsr;
      expect(served).not.toHaveProperty("name");
      expect(served).not.toHaveProperty("common_name");
      expect(served.csr).toBe(other.csr);
      expect(() => cf.updateCsr(account(), "missing", { name: "x" })).toThrow(
        new EmulatorCsrNotFoundError("missing", `accounts/${cf.accountId}`),
      );
      expect(() => cf.updateCsr(account(), "missing", { name: "x" })).toThrow(EmulatorCsrNotFoundError);
    });

    test("a stored record the API cannot serialize answers 500 / 1500", async () => {
      const created = await cf.createCsr(account(), input());
      cf.updateCsr(account(), created.id, { name: BigInt(1) as never });
      const reply = await call(cf, "GET", accountPath(cf, `/${created.id}`));
      expect(reply.status).toBe(500);
      expect(reply.body.errors).toEqual([{ code: 1500, message: "Internal Server Error" }]);
      expect(reply.headers.get("ratelimit")).not.toBeNull();
      cf.deleteCsr(account(), created.id);
    });

    test("deleteCsr removes a CSR, after which the API answers 404", async () => {
      const created = await cf.createCsr(account(), input());
      expect(cf.deleteCsr(account(), created.id)).toBe(true);
      expect(cf.deleteCsr(account(), created.id)).toBe(false);
      expect((await call(cf, "GET", accountPath(cf, `/${created.id}`))).status).toBe(404);
    });

    test("regenerateCsr signs a new key and PEM that agree with the changed fields", async () => {
      const created = await cf.createCsr(account(), input({ name: "keep" }));
      const same = await cf.regenerateCsr(account(), created.id);
      expect(same).toMatchObject({ id: created.id, created_at: created.created_at, sans: created.sans, name: "keep" });
      expect(same.csr).not.toBe(created.csr);

      const changed = await cf.regenerateCsr(account(), created.id, {
        common_name: "new.acme.dev",
        sans: ["new.acme.dev"],
        key_type: "rsa2048",
        organizational_unit: "Edge",
      });
      expect(changed).toMatchObject({
        id: created.id,
        common_name: "new.acme.dev",
        sans: ["new.acme.dev"],
        key_type: "rsa2048",
      });
      expect(opensslReq(changed.csr as string).subject).toContain("OU = Edge, CN = new.acme.dev");
      expect(sansOf(changed.csr as string)).toEqual(["dns:new.acme.dev"]);
      expect(cf.getCsr(account(), created.id)).toEqual(changed);

      await expect(cf.regenerateCsr(account(), created.id, { sans: [] })).rejects.toBeInstanceOf(EmulatorInputError);
      await expect(cf.regenerateCsr(account(), "missing")).rejects.toMatchObject({
        name: "EmulatorCsrNotFoundError",
        customCsrId: "missing",
        scope: `accounts/${cf.accountId}`,
      });
    });

    test("seeding with fixed ids rejects malformed and duplicate ids", async () => {
      const scoped = await startEmulator({
        seed: [
          {
            scope: { zoneId: DEFAULT_ZONE_ID },
            id: "fixed-id-1",
            common_name: "seed.acme.dev",
            sans: ["seed.acme.dev"],
            key_type: "p256v1",
          },
        ],
      });
      try {
        expect(scoped.getCsr({ zoneId: DEFAULT_ZONE_ID }, "fixed-id-1")).toMatchObject({
          organization: "Emulated Organization",
          country: "US",
          state: "California",
          locality: "San Francisco",
          account_tag: DEFAULT_ACCOUNT_ID,
        });
      } finally {
        await scoped.stop();
      }
      const seed = (id: string) => ({
        scope: { accountId: DEFAULT_ACCOUNT_ID },
        id,
        common_name: "a.acme.dev",
        sans: ["a.acme.dev"],
      });
      await expect(startEmulator({ seed: [seed("bad id")] })).rejects.toThrow(/1..36 characters/);
      await expect(startEmulator({ seed: [seed("bad id")] })).rejects.toBeInstanceOf(EmulatorOptionError);
      await expect(startEmulator({ seed: [seed("dup"), seed("dup")] })).rejects.toThrow(/already taken/);
      await expect(startEmulator({ seed: [{ ...seed("x"), sans: [] }] })).rejects.toBeInstanceOf(EmulatorInputError);
    });
  });

  describe("admin endpoints", () => {
    const admin = (method: string, path: string, options: { auth?: Auth; rawBody?: string } = {}) =>
      call(cf, method, `${new URL(cf.baseUrl).origin}${ADMIN_PATH}${path}`, options);

    test("PATCH stores fields as given and null removes one; the API then serves them, PEM untouched", async () => {
      const csr = await cf.createCsr(account(), input({ name: "before", description: "d" }));
      const reply = await admin("PATCH", `/accounts/${cf.accountId}/custom_csrs/${csr.id}`, {
        rawBody: '{"name":"after","description":null,"id":"x"}',
      });
      expect(reply.status).toBe(200);
      const served = (await call<ApiCustomCsr>(cf, "GET", accountPath(cf, `/${csr.id}`))).body.result as ApiCustomCsr;
      expect(served).toMatchObject({ id: csr.id, name: "after", csr: csr.csr });
      expect(served).not.toHaveProperty("description");
    });

    test("answer in the API's envelope: 400 / 1402 without a credential, 403 for an unknown account, 404 / 1419, 400 / 1400, 405", async () => {
      const csr = await cf.createCsr(account(), input());
      const item = `/accounts/${cf.accountId}/custom_csrs/${csr.id}`;
      expect(codesOf(await admin("DELETE", item, { auth: "none" }))).toEqual([1402]);
      expect((await admin("DELETE", item, { auth: { Authorization: "Bearer unknown" } })).status).toBe(401);
      expect((await admin("DELETE", `/accounts/${UNKNOWN_ACCOUNT}/custom_csrs/${csr.id}`)).status).toBe(403);
      expect(
        codesOf(await admin("PATCH", `/accounts/${cf.accountId}/custom_csrs/missing-1`, { rawBody: "{}" })),
      ).toEqual([ErrorCodes.CsrNotFound]);
      expect(codesOf(await admin("PATCH", item, { rawBody: "[1]" }))).toEqual([ErrorCodes.InvalidJson]);
      expect((await admin("GET", item)).status).toBe(405);
      expect((await admin("PATCH", `/accounts/${cf.accountId}/custom_csrs`, { rawBody: "{}" })).status).toBe(400);
      expect(cf.getCsr(account(), csr.id)).toBeDefined();
    });

    test("are never rate limited, delayed or faulted, and show in the request log", async () => {
      const csr = await cf.createCsr(account(), input());
      cf.injectFault({ kind: "server-error" }, { count: 5 });
      const reply = await admin("POST", `/accounts/${cf.accountId}/custom_csrs/${csr.id}/regenerate`);
      expect(reply.status).toBe(200);
      expect((reply.body.result as ApiCustomCsr).csr).not.toBe(csr.csr);
      expect((await admin("DELETE", `/accounts/${cf.accountId}/custom_csrs/${csr.id}`)).status).toBe(200);
      expect(cf.requests.map(({ method, status, faultApplied }) => ({ method, status, faultApplied }))).toEqual([
        { method: "POST", status: 200, faultApplied: undefined },
        { method: "DELETE", status: 200, faultApplied: undefined },
      ]);
      expect((await call(cf, "GET", accountPath(cf))).status).toBe(500);
    });
  });
});
