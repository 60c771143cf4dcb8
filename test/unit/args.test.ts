import { InvalidCustomCsrArgsError } from "../../src/errors";
import { findArgumentProblems, parseLookupArgs } from "../../src/lookup/args";

const CSR_ID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";
const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const ZONE = "9A7806061C88ADA191ED06F989CC3DAC";

function fieldsOf(args: Record<string, unknown>): string[] {
  return findArgumentProblems(args).map((p) => p.field);
}

describe("findArgumentProblems: customCsrId", () => {
  it.each([CSR_ID, "a", "A-1", "x".repeat(36), "----"])("accepts %j", (customCsrId) => {
    expect(findArgumentProblems({ customCsrId, accountId: ACCOUNT })).toEqual([]);
  });

  it.each([undefined, null, ""])("requires a customCsrId (got %j)", (customCsrId) => {
    const problems = findArgumentProblems({ customCsrId, accountId: ACCOUNT });
    expect(problems).toEqual([{ field: "customCsrId", reason: expect.stringContaining("is required") }]);
  });

  it("refuses an id longer than 36 characters", () => {
    const problems = findArgumentProblems({ customCsrId: "x".repeat(37), accountId: ACCOUNT });
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe("customCsrId");
    expect(problems[0].reason).toContain("expected 1 to 36 characters");
  });

  it.each([
    ["a path separator", "../../zones/x"],
    ["a slash", "abc/def"],
    ["a backslash", "abc\\def"],
    ["an encoded dot-dot", "%2e%2e"],
    ["a query", "abc?x=1"],
    ["whitespace", "abc def"],
    ["a trailing newline", "abc\n"],
    ["an underscore", "abc_def"],
    ["unicode letters", "ünïcode"],
    ["full-width digits", "１２３"],
  ])("refuses an id with %s", (_label, customCsrId) => {
    expect(fieldsOf({ customCsrId, accountId: ACCOUNT })).toEqual(["customCsrId"]);
  });

  it.each([
    [42, "a number"],
    [true, "a boolean"],
    [["abc"], "an array"],
    [{ id: "abc" }, "object"],
  ])("refuses the non-string customCsrId %j naming its type", (customCsrId, type) => {
    const problems = findArgumentProblems({ customCsrId, accountId: ACCOUNT });
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe("customCsrId");
    expect(problems[0].reason).toContain(`must be a string, not`);
    expect(problems[0].reason).toContain(type);
  });

  it("quotes very long input shortened, with its length", () => {
    const customCsrId = "z".repeat(5000) + "/";
    const [problem] = findArgumentProblems({ customCsrId, accountId: ACCOUNT });
    expect(problem.reason).toContain(`"${"z".repeat(77)}..." (5001 characters)`);
    expect(problem.reason).not.toContain("z".repeat(78));
    expect(problem.reason.length).toBeLessThan(400);
  });

  it("quotes short input in full", () => {
    const [problem] = findArgumentProblems({ customCsrId: "bad/id", accountId: ACCOUNT });
    expect(problem.reason).toContain('"bad/id" is not a custom CSR id');
  });
});

