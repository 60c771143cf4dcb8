import { escapeForTerminal, escapeJsonForTerminal } from "../../src/cli/escape";

describe("escapeForTerminal", () => {
  it.each([
    ["ESC (cursor movement, colours, titles)", "a\u001b[1Ab", "a\\x1b[1Ab"],
    ["BEL ending an OSC title", "\u001b]0;t\u0007", "\\x1b]0;t\\x07"],
    ["a newline, a CR and a tab", "a\nb\rc\td", "a\\nb\\rc\\td"],
    ["NUL and DEL", "a\u0000b\u007f", "a\\x00b\\x7f"],
    ["C1 controls (8-bit CSI, NEL)", "a\u009b2J\u0085", "a\\x9b2J\\x85"],
    ["bidi overrides and isolates", "\u202eabc\u202c \u2066x\u2069", "\\u202eabc\\u202c \\u2066x\\u2069"],
    ["bidi marks and the line separator", "\u200f\u061c\u2028", "\\u200f\\u061c\\u2028"],
  ])("shows %s visibly", (_what, text, shown) => {
    expect(escapeForTerminal(text)).toBe(shown);
  });

  it("keeps printable text as it is: Unicode, backslashes, quotes", () => {
    const text = 'Ünïcødé 名前 CN=a\\, b "q" ✓';
    expect(escapeForTerminal(text)).toBe(text);
  });

  it("is idempotent, so text escaped twice reads the same", () => {
    const once = escapeForTerminal("a\u001b\n\u202e");
    expect(escapeForTerminal(once)).toBe(once);
  });
});

describe("escapeJsonForTerminal", () => {
  it("rewrites what JSON.stringify leaves raw as \\u escapes; the parsed value is unchanged", () => {
    const value = { name: "\u202eabc\u009b\u007f\u2028", layout: ["a\nb"] };
    const json = escapeJsonForTerminal(JSON.stringify(value, null, 2));
    expect(json).not.toMatch(/[\u007f-\u009f\u202e\u2028]/);
    expect(json).toContain("\\u202eabc\\u009b\\u007f\\u2028");
    expect(JSON.parse(json)).toEqual(value);
  });
});
