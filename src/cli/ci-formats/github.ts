import { CONTROL_CHARACTERS, failedCases, type CiReport } from "./report";

/**
 * GitHub Actions workflow commands: one `::error` (or `::warning`) annotation per finding, titled with the rule and
 * the case, then a summary line. Values are escaped as the runner expects (`%`, CR, LF; also `:` and `,` in
 * properties), and every other control character is written as `%XX` too, so a hostile name can neither end the
 * command early nor start another.
 */
export function renderGithub(report: CiReport): string {
  const lines: string[] = [];
  for (const c of report.cases) {
    for (const finding of c.findings) {
      const title = property(`${finding.rule.id}: ${c.name}`);
      lines.push(`::${finding.level} title=${title}::${data(finding.message)}`);
    }
  }
  const failed = failedCases(report);
  lines.push(data(`${report.title}: ${report.cases.length} checked, ${failed} failed`));
  return `${lines.join("\n")}\n`;
}

function data(value: string): string {
  return value
    .replace(/%/g, "%25")
    .replace(CONTROL_CHARACTERS, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

function property(value: string): string {
  return data(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
