import { startEmulator, type CloudflareEmulator } from "../../../src/emulator";
import { accountPath, call, codesOf, input, zonePath } from "../../support/emulator-http";

/** The codes of Cloudflare's published schema and status-code page that only some requests meet. */
describe("Cloudflare Custom CSRs emulator: documented codes", () => {
  let cf: CloudflareEmulator;

  beforeAll(async () => {
    cf = await startEmulator({ maxBodyBytes: 4096 });
  });
  afterAll(() => cf.stop());

  test("an empty zone id answers 400 / 1401 'Zone ID is required.'", async () => {
    const reply = await call(cf, "GET", "/zones//custom_csrs");
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toEqual([
      { code: 1401, message: "Zone ID is required. Please check your input and try again." },
    ]);
  });

  test.each([
    ["no-quota", 1403, /No quota has been allocated/],
    ["not-granted", 1404, /Access to generating CSRs has not been granted/],
  ] as const)(
    "an account or zone restricted as %s answers 403 / %d until lifted",
    async (restriction, code, message) => {
      const scope = { zoneId: cf.zoneId };
      cf.restrictCsrAccess(scope, restriction);
      try {
        for (const [method, path] of [
          ["GET", zonePath(cf)],
          ["POST", zonePath(cf)],
          ["GET", zonePath(cf, "/7b163417-1d2b-4c84-a38a-2fb7a0cd7752")],
        ] as const) {
          const reply = await call(cf, method, path, method === "POST" ? { body: input() } : {});
          expect(reply.status).toBe(403);
          expect(codesOf(reply)).toEqual([code]);
          expect(reply.body.errors[0].message).toMatch(message);
        }
        expect((await call(cf, "GET", accountPath(cf))).status).toBe(200);
      } finally {
        cf.restrictCsrAccess(scope, undefined);
      }
      expect((await call(cf, "GET", zonePath(cf))).status).toBe(200);
    },
  );

  test("deleting a CSR an active certificate uses answers 409 / 1420; once the certificate expires it goes", async () => {
    const csr = await cf.createCsr({ zoneId: cf.zoneId }, input());
    const certificate = cf.addCertificate(cf.zoneId, {
      kind: "custom_ssl",
      hosts: ["app.acme.dev"],
      custom_csr_id: csr.id,
      status: "active",
    });
    const refused = await call(cf, "DELETE", zonePath(cf, `/${csr.id}`));
    expect(refused.status).toBe(409);
    expect(codesOf(refused)).toEqual([1420]);
    expect(cf.getCsr({ zoneId: cf.zoneId }, csr.id)).toBeDefined();

    cf.updateCertificate(cf.zoneId, certificate.id as string, { status: "expired" });
    expect((await call(cf, "DELETE", zonePath(cf, `/${csr.id}`))).status).toBe(200);
    expect(cf.getCsr({ zoneId: cf.zoneId }, csr.id)).toBeUndefined();
  });

  test("a body over the emulator's limit answers 413 with its own code (1422), not Cloudflare's 1401", async () => {
    const reply = await call(cf, "POST", accountPath(cf), { body: { ...input(), description: "x".repeat(5000) } });
    expect(reply.status).toBe(413);
    expect(codesOf(reply)).toEqual([1422]);
  });
});
