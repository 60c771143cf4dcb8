import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Lexer as MarkedLexer, Tokens } from "marked";

/** marked's CommonJS (UMD) build: its `exports` map offers only ESM, which jest's CommonJS runtime cannot load. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const { Lexer } = require(path.join(path.dirname(require.resolve("marked/package.json")), "lib/marked.umd.js")) as {
  Lexer: typeof MarkedLexer;
};

/** Real parsers for the CI formats `custom-csr` prints, so tests check structure, not strings. */

/** A JUnit document, validated as XML and parsed: each test case with its failures' types and messages. */
export function parseJunit(xml: string): {
  tests: number;
  failures: number;
  cases: { name: string; classname: string; failures: { type: string; message: string }[] }[];
} {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const parser = new XMLParser({
    htmlEntities: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    isArray: (name) => ["testcase", "failure"].includes(name),
  });
  const doc = parser.parse(xml) as {
    testsuites: { tests: string; failures: string; testsuite: { testcase?: Record<string, unknown>[] } };
  };
  const cases = (doc.testsuites.testsuite.testcase ?? []).map((c) => ({
    name: String(c.name),
    classname: String(c.classname),
    failures: ((c.failure as Record<string, unknown>[] | undefined) ?? []).map((f) => ({
      type: String(f.type),
      message: String(f.message),
    })),
  }));
  return { tests: Number(doc.testsuites.tests), failures: Number(doc.testsuites.failures), cases };
}

let sarifValidator: ReturnType<Ajv["compile"]> | undefined;

/** A SARIF log, validated against the SARIF 2.1.0 JSON schema (the copy `@microsoft/jest-sarif` ships). */
export function parseSarif(text: string): {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    results: { ruleId: string; level: string; message: { text: string } }[];
  }[];
} {
  if (sarifValidator === undefined) {
    const file = path.join(
      path.dirname(require.resolve("@microsoft/jest-sarif/package.json")),
      "lib/schemas/sarif-2.1.0-rtm.5.json",
    );
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    // Written for draft-04 (`id`); Ajv reads draft-07, where that keyword is `$id`.
    delete schema.$schema;
    if (typeof schema.id === "string") {
      schema.$id = schema.id;
      delete schema.id;
    }
    sarifValidator = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(
      schema,
    );
  }
  const log = JSON.parse(text) as unknown;
  if (!sarifValidator(log))
    throw new Error(`not valid SARIF 2.1.0: ${JSON.stringify(sarifValidator.errors?.slice(0, 3))}`);
  return log as ReturnType<typeof parseSarif>;
}

/** GitHub Actions workflow commands, decoded (`::level title=...::message`); other lines are returned as `text`. */
export function parseGithubCommands(output: string): { level: string; title?: string; message: string }[] {
  const decode = (value: string) =>
    value.replace(/%([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return output
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
      if (match === null) return { level: "text", message: decode(line) };
      const title = /(?:^|,)title=([^,]*)/.exec(match[2] ?? "")?.[1];
      return { level: match[1], ...(title !== undefined ? { title: decode(title) } : {}), message: decode(match[3]) };
    });
}

/** The first GFM table of a Markdown document, by `marked`'s lexer: its header cells and rows of cell texts. */
export function parseMarkdownTable(markdown: string): { header: string[]; rows: string[][] } {
  const table = new Lexer().lex(markdown).find((token) => token.type === "table") as Tokens.Table | undefined;
  if (table === undefined) throw new Error("no table in the Markdown");
  return { header: table.header.map((cell) => cell.text), rows: table.rows.map((row) => row.map((cell) => cell.text)) };
}
