import {
  checkCustomCsr,
  checkCustomCsrPage,
  checkEnvelope,
  MAX_LIST_PAGES,
  type Checked,
} from "../../src/cloudflare/response";

const PEM = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

function wireCsr(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752",
    created_at: "2025-01-02T03:04:05Z",
    key_type: "rsa2048",
    account_tag: "023e105f4ecef8ad9ca31a8372d0c353",
    common_name: "www.example.com",
    country: "US",
    csr: PEM,
    description: "edge cert",
    locality: "San Francisco",
    name: "web",
    organization: "Example",
    organizational_unit: "Web",
    sans: ["www.example.com", "example.com"],
    state: "California",
    ...overrides,
  };
}

function problemsOf<T>(checked: Checked<T>): string[] {
  if (checked.ok) throw new Error("expected the check to fail");
  return checked.problems;
}

function valueOf<T>(checked: Checked<T>): T {
  if (!checked.ok) throw new Error(`expected the check to pass: ${checked.problems.join("; ")}`);
  return checked.value;
}

describe("checkEnvelope", () => {
  it("accepts a success envelope and passes result and result_info through unchecked", () => {
    const info = { page: 1 };
    const value = valueOf(
      checkEnvelope({ success: true, errors: [], messages: [], result: { id: "x" }, result_info: info }),
    );
    expect(value).toEqual({ success: true, errors: [], result: { id: "x" }, resultInfo: info });
  });

  it("accepts a failure envelope and normalizes its errors", () => {
    const value = valueOf(
      checkEnvelope({ success: false, errors: [{ code: 1419, message: "Not found" }], messages: [], result: null }),
    );
    expect(value.success).toBe(false);
    expect(value.errors).toEqual([{ code: 1419, message: "Not found" }]);
    expect(value.result).toBeNull();
  });

  it.each([
    ["null", null],
    ["an array", [{ success: true }]],
    ["a string", "<html>bad gateway</html>"],
    ["a number", 42],
  ])("refuses a body that is %s", (_label, body) => {
    expect(problemsOf(checkEnvelope(body))).toEqual(["the body is not a JSON object"]);
  });

  it("refuses an object whose success is missing or not a boolean", () => {
    expect(problemsOf(checkEnvelope({ result: {} }))).toEqual(["`success` is missing or not a boolean"]);
    expect(problemsOf(checkEnvelope({ success: "true", result: {} }))).toEqual([
      "`success` is missing or not a boolean",
    ]);
  });

  it("treats missing or non-array errors as no errors and drops entries that are not objects", () => {
    expect(valueOf(checkEnvelope({ success: false })).errors).toEqual([]);
    expect(valueOf(checkEnvelope({ success: false, errors: "boom" })).errors).toEqual([]);
    expect(
      valueOf(checkEnvelope({ success: false, errors: ["boom", null, { code: 1, message: "one" }] })).errors,
    ).toEqual([{ code: 1, message: "one" }]);
  });

  it("coerces numeric-string codes and replaces unusable codes and messages", () => {
    const errors = valueOf(
      checkEnvelope({
        success: false,
        errors: [{ code: "7003", message: "No route" }, { code: "nope", message: 5 }, {}],
      }),
    ).errors;
    expect(errors).toEqual([
      { code: 7003, message: "No route" },
      { code: 0, message: "5" },
      { code: 0, message: "" },
    ]);
  });

  it("keeps a nested error_chain and omits an empty one", () => {
    const errors = valueOf(
      checkEnvelope({
        success: false,
        errors: [
          {
            code: 6003,
            message: "Invalid request headers",
            error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }],
          },
          { code: 9999, message: "x", error_chain: [] },
        ],
      }),
    ).errors;
    expect(errors[0]).toEqual({
      code: 6003,
      message: "Invalid request headers",
      error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }],
    });
    expect(errors[1]).not.toHaveProperty("error_chain");
  });
});

