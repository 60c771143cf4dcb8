/**
 * What `drift`, `verify` and `expiry` found, in one shape every CI format is rendered from: one case per thing
 * checked (a resource, a certificate, a check), each with its findings (none: it passed). Formats never see the
 * commands' own types, so each renders every command alike.
 */

/** The formats `--format` takes. `text` and `json` are each command's own; the others render a {@link CiReport}. */
export const FORMATS = ["text", "json", "junit", "sarif", "github", "markdown"] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** A kind of finding, with a stable id (`drift/changed`, `expiry/expiring`...) and a one-line description. */
export interface CiRule {
  readonly id: string;
  readonly description: string;
}

/** One problem found in a case. */
export interface CiFinding {
  readonly rule: CiRule;
  /** `error` fails the check (exit 1); `warning` is reported only. */
  readonly level: "error" | "warning";
  readonly message: string;
}

/** One thing checked. */
export interface CiCase {
  /** What was checked, e.g. a resource name or a certificate id. */
  readonly name: string;
  /** Where it belongs, e.g. `custom-csr.expiry.<zone id>`. */
  readonly group: string;
  readonly findings: readonly CiFinding[];
}

/** The whole run of one command. */
export interface CiReport {
  /** `drift`, `verify` or `expiry`. */
  readonly command: string;
  /** A short title, e.g. `custom-csr expiry of zone <id>`. */
  readonly title: string;
  readonly cases: readonly CiCase[];
}

/** Every rule that findings of the report use, each once, in order of first use. */
export function rulesOf(report: CiReport): CiRule[] {
  const rules = new Map<string, CiRule>();
  for (const c of report.cases) for (const finding of c.findings) rules.set(finding.rule.id, finding.rule);
  return [...rules.values()];
}

/** How many cases have at least one error finding. */
export function failedCases(report: CiReport): number {
  return report.cases.filter((c) => c.findings.some((finding) => finding.level === "error")).length;
}

/** The characters a format must never pass through raw: C0 and C1 controls, DEL, and the Unicode line separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
