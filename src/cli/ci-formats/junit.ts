import { failedCases, type CiReport } from "./report";

/**
 * JUnit XML (the de-facto schema GitLab, Jenkins and most CI systems read): one `testcase` per case, a `failure` per
 * error finding (its rule id as `type`), warnings as `system-out`. Every value is XML-escaped, and characters XML 1.0
 * cannot carry (C0 controls but tab and newlines, lone surrogates) are written as `\uXXXX`, so hostile names from
 * an API can neither break the document nor forge an element.
 */
export function renderJunit(report: CiReport): string {
  const tests = report.cases.length;
  const failures = failedCases(report);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${attr(report.title)} tests="${tests}" failures="${failures}" errors="0">`,
    `  <testsuite name=${attr(report.title)} tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
  ];
  for (const c of report.cases) {
    const errors = c.findings.filter((finding) => finding.level === "error");
    const warnings = c.findings.filter((finding) => finding.level === "warning");
    if (errors.length === 0 && warnings.length === 0) {
      lines.push(`    <testcase classname=${attr(c.group)} name=${attr(c.name)}/>`);
      continue;
    }
    lines.push(`    <testcase classname=${attr(c.group)} name=${attr(c.name)}>`);
    for (const finding of errors) {
      lines.push(
        `      <failure type=${attr(finding.rule.id)} message=${attr(finding.message)}>${text(finding.message)}</failure>`,
      );
    }
    if (warnings.length > 0) {
      const body = warnings.map((finding) => `${finding.rule.id}: ${finding.message}`).join("\n");
      lines.push(`      <system-out>${text(body)}</system-out>`);
    }
    lines.push("    </testcase>");
  }
  lines.push("  </testsuite>", "</testsuites>");
  return `${lines.join("\n")}\n`;
}

/** Characters XML 1.0 forbids, written out instead (the document must stay well-formed whatever an API sent). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function text(value: string): string {
  return value
    .replace(NOT_XML, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function attr(value: string): string {
  return `"${text(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;")}"`;
}
