import { CONTROL_CHARACTERS, failedCases, type CiReport } from "./report";

/**
 * A Markdown summary for `$GITHUB_STEP_SUMMARY` (or a merge-request note): a heading with the counts, then a table of
 * every case with its verdict and findings. Cells are escaped (`|`, backslash, HTML angle brackets, backticks and
 * newlines), so a hostile name cannot add a column, a row or markup.
 */
export function renderMarkdown(report: CiReport): string {
  const failed = failedCases(report);
  const lines = [
    `### ${cell(report.title)}`,
    "",
    `${report.cases.length} checked, ${failed} failed.`,
    "",
    "| checked | result | findings |",
    "| --- | --- | --- |",
  ];
  for (const c of report.cases) {
    const verdict = c.findings.some((f) => f.level === "error") ? "FAIL" : c.findings.length > 0 ? "WARN" : "PASS";
    lines.push(`| ${cell(c.name)} | ${verdict} | ${escapeFindings(c.findings)} |`);
  }
  return `${lines.join("\n")}\n`;
}

function escapeFindings(findings: CiReport["cases"][number]["findings"]): string {
  return findings.map((finding) => `${cell(finding.rule.id)}: ${cell(finding.message)}`).join("<br>");
}

function cell(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "\\`")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(CONTROL_CHARACTERS, " ");
}
