import { packageVersion } from "../../version";
import { rulesOf, type CiReport } from "./report";

/**
 * SARIF 2.1.0 (what GitHub code scanning and other tools read): one run of the tool `custom-csr`, a rule per kind of
 * finding, and one result per finding, located by a logical location (the resource, certificate or check), since a
 * finding about a Cloudflare object has no file to point at. JSON escaping makes any name safe.
 */
export function renderSarif(report: CiReport): string {
  const rules = rulesOf(report);
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const results = report.cases.flatMap((c) =>
    c.findings.map((finding) => ({
      ruleId: finding.rule.id,
      ruleIndex: index.get(finding.rule.id) as number,
      level: finding.level,
      message: { text: finding.message },
      locations: [
        { logicalLocations: [{ name: c.name, fullyQualifiedName: `${c.group}/${c.name}`, kind: "resource" }] },
      ],
    })),
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "custom-csr",
            semanticVersion: packageVersion(),
            rules: rules.map((rule) => ({ id: rule.id, shortDescription: { text: rule.description } })),
          },
        },
        automationDetails: { id: `custom-csr/${report.command}/` },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
