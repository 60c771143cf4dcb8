import { CloudflareClient } from "../../src/cloudflare/client";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { startEmulator, type CloudflareEmulator } from "../../src/emulator";
import { CustomCsrNotFoundError } from "../../src/errors";
import { LookupSession } from "../../src/lookup/session";
import { resultFromRecord } from "../../src/lookup/record-result";
import type { CustomCsrResult } from "../../src/public-types";
import { MARKER_TOKEN } from "../support/emulator";

jest.setTimeout(60_000);

let emulator: CloudflareEmulator;
/** 120 CSRs in one account: three list pages of 50, 50 and 20, in creation order. */
let csrs: ApiCustomCsr[];

beforeAll(async () => {
  emulator = await startEmulator({ tokens: [MARKER_TOKEN], keyPoolSize: 2 });
  csrs = await emulator.seedMany(
    { accountId: emulator.accountId },
    Array.from({ length: 120 }, (_, i) => ({
      common_name: `h${i}.acme.dev`,
      sans: [`h${i}.acme.dev`],
      country: "US",
      state: "CA",
      locality: "SF",
      organization: "Batch",
      key_type: (i % 2 ? "p256v1" : "rsa2048") as "p256v1" | "rsa2048",
    })),
  );
});
afterAll(() => emulator.stop());
beforeEach(() => emulator.clearRequests());

const config = () => ({
  baseUrl: emulator.baseUrl,
  credentials: { scheme: "api-token" as const, token: MARKER_TOKEN },
});

/** Looks up the given ids concurrently through a fresh session and returns the results and what was sent. */
async function lookUp(
  ids: string[],
  batching = true,
): Promise<{ results: CustomCsrResult[]; gets: number; lists: number }> {
  const session = new LookupSession({ resultTtlMs: 0, batching });
  const results = await Promise.all(
    ids.map((customCsrId) => session.lookup({ customCsrId, scope: { accountId: emulator.accountId } }, config())),
  );
  const paths = emulator.requests.map((r) => r.path);
  return {
    results,
    gets: paths.filter((p) => /custom_csrs\/.+/.test(p)).length,
    lists: paths.filter((p) => p.endsWith("/custom_csrs")).length,
  };
}

