import { renderGithub } from "./github";
import { renderJunit } from "./junit";
import { renderMarkdown } from "./markdown";
import type { CiReport, Format } from "./report";
import { renderSarif } from "./sarif";

export { FORMATS, type CiCase, type CiFinding, type CiReport, type CiRule, type Format } from "./report";

/** Renders a report in one of the CI formats (`text` and `json` are each command's own). */
export function renderCiReport(report: CiReport, format: Exclude<Format, "text" | "json">): string {
  if (format === "junit") return renderJunit(report);
  if (format === "sarif") return renderSarif(report);
  if (format === "github") return renderGithub(report);
  return renderMarkdown(report);
}
