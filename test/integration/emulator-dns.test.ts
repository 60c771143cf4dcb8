import { startEmulator, type CloudflareEmulator } from "../../src/emulator";

/** The emulator's zone and DNS-records endpoints, which ACME orders write their DNS-01 records through. */
let cf: CloudflareEmulator;
beforeAll(async () => {
  cf = await startEmulator({ zoneNames: { "2011e000000000000000000000000001": "shop.example.dev" } });
});
afterAll(() => cf.stop());

async function call(method: string, path: string, body?: unknown, token = cf.token) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const response = await fetch(`${cf.baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const envelope = (await response.json()) as {
    success: boolean;
    errors: { code: number }[];
    result: Record<string, unknown> & { id: string };
  };
  return { status: response.status, codes: envelope.errors.map((e) => e.code), result: envelope.result };
}

const records = `/zones/${"2011e000000000000000000000000001"}/dns_records`;

test("GET /zones/{id} answers the zone's name", async () => {
  expect(cf.zoneId).toBe("2011e000000000000000000000000001");
  const reply = await call("GET", `/zones/${cf.zoneId}`);
  expect(reply).toMatchObject({ status: 200, result: { id: cf.zoneId, name: "shop.example.dev" } });
});

test("a TXT record is created, listed by type and name, and deleted", async () => {
  const created = await call("POST", records, {
    type: "TXT",
    name: "_acme-challenge.WWW.shop.example.dev",
    content: "abc",
    ttl: 60,
  });
  expect(created).toMatchObject({
    status: 200,
    result: { type: "TXT", name: "_acme-challenge.www.shop.example.dev", content: "abc" },
  });
  const listed = await call("GET", `${records}?type=TXT&name=_acme-challenge.www.shop.example.dev`);
  expect(listed.result).toEqual([expect.objectContaining({ id: created.result.id })]);
  expect(cf.listDnsRecords(cf.zoneId)).toHaveLength(1);
  expect(await call("DELETE", `${records}/${created.result.id}`)).toMatchObject({ status: 200 });
  expect(cf.listDnsRecords(cf.zoneId)).toEqual([]);
});

test.each([
  ["a record type other than TXT", { type: "A", name: "www.shop.example.dev", content: "192.0.2.1" }],
  ["a name outside the zone", { type: "TXT", name: "_acme-challenge.www.other.dev", content: "abc" }],
  ["no content", { type: "TXT", name: "_acme-challenge.shop.example.dev", content: "" }],
])("refuses %s with 400 / 1004", async (_what, body) => {
  expect(await call("POST", records, body)).toMatchObject({ status: 400, codes: [1004] });
  expect(cf.listDnsRecords(cf.zoneId)).toEqual([]);
});

test("deleting a record that does not exist answers 404 / 81044; a wrong token 401; an unknown zone 403", async () => {
  expect(await call("DELETE", `${records}/0123`)).toMatchObject({ status: 404, codes: [81044] });
  expect(await call("GET", `/zones/${cf.zoneId}`, undefined, "wrong-token")).toMatchObject({
    status: 401,
    codes: [10000],
  });
  expect(await call("GET", `/zones/${"f".repeat(32)}`)).toMatchObject({ status: 403, codes: [10000] });
  expect(await call("PUT", `/zones/${cf.zoneId}`)).toMatchObject({ status: 405 });
});
