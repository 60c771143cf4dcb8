import { spawnSync } from "node:child_process";
import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import { decodeCsrPem } from "../../../src/csr";
import { type CloudflareEmulator, type CreateCsrInput, type CsrScope } from "../../../src/emulator";

import {
  input,
  call,
  codesOf,
  accountPath,
  opensslReq,
  sansOf,
  publicKeyOf,
  useSuiteEmulator,
} from "../../support/emulator-http";

describe("Cloudflare Custom CSRs emulator", () => {
  let cf: CloudflareEmulator;
  const account = (): CsrScope => ({ accountId: cf.accountId });

  useSuiteEmulator((emulator) => (cf = emulator));

  describe("create validation", () => {
    const post = (body: unknown, rawBody?: string) => call(cf, "POST", accountPath(cf), { body, rawBody });

    test("an empty object reports every missing field at once", async () => {
      const reply = await post({});
      expect(reply.status).toBe(400);
      expect(reply.body.result).toBeNull();
      expect(codesOf(reply)).toEqual([1405, 1406, 1407, 1408, 1409, 1411]);
      expect(reply.body.errors[0]).toEqual({
        code: 1405,
        message: "Country field is required. Please check your input and try again.",
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

    test("refuses a key type not spelled exactly as the schema's enum (RSA2048), at most 150 SANs", async () => {
      const upper = await post({ ...input(), key_type: "RSA2048" });
      expect(upper.status).toBe(400);
      expect(upper.body.errors.map((e: { code: number }) => e.code)).toEqual([1417]);
      const sans = Array.from({ length: 151 }, (_, i) => `h${i}.acme.dev`);
      const many = await post(input({ sans }));
      expect(many.status).toBe(400);
      expect(many.body.errors).toEqual([
        {
          code: 1412,
          message: "At most 150 subject alternative names (SANs) are allowed. Please check your input and try again.",
          source: { pointer: "/sans" },
        },
      ]);
      expect((await post(input({ sans: sans.slice(0, 150) }))).status).toBe(201);
    });

    test("accepts a wildcard SAN and no key type (rsa2048)", async () => {
      const wildcard = await post({ ...input({ sans: ["*.acme.dev", "acme.dev"] }), key_type: "p256v1" });
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
});
