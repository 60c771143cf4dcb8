import fc from "fast-check";
import { findPemBlocks, isBase64Body } from "../../src/csr/pem";

/** The rule as a regular expression: whitespace (JavaScript's `\s`) removed, letters, at most two `=`, length 4n. */
function reference(body: string): boolean {
  const text = body.replace(/\s+/g, "");
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0;
}

describe("isBase64Body", () => {
  /** Characters near every edge of the rule: letters, padding, ASCII and Unicode whitespace, neighbours of both. */
  const character = fc.constantFrom(
    ..."AZaz09+/=",
    ..." \t\n\v\f\r",
    "\u00a0",
    "\u2028",
    "\ufeff",
    "\u3000",
    ..."-_.!",
    "\u0000",
    "\u007f",
    "\u0080",
    "\u00e9",
    "\ud800",
  );

  it("agrees with the regular expression it replaces", () => {
    fc.assert(
      fc.property(fc.array(character, { maxLength: 16 }), (chars) => {
        const body = chars.join("");
        expect(isBase64Body(body)).toBe(reference(body));
      }),
      { numRuns: 20_000 },
    );
  });

  it("accepts bodies with padding and whitespace anywhere, and refuses misplaced padding", () => {
    expect(isBase64Body("QU\nJD\r\n")).toBe(true);
    expect(isBase64Body("QU =\n=")).toBe(true);
    expect(isBase64Body("QUJDRA==\u00a0")).toBe(true);
    expect(isBase64Body("QU==QUJD")).toBe(false);
    expect(isBase64Body("QUJDR===")).toBe(false);
    expect(isBase64Body(" \n")).toBe(false);
  });
});

describe("findPemBlocks", () => {
  it("finds each block with its labels and body", () => {
    const text = "-----BEGIN A-----\nQUJD\n-----END A-----\nx\n-----BEGIN B-----\nRA==\n-----END C-----";
    expect(findPemBlocks(text).map(({ label, endLabel, body }) => [label, endLabel, body])).toEqual([
      ["A", "A", "\nQUJD\n"],
      ["B", "C", "\nRA==\n"],
    ]);
  });
});
