"use strict";
// A Markdown table: readable in a terminal as printed, and pasted unchanged into the README.

/** `columns`: [{ key, title }]; `rows`: objects keyed by column key (missing cells print as an empty cell). */
function renderTable(columns, rows) {
  const cells = rows.map((row) => columns.map((c) => String(row[c.key] ?? "")));
  const widths = columns.map((c, i) => Math.max(c.title.length, 3, ...cells.map((r) => r[i].length)));
  const line = (values) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`;
  return [line(columns.map((c) => c.title)), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

module.exports = { renderTable };
