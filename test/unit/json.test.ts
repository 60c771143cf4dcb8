import { canonicalJson, isRecord, nonBlank } from "../../src/json";

describe("canonicalJson", () => {
  it("sorts object keys at every depth", () => {
    const text = canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: "x" } });
    expect(text).toBe('{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
  });

  // The provider's rule, which `custom-csr drift` now shares: an absent member and an undefined or null one say the
  // same thing (the drift report used to tell them apart, so it could name a change the provider did not see).
  it("leaves out undefined and null members, so they equal an absent one", () => {
    expect(canonicalJson({ a: 1, b: undefined, c: null })).toBe('{"a":1}');
    expect(canonicalJson({ x: { a: 1, b: undefined } })).toBe(canonicalJson({ x: { a: 1 } }));
  });

  it("writes null for an undefined or null value outside an object", () => {
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson([null, undefined, "s"])).toBe('[null,null,"s"]');
  });
});

describe("isRecord", () => {
  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ["{}", false],
    [1, false],
  ])("isRecord(%p) is %p", (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });
});

describe("nonBlank", () => {
  it("trims the text, and makes blank or missing text undefined", () => {
    expect(nonBlank("  token \n")).toBe("token");
    expect(nonBlank(" \t")).toBeUndefined();
    expect(nonBlank(undefined)).toBeUndefined();
  });

  it("treats a value that is not a string (a JavaScript caller's mistake) as unset rather than throwing", () => {
    expect(nonBlank(42 as unknown as string)).toBeUndefined();
  });
});