const ids = (indexes: number[]) => indexes.map((i) => csrs[i].id);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("list batching", () => {
  it("returns exactly what the GET path returns, verification included", async () => {
    const wanted = ids([0, 1, 75, 119]);
    const { results, lists } = await lookUp(wanted);
    expect(lists).toBeGreaterThan(0);
    const client = new CloudflareClient(config());
    const scope = { accountId: emulator.accountId };
    const viaGet = await Promise.all(
      wanted.map(async (customCsrId) =>
        resultFromRecord(customCsrId, scope, await client.getCustomCsr(scope, customCsrId)),
      ),
    );
    expect(results).toEqual(viaGet);
  });

  // Where the switch-over lies. A list page answers up to 50 ids for one request, and page 1 also tells how
  // many pages there are. So: one lookup is a GET; two or more concurrent lookups of a scope start with page 1;
  // after it, the remaining pages are fetched only when they are fewer than the ids still unanswered, else
  // each of those gets a GET. The cost is never more than one request above GETs alone (page 1 wasted), and
  // falls to ceil(N / 50) when many CSRs of the scope are wanted at once.
  it.each([
    // [what, indexes looked up, expected GETs, expected list pages]
    ["one lookup: a plain GET", [5], 1, 0],
    ["two lookups both on page 1: one list request", [3, 40], 0, 1],
    ["two lookups off page 1: page 1 is wasted, then GETs (2 pages left >= 2 unanswered)", [60, 110], 2, 1],
    ["three lookups off page 1: the remaining 2 pages beat 3 GETs", [60, 90, 110], 0, 3],
    ["all 120: 3 list requests instead of 120 GETs", range(0, 120), 0, 3],
  ])("%s", async (_what, indexes, gets, lists) => {
    const counted = await lookUp(ids(indexes as number[]));
    expect(counted.results.map((r) => r.customCsrId)).toEqual(ids(indexes as number[]));
    expect({ gets: counted.gets, lists: counted.lists }).toEqual({ gets, lists });
  });

  it("a lone lookup sends its GET at once, without waiting for the next turn of the event loop", async () => {
    const session = new LookupSession({ resultTtlMs: 0 });
    const scope = { accountId: emulator.accountId };
    const getSpy = jest.spyOn(CloudflareClient.prototype, "getCustomCsr");
    try {
      const lookup = session.lookup({ customCsrId: csrs[3].id, scope }, config());
      let turnEnded = false;
      setImmediate(() => (turnEnded = true));
      for (let tick = 0; tick < 10 && getSpy.mock.calls.length === 0; tick++) await Promise.resolve();
      expect(getSpy).toHaveBeenCalledTimes(1);
      expect(turnEnded).toBe(false);
      expect((await lookup).customCsrId).toBe(csrs[3].id);
    } finally {
      getSpy.mockRestore();
    }
  });

  it("lookups arriving one by one within a turn: the first goes alone, the rest still share a list page", async () => {
    const session = new LookupSession({ resultTtlMs: 0 });
    const scope = { accountId: emulator.accountId };
    const lookups: Promise<CustomCsrResult>[] = [];
    for (const index of [10, 11, 12, 13]) {
      lookups.push(session.lookup({ customCsrId: csrs[index].id, scope }, config()));
      await Promise.resolve(); // the next one arrives in a later microtask, as resolving Outputs do
      await Promise.resolve();
    }
    expect((await Promise.all(lookups)).map((r) => r.customCsrId)).toEqual(ids([10, 11, 12, 13]));
    const paths = emulator.requests.map((r) => r.path);
    expect(paths.filter((p) => /custom_csrs\/.+/.test(p))).toHaveLength(1);
    expect(paths.filter((p) => p.endsWith("/custom_csrs"))).toHaveLength(1);
  });

  it("sends one GET per lookup when batching is off", async () => {
    const counted = await lookUp(ids(range(0, 30)), false);
    expect({ gets: counted.gets, lists: counted.lists }).toEqual({ gets: 30, lists: 0 });
  });

  it("falls back to GET for an id the list does not hold, which gives the definitive not-found", async () => {
    const session = new LookupSession({ resultTtlMs: 0 });
    const [found, missing] = await Promise.allSettled([
      session.lookup({ customCsrId: csrs[0].id, scope: { accountId: emulator.accountId } }, config()),
      session.lookup({ customCsrId: "not-a-real-csr", scope: { accountId: emulator.accountId } }, config()),
    ]);
    expect(found.status).toBe("fulfilled");
    expect(missing.status === "rejected" && missing.reason).toBeInstanceOf(CustomCsrNotFoundError);
  });

  it("falls back to GETs when the list request fails", async () => {
    emulator.injectFault(
      {
        kind: "response",
        status: 403,
        body: {
          success: false,
          errors: [{ code: 10000, message: "Authentication error" }],
          messages: [],
          result: null,
        },
      },
      { method: "GET", pathIncludes: "/custom_csrs" },
    );
    const counted = await lookUp(ids([1, 2, 3]));
    expect(counted.results).toHaveLength(3);
    expect(counted.gets).toBe(3);
  });

  it("skips a malformed list item and fetches that CSR with a GET", async () => {
    const page = {
      success: true,
      errors: [],
      messages: [],
      result: [{ ...csrs[0], key_type: 42 }, csrs[1]],
      result_info: { page: 1, per_page: 50, count: 2, total_count: 2, total_pages: 1 },
    };
    emulator.injectFault({ kind: "response", status: 200, body: page }, { pathIncludes: "/custom_csrs" });
    const counted = await lookUp(ids([0, 1]));
    expect(counted.results.map((r) => r.keyType)).toEqual(["rsa2048", "p256v1"]);
    expect({ gets: counted.gets, lists: counted.lists }).toEqual({ gets: 1, lists: 1 });
  });

  it("with a result TTL, serves later lookups of the scope from the pages already fetched", async () => {
    const session = new LookupSession({ resultTtlMs: 60_000 });
    await Promise.all(
      ids([0, 1]).map((customCsrId) =>
        session.lookup({ customCsrId, scope: { accountId: emulator.accountId } }, config()),
      ),
    );
    const before = emulator.requests.length;
    const later = await session.lookup(
      { customCsrId: csrs[49].id, scope: { accountId: emulator.accountId } },
      config(),
    );
    expect(later.customCsrId).toBe(csrs[49].id);
    expect(emulator.requests.length).toBe(before);
  });

  it("in a provider process, one-at-a-time lookups (as the engine checks them) cost one GET plus the scope's pages", async () => {
    const session = new LookupSession({ resultTtlMs: 60_000 });
    for (const csr of csrs) {
      const result = await session.lookup({ customCsrId: csr.id, scope: { accountId: emulator.accountId } }, config());
      expect(result.pem).toBe(csr.csr);
    }
    const paths = emulator.requests.map((r) => r.path);
    // 1: a GET (the first lookup says nothing about demand); 2: page 1 answers it and the next 48;
    // the first lookup beyond page 1 fetches pages 2 and 3, which answer the rest.
    expect({
      gets: paths.filter((p) => /custom_csrs\/.+/.test(p)).length,
      lists: paths.filter((p) => p.endsWith("/custom_csrs")).length,
    }).toEqual({ gets: 1, lists: 3 });
  });
});