describe("checkCustomCsr", () => {
  it("accepts a complete custom CSR unchanged", () => {
    expect(valueOf(checkCustomCsr(wireCsr()))).toEqual(wireCsr());
  });

  it("copies the sans list instead of sharing it", () => {
    const wire = wireCsr();
    const value = valueOf(checkCustomCsr(wire));
    expect(value.sans).toEqual(wire.sans);
    expect(value.sans).not.toBe(wire.sans);
  });

  it("drops fields the API does not define", () => {
    expect(valueOf(checkCustomCsr(wireCsr({ private_key: "-----BEGIN PRIVATE KEY-----" })))).not.toHaveProperty(
      "private_key",
    );
  });

  it("drops null optional fields so they read as absent", () => {
    const value = valueOf(checkCustomCsr(wireCsr({ description: null, sans: null, organizational_unit: null })));
    expect(value).not.toHaveProperty("description");
    expect(value).not.toHaveProperty("sans");
    expect(value).not.toHaveProperty("organizational_unit");
    expect(value.common_name).toBe("www.example.com");
  });

  it("accepts a record with only the required fields and adds no defaults", () => {
    const value = valueOf(checkCustomCsr({ id: "abc", created_at: "2025-01-01T00:00:00Z", key_type: "p256v1" }));
    expect(Object.keys(value).sort()).toEqual(["created_at", "id", "key_type"]);
  });

  it.each(["id", "created_at", "key_type"])("reports a missing, empty or non-string required %s", (field) => {
    const expected = [`\`${field}\` is missing or not a non-empty string`];
    expect(problemsOf(checkCustomCsr(wireCsr({ [field]: undefined })))).toEqual(expected);
    expect(problemsOf(checkCustomCsr(wireCsr({ [field]: "" })))).toEqual(expected);
    expect(problemsOf(checkCustomCsr(wireCsr({ [field]: 12 })))).toEqual(expected);
    expect(problemsOf(checkCustomCsr(wireCsr({ [field]: null })))).toEqual(expected);
  });

  it("reports every wrongly typed field, not just the first", () => {
    const problems = problemsOf(
      checkCustomCsr(wireCsr({ id: 5, common_name: 7, csr: { pem: "x" }, country: true, sans: "a.example" })),
    );
    expect(problems).toEqual([
      "`id` is missing or not a non-empty string",
      "`common_name` is not a string",
      "`country` is not a string",
      "`csr` is not a string",
      "`sans` is not a list of strings",
    ]);
  });

  it("reports a sans list holding something other than strings", () => {
    expect(problemsOf(checkCustomCsr(wireCsr({ sans: ["a.example", 3] })))).toEqual([
      "`sans` is not a list of strings",
    ]);
  });

  it("reports implausibly long strings with their length", () => {
    const huge = "x".repeat(64 * 1024 + 1);
    expect(problemsOf(checkCustomCsr(wireCsr({ csr: huge })))).toEqual([
      `\`csr\` is implausibly long (${huge.length} characters)`,
    ]);
    expect(problemsOf(checkCustomCsr(wireCsr({ id: huge })))).toEqual([
      `\`id\` is implausibly long (${huge.length} characters)`,
    ]);
    expect(problemsOf(checkCustomCsr(wireCsr({ sans: [huge] })))).toEqual([
      `\`sans\` holds a ${huge.length}-character entry, longer than the 255 Cloudflare allows`,
    ]);
  });

  it("accepts a string at the length limit", () => {
    const atLimit = "x".repeat(64 * 1024);
    expect(valueOf(checkCustomCsr(wireCsr({ description: atLimit }))).description).toBe(atLimit);
  });

  it("reports more SANs than Cloudflare's 150, and accepts 150 of 255 characters", () => {
    const sans = Array.from({ length: 151 }, (_, i) => `h${i}.example.com`);
    expect(problemsOf(checkCustomCsr(wireCsr({ sans })))).toEqual([
      "`sans` has 151 entries, more than the 150 Cloudflare allows per custom CSR",
    ]);
    expect(valueOf(checkCustomCsr(wireCsr({ sans: sans.slice(0, 150) }))).sans).toHaveLength(150);
    const longest = `${"a".repeat(243)}.example.com`;
    expect(valueOf(checkCustomCsr(wireCsr({ sans: [longest] }))).sans).toEqual([longest]);
  });

  it.each([
    ["null", null],
    ["an array", [wireCsr()]],
    ["a string", "csr"],
  ])("reports a result that is %s", (_label, value) => {
    expect(problemsOf(checkCustomCsr(value))).toEqual(["`result` is not an object"]);
  });
});

