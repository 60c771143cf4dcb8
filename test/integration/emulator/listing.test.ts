import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import { ErrorCodes, startEmulator, type CloudflareEmulator } from "../../../src/emulator";

import { input, Reply, call, codesOf, publicKeyOf } from "../../support/emulator-http";

describe("Cloudflare Custom CSRs emulator", () => {
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

    test("defaults to page 1 of 50 for an account (20 for a zone), oldest first", async () => {
      const reply = await call<ApiCustomCsr[]>(paged, "GET", listPath(""));
      expect(reply.body.result_info).toEqual({ page: 1, per_page: 50, count: 12, total_count: 12, total_pages: 1 });
      const zone = await call<ApiCustomCsr[]>(paged, "GET", `/zones/${paged.zoneId}/custom_csrs`);
      expect(zone.body.result_info).toMatchObject({ page: 1, per_page: 20 });
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

    test("a zone's list is oldest first whatever order and direction say (the schema has them on accounts only)", async () => {
      const own = await startEmulator({ keyPoolSize: 1 });
      try {
        const zone = { zoneId: own.zoneId };
        const made = [await own.createCsr(zone, input({ name: "b" })), await own.createCsr(zone, input({ name: "a" }))];
        const path = `/zones/${own.zoneId}/custom_csrs?order=name&direction=desc`;
        const reply = await call<ApiCustomCsr[]>(own, "GET", path);
        expect(reply.status).toBe(200);
        expect((reply.body.result as ApiCustomCsr[]).map((csr) => csr.id)).toEqual(made.map((csr) => csr.id));
      } finally {
        await own.stop();
      }
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
});
