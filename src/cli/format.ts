import { escapeForTerminal, escapeJsonForTerminal } from "./escape";
import type { Style } from "./terminal";

/** A table column: its heading, and how to read a row's cell (plain text: the table escapes it). */
export interface Column<T> {
  readonly heading: string;
  readonly value: (row: T) => string;
}

/**
 * Renders rows as a plain-text table: a heading line, then one line per row, columns padded to their widest
 * cell and separated by two spaces (easy to read, and to cut with `awk`). Trailing spaces are trimmed. Cells are
 * escaped ({@link escapeForTerminal}), so a value with a newline or an escape code cannot add or redraw a row.
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], style?: Style, indent = ""): string {
  const cells = rows.map((row) => columns.map((column) => escapeForTerminal(column.value(row))));
  const widths = columns.map((column, i) => Math.max(column.heading.length, ...cells.map((line) => line[i].length)));
  const render = (line: readonly string[]) =>
    indent +
    line
      .map((cell, i) => cell.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  const heading = render(columns.map((column) => column.heading));
  return [style === undefined ? heading : style.bold(heading), ...cells.map(render)].join("\n") + "\n";
}

/** One `label  value` line: the value is plain text, painted (e.g. `style.dim`) after it is escaped. */
export type Field = readonly [label: string, value: string | undefined, paint?: (text: string) => string];

/**
 * Renders `label  value` lines with the values aligned; entries whose value is `undefined` are left out. Values
 * are escaped ({@link escapeForTerminal}), so none can forge another line or move the cursor.
 */
export function formatFields(entries: readonly Field[], style?: Style, indent = "  "): string {
  const present = entries.filter((entry) => entry[1] !== undefined);
  const width = Math.max(0, ...present.map(([label]) => label.length));
  const line = ([label, value, paint]: Field) => {
    const text = escapeForTerminal(value as string);
    const padded = label.padEnd(width);
    return `${indent}${style?.dim(padded) ?? padded}  ${paint === undefined ? text : paint(text)}`;
  };
  return present.map(line).join("\n") + "\n";
}

/** `Custom CSR <id> in <scope>`, the first line of `get` and `verify`, escaped and styled. */
export function formatHeading(customCsrId: string, where: string, style: Style): string {
  const [heading, scope] = [`Custom CSR ${customCsrId}`, `in ${where}`].map(escapeForTerminal);
  return `${style.bold(heading)} ${style.dim(scope)}\n`;
}

/** The first `length` hex digits of a digest and an ellipsis: enough to tell two keys apart at a glance. */
export function shortHex(hex: string, length = 16): string {
  return hex.length > length ? `${hex.slice(0, length)}…` : hex;
}

/**
 * Pretty JSON with a final newline, the `--json` output of every command: the exact values, with the characters
 * a terminal would act on written as `\uXXXX` ({@link escapeJsonForTerminal}).
 */
export function formatJson(value: unknown): string {
  return `${escapeJsonForTerminal(JSON.stringify(value, null, 2))}\n`;
}