describe("checkCustomCsrPage", () => {
  const info = { page: 1, per_page: 50, count: 2, total_count: 2 };

  it("accepts a page of custom CSRs with its result_info", () => {
    const value = valueOf(checkCustomCsrPage([wireCsr(), wireCsr({ id: "second" })], { ...info, total_pages: 1 }));
    expect(value.items.map((i) => i.id)).toEqual(["7b163417-1d2b-4c84-a38a-2fb7a0cd7752", "second"]);
    expect(value.info).toEqual({ ...info, total_pages: 1 });
  });

  it("omits total_pages when the API does not give a whole number for it", () => {
    expect(valueOf(checkCustomCsrPage([], { ...info, count: 0 })).info).not.toHaveProperty("total_pages");
    expect(valueOf(checkCustomCsrPage([], { ...info, count: 0, total_pages: "1" })).info).not.toHaveProperty(
      "total_pages",
    );
  });

  it("drops result_info fields the API does not define", () => {
    expect(valueOf(checkCustomCsrPage([], { ...info, cursor: "abc" })).info).not.toHaveProperty("cursor");
  });

  it("reports a result that is not a list", () => {
    expect(problemsOf(checkCustomCsrPage({ id: "x" }, info))).toEqual(["`result` is not a list"]);
  });

  it("keeps the usable items and describes each unusable one with its index", () => {
    const page = valueOf(checkCustomCsrPage([wireCsr(), wireCsr({ id: "" }), "junk"], info));
    expect(page.items.map((i) => i.id)).toEqual(["7b163417-1d2b-4c84-a38a-2fb7a0cd7752"]);
    expect(page.invalid).toEqual([
      "item 1: `id` is missing or not a non-empty string",
      "item 2: `result` is not an object",
    ]);
  });

  it("reports a missing result_info", () => {
    expect(problemsOf(checkCustomCsrPage([], undefined))).toEqual(["`result_info` is missing"]);
    expect(problemsOf(checkCustomCsrPage([], [info]))).toEqual(["`result_info` is missing"]);
  });

  it("reports every result_info field that is not a non-negative integer", () => {
    const problems = problemsOf(checkCustomCsrPage([], { page: 0, per_page: -1, count: 1.5, total_count: "2" }));
    expect(problems).toEqual([
      "`result_info.per_page` is not a non-negative integer",
      "`result_info.count` is not a non-negative integer",
      "`result_info.total_count` is not a non-negative integer",
    ]);
  });

  it("reports every result_info problem", () => {
    expect(problemsOf(checkCustomCsrPage([null], {}))).toHaveLength(4);
  });

  it("derives the page count from total_pages, else from total_count and per_page", () => {
    expect(valueOf(checkCustomCsrPage([], { ...info, total_pages: 7 })).pages).toBe(7);
    expect(valueOf(checkCustomCsrPage([], { ...info, total_count: 101 })).pages).toBe(3);
    expect(valueOf(checkCustomCsrPage([], { ...info, per_page: 0, total_count: 0 })).pages).toBe(0);
  });

  it.each([
    [{ total_pages: MAX_LIST_PAGES + 1 }, `claims ${MAX_LIST_PAGES + 1} pages, more than the ${MAX_LIST_PAGES}`],
    [{ total_pages: 4294967295 }, "claims 4294967295 pages"],
    [{ total_count: 50 * MAX_LIST_PAGES + 1 }, `claims ${MAX_LIST_PAGES + 1} pages`],
    [{ per_page: 0, total_count: 5 }, "claims Infinity pages"],
    [{ page: MAX_LIST_PAGES + 1 }, `\`result_info.page\` is ${MAX_LIST_PAGES + 1}, beyond the ${MAX_LIST_PAGES} pages`],
    [{ per_page: 1_000_000 }, "`result_info.per_page` is 1000000, more than 1000"],
  ])("refuses paging numbers beyond the documented ceiling: %j", (claims, problem) => {
    expect(problemsOf(checkCustomCsrPage([], { ...info, ...claims })).join("; ")).toContain(problem);
  });

  it("refuses numbers that are integers but not safe ones, and ignores an unsafe total_pages", () => {
    const problems = problemsOf(checkCustomCsrPage([], { ...info, total_count: 1e300 }));
    expect(problems).toEqual(["`result_info.total_count` is not a non-negative integer"]);
    expect(valueOf(checkCustomCsrPage([], { ...info, total_pages: 1e300 })).info).not.toHaveProperty("total_pages");
  });
});