describe("findArgumentProblems: accountId and zoneId", () => {
  it("accepts an accountId alone and a zoneId alone, in either case", () => {
    expect(findArgumentProblems({ customCsrId: CSR_ID, accountId: ACCOUNT })).toEqual([]);
    expect(findArgumentProblems({ customCsrId: CSR_ID, zoneId: ZONE })).toEqual([]);
    expect(findArgumentProblems({ customCsrId: CSR_ID, zoneId: "a" })).toEqual([]);
  });

  it("an empty or null twin counts as not given", () => {
    expect(findArgumentProblems({ customCsrId: CSR_ID, accountId: ACCOUNT, zoneId: "" })).toEqual([]);
    expect(findArgumentProblems({ customCsrId: CSR_ID, accountId: null, zoneId: ZONE })).toEqual([]);
  });

  it("both accountId and zoneId is a problem", () => {
    const problems = findArgumentProblems({ customCsrId: CSR_ID, accountId: ACCOUNT, zoneId: ZONE });
    expect(problems).toEqual([{ field: "zoneId", reason: expect.stringContaining("mutually exclusive") }]);
  });

  it("neither accountId nor zoneId is a problem", () => {
    const problems = findArgumentProblems({ customCsrId: CSR_ID });
    expect(problems).toEqual([
      { field: "accountId", reason: expect.stringContaining("one of accountId or zoneId is required") },
    ]);
  });

  it.each([
    ["longer than 32 characters", "a".repeat(33)],
    ["not hex", "example.com"],
    ["a path", "../zones"],
    ["an encoded dot-dot", "%2e%2e"],
    ["unicode", "ａｂｃ"],
    ["a trailing newline", `${ACCOUNT.slice(0, 31)}\n`],
  ])("refuses an accountId that is %s", (_label, accountId) => {
    const problems = findArgumentProblems({ customCsrId: CSR_ID, accountId });
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe("accountId");
    expect(problems[0].reason).toContain("is not a Cloudflare account id");
    expect(problems[0].reason).toContain("32 hex characters");
  });

  it("refuses a zoneId that is a zone name, saying names do not work", () => {
    const [problem] = findArgumentProblems({ customCsrId: CSR_ID, zoneId: "example.com" });
    expect(problem.field).toBe("zoneId");
    expect(problem.reason).toContain('"example.com" is not a Cloudflare zone id');
    expect(problem.reason).toContain("a name such as example.com does not work");
  });

  it("refuses non-string ids naming their type", () => {
    expect(findArgumentProblems({ customCsrId: CSR_ID, accountId: 123 })).toEqual([
      { field: "accountId", reason: "must be a string, not a number." },
    ]);
    expect(findArgumentProblems({ customCsrId: CSR_ID, zoneId: [ZONE] })).toEqual([
      { field: "zoneId", reason: "must be a string, not an array." },
    ]);
  });
});

describe("findArgumentProblems: reporting", () => {
  it("reports every problem, not just the first", () => {
    const problems = findArgumentProblems({ customCsrId: "../x", accountId: "acme", zoneId: "example.com" });
    expect(problems.map((p) => p.field)).toEqual(["customCsrId", "zoneId", "accountId", "zoneId"]);
  });

  it("reports a missing id and a missing scope together", () => {
    expect(fieldsOf({})).toEqual(["customCsrId", "accountId"]);
  });

  it("skips fields whose value is unknown, but counts an unknown scope as given", () => {
    const UNKNOWN = Symbol("unknown");
    const isUnknown = (value: unknown) => value === UNKNOWN;
    expect(findArgumentProblems({ customCsrId: UNKNOWN, accountId: UNKNOWN }, isUnknown)).toEqual([]);
    expect(findArgumentProblems({ customCsrId: CSR_ID, zoneId: UNKNOWN }, isUnknown)).toEqual([]);
    expect(findArgumentProblems({ customCsrId: UNKNOWN, accountId: "not hex" }, isUnknown).map((p) => p.field)).toEqual(
      ["accountId"],
    );
    expect(
      findArgumentProblems({ customCsrId: CSR_ID, accountId: ACCOUNT, zoneId: UNKNOWN }, isUnknown).map((p) => p.field),
    ).toEqual(["zoneId"]);
  });

  it("without a predicate, a non-string value is reported rather than skipped", () => {
    expect(fieldsOf({ customCsrId: Symbol("unknown"), accountId: ACCOUNT })).toEqual(["customCsrId"]);
  });
});

describe("parseLookupArgs", () => {
  it("returns the id and an account scope", () => {
    expect(parseLookupArgs({ customCsrId: CSR_ID, accountId: ACCOUNT })).toEqual({
      customCsrId: CSR_ID,
      scope: { accountId: ACCOUNT },
    });
  });

  it("returns a zone scope without an accountId key", () => {
    const parsed = parseLookupArgs({ customCsrId: CSR_ID, accountId: "", zoneId: ZONE });
    expect(parsed.scope).toEqual({ zoneId: ZONE });
    expect(Object.keys(parsed.scope)).toEqual(["zoneId"]);
  });

  it("throws InvalidCustomCsrArgsError listing every problem", () => {
    let caught: unknown;
    try {
      parseLookupArgs({ customCsrId: "", accountId: "xyz", zoneId: "abc" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidCustomCsrArgsError);
    const error = caught as InvalidCustomCsrArgsError;
    expect(error.problems.map((p) => p.field)).toEqual(["customCsrId", "zoneId", "accountId"]);
    expect(error.message).toContain("Invalid arguments:");
    expect(error.message).toContain("  - customCsrId: is required");
  });

  it.each([null, undefined, "csr-id", 7])("refuses %j instead of an object", (args) => {
    expect(() => parseLookupArgs(args)).toThrow(/Invalid args: expected an object/);
  });
});
