import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiCustomCsr, ApiEnvelope } from "../../src/cloudflare/types";
import { decodeCsrPem } from "../../src/csr";
import {
  ADMIN_PATH,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_EMULATOR_API_KEY,
  DEFAULT_EMULATOR_EMAIL,
  DEFAULT_EMULATOR_TOKEN,
  DEFAULT_ZONE_ID,
  EmulatorCsrNotFoundError,
  EmulatorInputError,
  EmulatorOptionError,
  ErrorCodes,
  SeedFileError,
  loadSeedFile,
  startEmulator,
  type CloudflareEmulator,
  type CreateCsrInput,
  type CsrScope,
  type RecordedRequest,
} from "../../src/emulator";

const OTHER_ACCOUNT = "acc00000000000000000000000000002";
const UNKNOWN_ACCOUNT = "0123456789abcdef0123456789abcdef";
const CSR_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const input = (overrides: Partial<CreateCsrInput> = {}): CreateCsrInput => ({
  common_name: "app.acme.dev",
  sans: ["app.acme.dev", "www.acme.dev"],
  country: "US",
  state: "California",
  locality: "San Francisco",
  organization: "Acme, Inc.",
  key_type: "p256v1",
  ...overrides,
});

type Auth = "token" | "key" | "both" | "none" | Record<string, string>;

interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: ApiEnvelope<T>;
}

function authHeaders(cf: CloudflareEmulator, auth: Auth): Record<string, string> {
  const token = { Authorization: `Bearer ${cf.token}` };
  const key = { "X-Auth-Email": cf.email, "X-Auth-Key": cf.apiKey };
  if (auth === "token") return token;
  if (auth === "key") return key;
  if (auth === "both") return { ...token, ...key };
  if (auth === "none") return {};
  return auth;
}

async function call<T = unknown>(
  cf: CloudflareEmulator,
  method: string,
  path: string,
  options: { auth?: Auth; body?: unknown; rawBody?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = authHeaders(cf, options.auth ?? "token");
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  }
  const url = path.startsWith("http") ? path : `${cf.baseUrl}${path}`;
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as ApiEnvelope<T> };
}

const codesOf = (reply: Reply) => reply.body.errors.map((error) => error.code);
const accountPath = (cf: CloudflareEmulator, suffix = "") => `/accounts/${cf.accountId}/custom_csrs${suffix}`;
const zonePath = (cf: CloudflareEmulator, suffix = "") => `/zones/${cf.zoneId}/custom_csrs${suffix}`;

function opensslReq(pem: string): { status: number | null; subject: string; stderr: string } {
  const run = spawnSync("openssl", ["req", "-in", "-", "-noout", "-verify", "-subject"], {
    input: pem,
    encoding: "utf8",
  });
  return { status: run.status, subject: run.stdout.trim(), stderr: run.stderr };
}

/** The SANs as openssl prints them (`DNS:a, DNS:b`), as `dns:a`, `dns:b`. */
function sansOf(pem: string): string[] {
  const text = spawnSync("openssl", ["req", "-in", "-", "-noout", "-text"], { input: pem, encoding: "utf8" }).stdout;
  const line = /X509v3 Subject Alternative Name:.*\n\s*(.*)/.exec(text)?.[1] ?? "";
  return line === "" ? [] : line.split(", ").map((name) => name.replace(/^DNS:/, "dns:"));
}

/** The CSR's public key, as openssl exports it: equal keys, equal text. */
function publicKeyOf(pem: string): string {
  return spawnSync("openssl", ["req", "-in", "-", "-noout", "-pubkey"], { input: pem, encoding: "utf8" }).stdout;
}

