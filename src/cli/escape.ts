/**
 * Every character a terminal may act on instead of printing: C0 controls (newline, CR, tab, ESC, BEL, ...), DEL,
 * C1 controls (U+0080-U+009F, among them CSI and OSC, which some terminals honour without an ESC), the line and
 * paragraph separators, and the bidirectional marks, embeddings, overrides and isolates (Trojan Source,
 * CVE-2021-42574), which reorder what is displayed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same without the C0 controls, which JSON.stringify escapes in strings and uses as layout outside them. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The spellings a reader recognises from shells and JSON. */
const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\x1b" };

/**
 * Makes text from elsewhere (an API field, an error message, a seed file, a certificate) safe to print on one
 * line of a terminal: every character listed in {@link UNSAFE} is shown as a visible escape (`\x1b`, `\n`, `\r`,
 * `\t`, `\x07`, `\u202e`), so no field can move the cursor, clear a line, set the window title, recolour the
 * output, reorder it, or start a row of its own. Everything else (any printable Unicode, backslashes included) is
 * kept as it is: the result is for reading, not for parsing back (use `--json` for that).
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * For `--json` output: JSON.stringify already escapes C0 controls inside strings, but leaves DEL, C1 controls,
 * the separators and the bidi characters raw. Rewriting those as `\uXXXX` escapes keeps the JSON exactly the same
 * value for a parser and harmless on a terminal. Outside strings, JSON.stringify output is plain ASCII.
 */
export function escapeJsonForTerminal(json: string): string {
  return json.replace(UNSAFE_IN_JSON, unicodeEscape);
}

function visible(character: string): string {
  const code = character.charCodeAt(0);
  return NAMED[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : unicodeEscape(character));
}

function unicodeEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
