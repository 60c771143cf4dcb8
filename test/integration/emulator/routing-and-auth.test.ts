import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_EMULATOR_API_KEY,
  DEFAULT_EMULATOR_EMAIL,
  DEFAULT_EMULATOR_TOKEN,
  DEFAULT_ZONE_ID,
  ErrorCodes,
  startEmulator,
  type CloudflareEmulator,
  type CsrScope,
} from "../../../src/emulator";

import {
  OTHER_ACCOUNT,
  UNKNOWN_ACCOUNT,
  CSR_ID_PATTERN,
  input,
  Auth,
  call,
  codesOf,
  accountPath,
  zonePath,
  useSuiteEmulator,
} from "../../support/emulator-http";

describe("Cloudflare Custom CSRs emulator", () => {
  let cf: CloudflareEmulator;
  const account = (): CsrScope => ({ accountId: cf.accountId });

  useSuiteEmulator((emulator) => (cf = emulator));

  describe("defaults", () => {
    test("without options, the default token and key pair are accepted on the default account and zone over loopback", async () => {
      const plain = await startEmulator();
      try {
        expect(plain.baseUrl).toBe(`http://127.0.0.1:${plain.port}/client/v4`);
        const token = { Authorization: `Bearer ${DEFAULT_EMULATOR_TOKEN}` };
        const key = { "X-Auth-Email": DEFAULT_EMULATOR_EMAIL, "X-Auth-Key": DEFAULT_EMULATOR_API_KEY };
        expect((await call(plain, "GET", `/accounts/${DEFAULT_ACCOUNT_ID}/custom_csrs`, { auth: token })).status).toBe(
          200,
        );
        expect((await call(plain, "GET", `/zones/${DEFAULT_ZONE_ID}/custom_csrs`, { auth: key })).status).toBe(200);
        expect((await call(plain, "GET", `/accounts/${OTHER_ACCOUNT}/custom_csrs`, { auth: token })).status).toBe(403);
        expect(
          (
            await call(plain, "GET", `/accounts/${DEFAULT_ACCOUNT_ID}/custom_csrs`, {
              auth: { Authorization: "Bearer other" },
            })
          ).status,
        ).toBe(401);
      } finally {
        await plain.stop();
      }
    });
  });

  describe("routes", () => {
    test.each([
      ["account", accountPath],
      ["zone", zonePath],
    ])("create, get, list and delete in %s scope", async (_scope, path) => {
      const created = await call<ApiCustomCsr>(cf, "POST", path(cf), {
        body: input({ organizational_unit: "Platform", description: "edge", name: "web" }),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ success: true, errors: [], messages: [] });
      const csr = created.body.result as ApiCustomCsr;
      expect(csr).toMatchObject({
        account_tag: DEFAULT_ACCOUNT_ID,
        common_name: "app.acme.dev",
        sans: ["app.acme.dev", "www.acme.dev"],
        country: "US",
        state: "California",
        locality: "San Francisco",
        organization: "Acme, Inc.",
        organizational_unit: "Platform",
        description: "edge",
        name: "web",
        key_type: "p256v1",
      });
      expect(csr.id).toMatch(CSR_ID_PATTERN);
      expect(new Date(csr.created_at).toISOString()).toBe(csr.created_at);
      expect(csr.csr).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n[\s\S]+\n-----END CERTIFICATE REQUEST-----\n$/);

      const fetched = await call<ApiCustomCsr>(cf, "GET", path(cf, `/${csr.id}`));
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual({ success: true, errors: [], messages: [], result: csr });

      const listed = await call<ApiCustomCsr[]>(cf, "GET", path(cf));
      expect(listed.status).toBe(200);
      expect(listed.body.result).toContainEqual(csr);

      const deleted = await call(cf, "DELETE", path(cf, `/${csr.id}`));
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ success: true, errors: [], messages: [], result: { id: csr.id } });
      expect((await call(cf, "GET", path(cf, `/${csr.id}`))).status).toBe(404);
    });

    test("a zone and its account are separate namespaces", async () => {
      const inAccount = await cf.createCsr(account(), input());
      expect((await call(cf, "GET", zonePath(cf, `/${inAccount.id}`))).status).toBe(404);
      expect((await call(cf, "GET", accountPath(cf, `/${inAccount.id}`))).status).toBe(200);
      cf.deleteCsr(account(), inAccount.id);
    });

    test("accepts the API key scheme and records which scheme each request used", async () => {
      const reply = await call(cf, "GET", accountPath(cf), { auth: "key" });
      expect(reply.status).toBe(200);
      await call(cf, "GET", accountPath(cf), { auth: "token" });
      expect(cf.requests.map((request) => request.authSchemes)).toEqual([["api-key"], ["api-token"]]);
    });

    test("accepts both schemes at once but records it, so clients can be caught sending both", async () => {
      expect((await call(cf, "GET", accountPath(cf), { auth: "both" })).status).toBe(200);
      expect(cf.requests[0].authSchemes).toEqual(["api-token", "api-key"]);
    });

    test("records method, path, query, status and time, and never a credential", async () => {
      const before = Date.now();
      await call(cf, "GET", `${accountPath(cf)}?page=2&per_page=5`);
      await call(cf, "DELETE", accountPath(cf, "/no-such-csr"), { auth: "key" });
      const [list, del] = cf.requests;
      expect(list).toMatchObject({
        method: "GET",
        path: `/client/v4${accountPath(cf)}`,
        query: { page: "2", per_page: "5" },
        status: 200,
      });
      expect(list.time).toBeGreaterThanOrEqual(before);
      expect(del).toMatchObject({ method: "DELETE", status: 404, authSchemes: ["api-key"] });
      expect(list.faultApplied).toBeUndefined();
      const logged = JSON.stringify(cf.requests);
      for (const secret of [cf.token, cf.apiKey, cf.email]) expect(logged).not.toContain(secret);
      expect(cf.requests.filter((request) => request.method === "DELETE")).toHaveLength(1);
    });

    test("answers a trailing slash like the collection", async () => {
      expect((await call(cf, "GET", accountPath(cf, "/"))).status).toBe(200);
    });
  });

  describe("gateway and authentication errors", () => {
    test("an account id that is not 32 lower-case hex cannot be routed: 400 with 7003 then 7000", async () => {
      const reply = await call(cf, "GET", "/accounts/acme.dev/custom_csrs/abc");
      expect(reply.status).toBe(400);
      expect(reply.body).toEqual({
        success: false,
        errors: [
          {
            code: 7003,
            message:
              "Could not route to /accounts/acme.dev/custom_csrs/abc, perhaps your object identifier is invalid?",
          },
          { code: 7000, message: "No route for that URI" },
        ],
        messages: [],
        result: null,
      });
      expect(codesOf(await call(cf, "GET", `/zones/${DEFAULT_ZONE_ID.toUpperCase()}/custom_csrs`))).toEqual([
        7003, 7000,
      ]);
    });

    test.each([
      ["an unknown resource", `/accounts/${DEFAULT_ACCOUNT_ID}/custom_hostnames`],
      ["a path below a CSR", `/accounts/${DEFAULT_ACCOUNT_ID}/custom_csrs/abc/extra`],
      ["a bare scope", "/accounts"],
      ["the API root", ""],
    ])("%s answers 400 / 7000", async (_case, path) => {
      const reply = await call(cf, "GET", path);
      expect(reply.status).toBe(400);
      expect(codesOf(reply)).toEqual([7000]);
    });

    test("a path outside /client/v4 answers 400 / 7000", async () => {
      const reply = await call(cf, "GET", `http://127.0.0.1:${cf.port}/client/v5/accounts`);
      expect(codesOf(reply)).toEqual([7000]);
    });

    test.each([
      ["PUT", ""],
      ["PATCH", "/abc"],
      ["POST", "/abc"],
    ])("%s on a known path answers 405 / 7001", async (method, suffix) => {
      const reply = await call(cf, method, accountPath(cf, suffix), { body: {} });
      expect(reply.status).toBe(405);
      expect(reply.body.errors).toEqual([{ code: 7001, message: `Method ${method} not available for that URI.` }]);
    });

    test("no credential header at all answers 400 / 1402", async () => {
      const reply = await call(cf, "GET", accountPath(cf), { auth: "none" });
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([
        { code: 1402, message: "The request has no Authorization header. Please check your input and try again." },
      ]);
    });

    test.each<[string, Auth]>([
      ["an unknown token", { Authorization: "Bearer not-a-known-token" }],
      ["an unknown key", { "X-Auth-Email": DEFAULT_EMULATOR_EMAIL, "X-Auth-Key": "deadbeef" }],
    ])("%s answers 401 / 10000", async (_case, auth) => {
      const reply = await call(cf, "GET", accountPath(cf), { auth });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        success: false,
        errors: [{ code: 10000, message: "Authentication error" }],
        messages: [],
        result: null,
      });
    });

    test("matches the e-mail case-insensitively", async () => {
      const auth = { "X-Auth-Email": cf.email.toUpperCase(), "X-Auth-Key": cf.apiKey };
      expect((await call(cf, "GET", accountPath(cf), { auth })).status).toBe(200);
    });

    test.each<[string, Auth, number, string]>([
      [
        "a non-bearer Authorization header",
        { Authorization: `Token ${DEFAULT_EMULATOR_TOKEN}` },
        6111,
        "Authorization",
      ],
      ["an empty bearer token", { Authorization: "Bearer " }, 6111, "Authorization"],
      [
        "a token sent as an API key",
        { "X-Auth-Email": DEFAULT_EMULATOR_EMAIL, "X-Auth-Key": DEFAULT_EMULATOR_TOKEN },
        6103,
        "X-Auth-Key",
      ],
      ["an e-mail without a key", { "X-Auth-Email": DEFAULT_EMULATOR_EMAIL }, 6103, "X-Auth-Key"],
      ["a key without an e-mail", { "X-Auth-Key": DEFAULT_EMULATOR_API_KEY }, 6102, "X-Auth-Email"],
      [
        "an e-mail that is not an address",
        { "X-Auth-Email": "nobody", "X-Auth-Key": DEFAULT_EMULATOR_API_KEY },
        6102,
        "X-Auth-Email",
      ],
    ])("%s answers 400 / 6003 with an error chain", async (_case, auth, chained, header) => {
      const reply = await call(cf, "GET", accountPath(cf), { auth });
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([
        {
          code: 6003,
          message: "Invalid request headers",
          error_chain: [{ code: chained, message: `Invalid format for ${header} header` }],
        },
      ]);
    });

    test("a token without SSL and Certificates Read answers 403 / 10000", async () => {
      const reply = await call(cf, "GET", accountPath(cf), { auth: { Authorization: "Bearer read-less-token" } });
      expect(reply.status).toBe(403);
      expect(codesOf(reply)).toEqual([ErrorCodes.AuthenticationError]);
    });

    test.each([
      ["account", `/accounts/${UNKNOWN_ACCOUNT}/custom_csrs`],
      ["zone", `/zones/${UNKNOWN_ACCOUNT}/custom_csrs/abc`],
    ])("a well-formed %s id the credential cannot access answers 403 / 10000", async (_scope, path) => {
      const reply = await call(cf, "GET", path);
      expect(reply.status).toBe(403);
      expect(codesOf(reply)).toEqual([10000]);
    });

    test("serves every known account", async () => {
      expect((await call(cf, "GET", `/accounts/${OTHER_ACCOUNT}/custom_csrs`)).status).toBe(200);
    });
  });

  describe("custom CSR ids", () => {
    test.each([
      ["longer than 36 characters", "a".repeat(37)],
      ["with an underscore", "abc_def"],
      ["with an encoded slash", "abc%2Fdef"],
      ["with a broken escape", "abc%ZZ"],
      ["empty", ""],
    ])("an id %s answers 400 / 1418", async (_case, id) => {
      const reply = await call(cf, "GET", accountPath(cf, id === "" ? "//" : `/${id}`));
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([
        { code: 1418, message: "The custom CSR ID is invalid. Please check your input and try again." },
      ]);
    });

    test.each(["GET", "DELETE"])("%s of an unknown id answers 404 / 1419", async (method) => {
      const reply = await call(cf, method, accountPath(cf, "/7b163417-1d2b-4c84-a38a-2fb7a0cd7752"));
      expect(reply.status).toBe(404);
      expect(reply.body.errors).toEqual([{ code: 1419, message: "The custom CSR was not found." }]);
    });
  });
});