describe("Cloudflare Custom CSRs emulator", () => {
  let cf: CloudflareEmulator;
  const account = (): CsrScope => ({ accountId: cf.accountId });
  const zone = (): CsrScope => ({ zoneId: cf.zoneId });

  beforeAll(async () => {
    cf = await startEmulator({ accounts: [DEFAULT_ACCOUNT_ID, OTHER_ACCOUNT], forbiddenTokens: ["read-less-token"] });
  });
  afterAll(() => cf.stop());
  beforeEach(() => {
    cf.clearFaults();
    cf.clearRequests();
  });

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

    test.each<[string, Auth]>([
      ["no credential", "none"],
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
        { code: 1418, message: "The custom CSR ID is invalid. Check your input and try again." },
      ]);
    });

    test.each(["GET", "DELETE"])("%s of an unknown id answers 404 / 1419", async (method) => {
      const reply = await call(cf, method, accountPath(cf, "/7b163417-1d2b-4c84-a38a-2fb7a0cd7752"));
      expect(reply.status).toBe(404);
      expect(reply.body.errors).toEqual([{ code: 1419, message: "The custom CSR was not found." }]);
    });
  });

  describe("create validation", () => {
    const post = (body: unknown, rawBody?: string) => call(cf, "POST", accountPath(cf), { body, rawBody });

    test("an empty object reports every missing field at once", async () => {
      const reply = await post({});
      expect(reply.status).toBe(400);
      expect(reply.body.result).toBeNull();
      expect(codesOf(reply)).toEqual([1405, 1406, 1407, 1408, 1409, 1411]);
      expect(reply.body.errors[0]).toEqual({
        code: 1405,
        message: "Country field is required. Check your input and try again.",
        source: { pointer: "/country" },
      });
    });

    test.each([
      ["a body that is not JSON", undefined, "{not json"],
      ["a JSON array", [], undefined],
      ["a number where a string belongs", { ...input(), state: 7 }, undefined],
      ["sans that are not strings", { ...input(), sans: [1] }, undefined],
    ])("%s answers 1400", async (_case, body, raw) => {
      const reply = await post(body, raw);
      expect(reply.status).toBe(400);
      expect(codesOf(reply)).toEqual([1400]);
    });

    test.each<[string, Partial<CreateCsrInput> | Record<string, unknown>, number[]]>([
      ["a common name longer than 64 characters", { common_name: `${"a".repeat(60)}.acme.dev` }, [1410]],
      ["no SAN", { sans: [] }, [1411]],
      ["a three-letter country", { country: "USA" }, [1405]],
      ["a whitespace-only state", { state: "  " }, [1406]],
      ["an unknown key type", { key_type: "rsa4096" as never }, [1417]],
      ["an IP address SAN", { sans: ["192.0.2.1"] }, [1412]],
      ["a SAN with a special character", { sans: ["app!.acme.dev"] }, [1412]],
      ["a SAN label ending in a hyphen", { sans: ["app-.acme.dev"] }, [1412]],
      ["a SAN of 256 characters", { sans: [`${"a.".repeat(124)}acme.dev`] }, [1412]],
      ["a non-ASCII SAN", { sans: ["bücher.acme.dev"] }, [1413]],
      ["a SAN under a reserved TLD", { sans: ["app.localhost"] }, [1414]],
      ["a single-label SAN", { sans: ["intranet"] }, [1415]],
      ["a SAN under example.com", { sans: ["www.example.com"] }, [1416]],
      ["several problems", { country: "", sans: ["ok.acme.dev", "example.org", "a b.acme.dev"] }, [1405, 1416, 1412]],
    ])("%s is rejected with the documented code", async (_case, overrides, codes) => {
      const reply = await post({ ...input(), ...overrides });
      expect(reply.status).toBe(400);
      expect(codesOf(reply)).toEqual(codes);
    });

    test("points at the offending SAN", async () => {
      const reply = await post(input({ sans: ["ok.acme.dev", "test.test"] }));
      expect(reply.body.errors[0].source).toEqual({ pointer: "/sans/1" });
    });

    test("accepts a wildcard SAN, an upper-case key type and no key type (rsa2048)", async () => {
      const wildcard = await post({ ...input({ sans: ["*.acme.dev", "acme.dev"] }), key_type: "P256V1" });
      expect(wildcard.status).toBe(201);
      expect((wildcard.body.result as ApiCustomCsr).key_type).toBe("p256v1");
      const withoutKeyType: Partial<CreateCsrInput> = input();
      delete withoutKeyType.key_type;
      const rsa = await post(withoutKeyType);
      expect(rsa.status).toBe(201);
      expect(rsa.body.result).toMatchObject({ key_type: "rsa2048" });
      expect(rsa.body.result).not.toHaveProperty("organizational_unit");
      expect(rsa.body.result).not.toHaveProperty("name");
      expect(rsa.body.result).not.toHaveProperty("description");
    });
  });

  describe("real CSRs", () => {
    test.each([
      ["rsa2048", "sha256WithRSAEncryption", "RSA-2048"],
      ["p256v1", "ecdsa-with-SHA256", "ECDSA-P256"],
    ] as const)(
      "a %s CSR verifies with openssl and the package's decoder",
      async (keyType, opensslAlgorithm, keyAlgorithm) => {
        const reply = await call<ApiCustomCsr>(cf, "POST", accountPath(cf), {
          body: input({
            key_type: keyType,
            organizational_unit: "Platform",
            sans: ["app.acme.dev", "api.acme.dev", "*.acme.dev"],
          }),
        });
        const pem = (reply.body.result as ApiCustomCsr).csr as string;

        const openssl = opensslReq(pem);
        expect(openssl.status).toBe(0);
        expect(openssl.stderr).toMatch(/verify OK/);
        expect(openssl.subject).toBe(
          'subject=C = US, ST = California, L = San Francisco, O = "Acme, Inc.", OU = Platform, CN = app.acme.dev',
        );
        const text = spawnSync("openssl", ["req", "-in", "-", "-noout", "-text"], {
          input: pem,
          encoding: "utf8",
        }).stdout;
        expect(text).toContain(`Signature Algorithm: ${opensslAlgorithm}`);
        expect(text).toContain(keyType === "rsa2048" ? "Public-Key: (2048 bit)" : "NIST CURVE: P-256");

        const decoded = await decodeCsrPem(pem);
        expect(decoded.signatureValid).toBe(true);
        expect(decoded.publicKeyAlgorithm).toBe(keyAlgorithm);
        expect(sansOf(pem)).toEqual(["dns:app.acme.dev", "dns:api.acme.dev", "dns:*.acme.dev"]);
        expect(decoded.commonNames).toEqual(["app.acme.dev"]);
      },
    );

    test("leaves OU out of the subject when none is given, and never returns a private key", async () => {
      const reply = await call<ApiCustomCsr>(cf, "POST", accountPath(cf), { body: input() });
      const pem = (reply.body.result as ApiCustomCsr).csr as string;
      expect(opensslReq(pem).subject).toBe(
        'subject=C = US, ST = California, L = San Francisco, O = "Acme, Inc.", CN = app.acme.dev',
      );
      expect(JSON.stringify(reply.body)).not.toMatch(/PRIVATE KEY/);
      const listed = await call(cf, "GET", accountPath(cf));
      expect(JSON.stringify(listed.body)).not.toMatch(/PRIVATE KEY/);
    });

    test("every CSR has its own key unless a key pool is configured", async () => {
      const [first, second] = await cf.seedMany(account(), [input(), input()]);
      expect(publicKeyOf(first.csr as string)).toMatch(/BEGIN PUBLIC KEY/);
      expect(publicKeyOf(first.csr as string)).not.toBe(publicKeyOf(second.csr as string));
    });
  });

  describe("listing", () => {
    let paged: CloudflareEmulator;
    let seeded: ApiCustomCsr[];
    const listPath = (query: string) => `/accounts/${paged.accountId}/custom_csrs${query}`;

    beforeAll(async () => {
      paged = await startEmulator({ keyPoolSize: 1 });
      seeded = await paged.seedMany(
        { accountId: paged.accountId },
        Array.from({ length: 12 }, (_, index) =>
          input({
            name: `csr-${String((index * 7) % 12).padStart(2, "0")}`,
            common_name: `host${index}.acme.dev`,
            sans: [`host${index}.acme.dev`],
          }),
        ),
      );
    });
    afterAll(() => paged.stop());

    test("pages through 12 CSRs five at a time in creation order", async () => {
      const pages = await Promise.all(
        [1, 2, 3, 4].map((page) => call<ApiCustomCsr[]>(paged, "GET", listPath(`?page=${page}&per_page=5`))),
      );
      expect(pages.map((page) => page.body.result_info)).toEqual([
        { page: 1, per_page: 5, count: 5, total_count: 12, total_pages: 3 },
        { page: 2, per_page: 5, count: 5, total_count: 12, total_pages: 3 },
        { page: 3, per_page: 5, count: 2, total_count: 12, total_pages: 3 },
        { page: 4, per_page: 5, count: 0, total_count: 12, total_pages: 3 },
      ]);
      const ids = pages.flatMap((page) => (page.body.result as ApiCustomCsr[]).map((csr) => csr.id));
      expect(ids).toEqual(seeded.map((csr) => csr.id));
    });

    test("defaults to page 1 of 20, oldest first", async () => {
      const reply = await call<ApiCustomCsr[]>(paged, "GET", listPath(""));
      expect(reply.body.result_info).toEqual({ page: 1, per_page: 20, count: 12, total_count: 12, total_pages: 1 });
      expect((reply.body.result as ApiCustomCsr[]).map((csr) => csr.id)).toEqual(
        paged.listCsrs({ accountId: paged.accountId }).map((csr) => csr.id),
      );
    });

    test("orders by name in either direction", async () => {
      const names = (reply: Reply<ApiCustomCsr[]>) => (reply.body.result as ApiCustomCsr[]).map((csr) => csr.name);
      const expected = seeded.map((csr) => csr.name as string).sort();
      expect(names(await call(paged, "GET", listPath("?order=name&per_page=50")))).toEqual(expected);
      expect(names(await call(paged, "GET", listPath("?order=name&direction=desc&per_page=50")))).toEqual(
        [...expected].reverse(),
      );
      const newestFirst = await call<ApiCustomCsr[]>(
        paged,
        "GET",
        listPath("?order=created_at&direction=desc&per_page=50"),
      );
      expect((newestFirst.body.result as ApiCustomCsr[]).map((csr) => csr.id)).toEqual(
        seeded.map((csr) => csr.id).reverse(),
      );
      const byTag = await call<ApiCustomCsr[]>(paged, "GET", listPath("?order=account_tag&per_page=50"));
      expect(byTag.body.result).toHaveLength(12);
    });

    test("a key pool reuses key pairs", () => {
      const keys = new Set(seeded.map((csr) => publicKeyOf(csr.csr as string)));
      expect([...keys][0]).toMatch(/BEGIN PUBLIC KEY/);
      expect(keys.size).toBe(1);
    });

    test.each([
      ["per_page below 5", "?per_page=4", "per_page"],
      ["per_page above 50", "?per_page=51", "per_page"],
      ["a page of 0", "?page=0", "page"],
      ["a non-numeric page", "?page=two", "page"],
      ["an unknown order", "?order=common_name", "order"],
      ["an unknown direction", "?direction=up", "direction"],
    ])("%s answers 400 / 1421", async (_case, query, parameter) => {
      const reply = await call(paged, "GET", listPath(query));
      expect(reply.status).toBe(400);
      expect(codesOf(reply)).toEqual([ErrorCodes.InvalidListParameter]);
      expect(reply.body.errors[0].message).toContain(parameter);
    });

    test("an empty scope lists nothing with zero pages", async () => {
      const reply = await call(paged, "GET", `/zones/${paged.zoneId}/custom_csrs`);
      expect(reply.body.result).toEqual([]);
      expect(reply.body.result_info).toEqual({ page: 1, per_page: 20, count: 0, total_count: 0, total_pages: 0 });
    });
  });

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

    test("answer in the API's envelope: 401 without a credential, 403 for an unknown account, 404 / 1419, 400 / 1400, 405", async () => {
      const csr = await cf.createCsr(account(), input());
      const item = `/accounts/${cf.accountId}/custom_csrs/${csr.id}`;
      expect((await admin("DELETE", item, { auth: "none" })).status).toBe(401);
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
