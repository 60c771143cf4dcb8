/**
 * Finds PEM blocks (RFC 7468) in text in one forward pass: every search starts where the last one ended, so hostile
 * text (thousands of `-----BEGIN X-----` lines and no END) costs time linear in its length, where a lazy regular
 * expression would rescan the rest of the text from every BEGIN.
 */

/** One block: its labels as written, its body, and where it lies in the text. */
export interface PemBlock {
  readonly label: string;
  /** The END line's label; a well-formed block has the same as {@link label}. */
  readonly endLabel: string;
  /** Everything between the BEGIN and END lines, untouched. */
  readonly body: string;
  readonly start: number;
  /** Just past the END line's closing dashes. */
  readonly end: number;
}

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";
/** Labels are short upper-case words (RFC 7468, 3); a longer run is not a label. */
const MAX_LABEL = 64;
const LABEL = /^[A-Z0-9 ]+$/;

/** Reads the label that starts at `from` and ends with five dashes; `undefined` when there is none. */
function labelAt(text: string, from: number): { label: string; end: number } | undefined {
  const close = text.indexOf(DASHES, from);
  if (close < 0 || close === from || close - from > MAX_LABEL) return undefined;
  const label = text.slice(from, close);
  return LABEL.test(label) ? { label, end: close + DASHES.length } : undefined;
}

/** Every PEM block of `text`, in order, up to `limit` of them. */
export function findPemBlocks(text: string, limit = Number.POSITIVE_INFINITY): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (let at = text.indexOf(BEGIN); at >= 0 && blocks.length < limit;) {
    const begin = labelAt(text, at + BEGIN.length);
    if (begin === undefined) {
      at = text.indexOf(BEGIN, at + 1);
      continue;
    }
    const endAt = text.indexOf(END, begin.end);
    // No END after this BEGIN means none after any later one either: stop instead of searching again.
    if (endAt < 0) break;
    const end = labelAt(text, endAt + END.length);
    if (end === undefined) {
      at = text.indexOf(BEGIN, endAt + 1);
      continue;
    }
    blocks.push({
      label: begin.label,
      endLabel: end.label,
      body: text.slice(begin.end, endAt),
      start: at,
      end: end.end,
    });
    at = text.indexOf(BEGIN, end.end);
  }
  return blocks;
}
