import { formatFields, formatJson, formatTable, shortHex } from "../../src/cli/format";
import { PROGRESS_DELAY_MS, startProgress } from "../../src/cli/progress";
import { colorEnabled, styleFor, type OutputStream } from "../../src/cli/terminal";

/** A stream that records what is written to it. */
function capture(isTTY: boolean): OutputStream & { text: string } {
  const stream = { text: "", isTTY, write: (chunk: string) => ((stream.text += chunk), true) };
  return stream;
}

describe("colours", () => {
  it.each([
    ["a terminal", true, {}, true],
    ["a pipe", false, {}, false],
    ["a terminal with NO_COLOR=1", true, { NO_COLOR: "1" }, false],
    ["a terminal with an empty NO_COLOR (the convention says: ignore it)", true, { NO_COLOR: "" }, true],
    ["a dumb terminal", true, { TERM: "dumb" }, false],
  ])("%s: %s", (_what, isTTY, env, expected) => {
    expect(colorEnabled({ isTTY, write: () => true }, env)).toBe(expected);
  });

  it("styles are ANSI sequences when enabled and the identity otherwise", () => {
    expect(styleFor({ isTTY: true, write: () => true }, {}).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(styleFor({ isTTY: true, write: () => true }, {}).bold("x")).toBe("\u001b[1mx\u001b[22m");
    expect(styleFor({ isTTY: true, write: () => true }, { NO_COLOR: "yes" }).green("x")).toBe("x");
  });
});

describe("startProgress", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("stays silent when the operation ends within the delay", () => {
    const stream = capture(true);
    const stop = startProgress(stream, "Listing...");
    jest.advanceTimersByTime(PROGRESS_DELAY_MS - 1);
    stop();
    jest.advanceTimersByTime(5_000);
    expect(stream.text).toBe("");
  });

  it("after the delay, redraws a spinner with the elapsed time in place, and erases it when stopped", () => {
    const stream = capture(true);
    let now = 0;
    const stop = startProgress(stream, "Listing...", () => now);
    now = PROGRESS_DELAY_MS;
    jest.advanceTimersByTime(PROGRESS_DELAY_MS);
    expect(stream.text).toBe("\r\u001b[2K| Listing... 0.5 s");
    now += 1_000;
    jest.advanceTimersByTime(100);
    expect(stream.text.endsWith("\r\u001b[2K/ Listing... 1.5 s")).toBe(true);
    stop();
    stop();
    expect(stream.text.endsWith("\r\u001b[2K")).toBe(true);
    const length = stream.text.length;
    jest.advanceTimersByTime(5_000);
    expect(stream.text).toHaveLength(length);
  });

  it("never writes to a stream that is not a terminal", () => {
    const stream = capture(false);
    const stop = startProgress(stream, "Listing...");
    jest.advanceTimersByTime(5_000);
    stop();
    expect(stream.text).toBe("");
  });
});

describe("format", () => {
  it("formatTable pads columns to the widest cell and trims trailing space", () => {
    const rows = [
      { a: "1", b: "long value" },
      { a: "22222", b: "" },
    ];
    expect(
      formatTable(rows, [
        { heading: "A", value: (r) => r.a },
        { heading: "B", value: (r) => r.b },
      ]),
    ).toBe("A      B\n1      long value\n22222\n");
    expect(formatTable(rows.slice(0, 1), [{ heading: "A", value: (r) => r.a }], undefined, "  ")).toBe("  A\n  1\n");
  });

  it("formatFields aligns values and leaves out undefined ones", () => {
    expect(
      formatFields([
        ["Name", "web"],
        ["Description", undefined],
        ["Common name", "www.acme.dev"],
      ]),
    ).toBe("  Name         web\n  Common name  www.acme.dev\n");
  });

  it("shortHex and formatJson", () => {
    expect(shortHex("0123456789abcdef0123")).toBe("0123456789abcdef…");
    expect(shortHex("abc")).toBe("abc");
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
