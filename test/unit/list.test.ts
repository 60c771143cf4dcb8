import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { InvalidCustomCsrArgsError } from "../../src/errors";
import { matchesFilter, parseListArgs } from "../../src/lookup/list";

const record: ApiCustomCsr = {
  id: "a",
  created_at: "2026-01-01T00:00:00Z",
  key_type: "rsa2048",
  name: "web",
  common_name: "www.example.dev",
  sans: ["www.example.dev", "Example.DEV."],
};
const bare: ApiCustomCsr = { id: "b", created_at: "2026-01-01T00:00:00Z", key_type: "p256v1" };

describe("matchesFilter", () => {
  it("selects everything with no filter, even a record without optional fields", () => {
    expect(matchesFilter(record, {})).toBe(true);
    expect(matchesFilter(bare, {})).toBe(true);
  });

  it.each([
    [{ san: "example.dev" }, true],
    [{ san: "EXAMPLE.dev." }, true],
    [{ san: "www.example.dev." }, true],
    [{ san: "api.example.dev" }, false],
    [{ san: "*.example.dev" }, false],
    [{ name: "web" }, true],
    [{ name: "Web" }, false],
    [{ commonName: "www.example.dev" }, true],
    [{ commonName: "www.example.dev." }, false],
    [{ name: "web", san: "example.dev", commonName: "www.example.dev" }, true],
    [{ name: "web", san: "other.dev" }, false],
  ])("%j -> %s", (filter, expected) => {
    expect(matchesFilter(record, filter)).toBe(expected);
  });

  it("a record without name, common name or SANs matches no filter on them", () => {
    for (const filter of [{ name: "web" }, { commonName: "x" }, { san: "x.dev" }])
      expect(matchesFilter(bare, filter)).toBe(false);
  });
});

describe("parseListArgs", () => {
  it("returns the scope and only the filters given", () => {
    expect(parseListArgs({ zoneId: "0123", san: "x.dev", name: undefined })).toEqual({
      scope: { zoneId: "0123" },
      filter: { san: "x.dev" },
    });
  });

  it("reports scope and filter problems together", () => {
    try {
      parseListArgs({ name: [], san: "a\tb" });
      throw new Error("expected a rejection");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
      expect((error as InvalidCustomCsrArgsError).problems.map((p) => p.field)).toEqual(["accountId", "name", "san"]);
    }
  });

  it("refuses arguments that are not an object", () => {
    expect(() => parseListArgs("0123")).toThrow(/expected an object/);
  });
});
