import { renderCiReport, type CiReport } from "../../src/cli/ci-formats";
import { driftCiReport } from "../../src/cli/drift-report";
import { parseGithubCommands, parseJunit, parseMarkdownTable, parseSarif } from "../support/ci-parsers";

const RULE = { id: "drift/changed", description: "a CustomCsr differs in Cloudflare" };
const HOSTILE = "web]]></failure>\u0000\u0007&<x>\"'|`\r\n::error::forged %0A";

const report: CiReport = {
  command: "drift",
  title: `custom-csr drift of stack ${HOSTILE}`,
  cases: [
    { name: HOSTILE, group: "g", findings: [{ rule: RULE, level: "error", message: `changed: ${HOSTILE}` }] },
    { name: "quiet", group: "g", findings: [] },
  ],
};

describe("CI formats hold hostile names without breaking their grammar", () => {
  it("junit: well-formed, the name and message come back exactly (control characters spelled out)", () => {
    const junit = parseJunit(renderCiReport(report, "junit"));
    expect(junit).toMatchObject({ tests: 2, failures: 1 });
    expect(junit.cases[0].name).toBe(HOSTILE.replace("\u0000", "\\u0000").replace("\u0007", "\\u0007"));
    expect(junit.cases[1]).toEqual({ name: "quiet", classname: "g", failures: [] });
  });

  it("sarif: valid against the SARIF 2.1.0 schema, with the message intact", () => {
    const [run] = parseSarif(renderCiReport(report, "sarif")).runs;
    expect(run.results).toEqual([
      expect.objectContaining({ ruleId: "drift/changed", level: "error", message: { text: `changed: ${HOSTILE}` } }),
    ]);
  });

  it("github: one annotation, whose decoded text is the message, and a summary line", () => {
    const commands = parseGithubCommands(renderCiReport(report, "github"));
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatchObject({ level: "error", message: `changed: ${HOSTILE}` });
    expect(commands[1].level).toBe("text");
  });

  it("markdown: two rows of three cells", () => {
    const table = parseMarkdownTable(renderCiReport(report, "markdown"));
    expect(table.rows).toHaveLength(2);
    expect(table.rows.every((row) => row.length === 3)).toBe(true);
    expect(table.rows[1]).toEqual(["quiet", "PASS", ""]);
  });

  it("the parsers refuse what is not their format, so the checks above can fail", () => {
    expect(() => parseJunit("<testsuites><testsuite>")).toThrow(/well-formed/);
    expect(() => parseSarif('{"version":"2.1.0","runs":[{"tool":{}}]}')).toThrow(/SARIF/);
    expect(() => parseMarkdownTable("no table here")).toThrow(/no table/);
  });
});

describe("drift as a CI report", () => {
  it("one case per CustomCsr checked; changed and deleted ones carry a finding naming the fields", () => {
    const ci = driftCiReport(
      {
        stack: "prod",
        drifted: true,
        checked: 3,
        otherChanges: {},
        resources: [
          {
            urn: "u::web",
            name: "web",
            customCsrId: "a",
            status: "changed",
            changes: [{ field: "name", old: "x", new: "y" }],
          },
          { urn: "u::api", name: "api", customCsrId: "b", status: "deleted", changes: [] },
        ],
      },
      ["api", "shop", "web"],
    );
    expect(ci.cases.map((c) => [c.name, c.findings.map((f) => `${f.rule.id}: ${f.message}`)])).toEqual([
      ["api", ["drift/deleted: custom CSR b was deleted in Cloudflare"]],
      ["shop", []],
      ["web", ["drift/changed: custom CSR a changed in Cloudflare: name"]],
    ]);
  });
});
