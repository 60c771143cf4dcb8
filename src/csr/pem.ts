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

/**
 * True when the body, once its whitespace is removed, is base64 letters followed by at most two `=`, a multiple of
 * four characters long. One pass over ASCII text; text with other characters is checked on a copy without its
 * whitespace (JavaScript's `\s` counts Unicode spaces too).
 */
export function isBase64Body(body: string): boolean {
  let letters = 0;
  let padding = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (code > 0x7f) return isBase64Text(body.replace(/\s+/g, ""));
    if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) continue;
    if (code === 0x3d) padding++;
    else if (padding === 0 && BASE64_LETTER[code] === 1) letters++;
    else return false;
  }
  return letters > 0 && padding <= 2 && (letters + padding) % 4 === 0;
}

function isBase64Text(text: string): boolean {
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) && text.length % 4 === 0;
}

/** 1 at the char codes of base64's letters (RFC 4648, 4): A-Z, a-z, 0-9, + and /. */
const BASE64_LETTER = Uint8Array.from({ length: 128 }, (_, code) =>
  /[A-Za-z0-9+/]/.test(String.fromCharCode(code)) ? 1 : 0,
);
