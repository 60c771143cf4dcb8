import { run } from "../../src/cli/main";
import { startEmulator, type CloudflareEmulator } from "../../src/emulator";
import { parseGithubCommands, parseJunit, parseMarkdownTable, parseSarif } from "../support/ci-parsers";
import { captureIo } from "./support";

/**
 * `custom-csr expiry`: which certificate serves each custom CSR, its exit codes, and every `--format`, each read
 * back by a real parser (XML, the SARIF 2.1.0 schema, the workflow-command grammar, a Markdown lexer). One
 * certificate's hosts are hostile: they try to close the XML element, start another annotation and add a table row.
 */
const SUBJECT = { country: "US", state: "CA", locality: "SF", organization: "Acme" };
const DAY = 86_400_000;
const HOSTILE = 'evil</failure><testcase name="forged"/>::error title=x::forged\n| forged | PASS |\u001b[2J';
let cf: CloudflareEmulator;
let healthy: CloudflareEmulator;

async function cli(emulator: CloudflareEmulator, args: string[]) {
  const io = captureIo({ CLOUDFLARE_API_TOKEN: emulator.token, CLOUDFLARE_BASE_URL: emulator.baseUrl });
  const code = await run(["expiry", "--zone", emulator.zoneId, ...args], io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  const inDays = (days: number) => new Date(Date.now() + days * DAY + 3_600_000).toISOString();
  cf = await startEmulator();
  const soon = await cf.createCsr(
    { zoneId: cf.zoneId },
    { ...SUBJECT, common_name: "www.acme.dev", sans: ["www.acme.dev"] },
  );
  const fine = await cf.createCsr(
    { zoneId: cf.zoneId },
    { ...SUBJECT, common_name: "api.acme.dev", sans: ["api.acme.dev"] },
  );
  await cf.createCsr({ zoneId: cf.zoneId }, { ...SUBJECT, common_name: "idle.acme.dev", sans: ["idle.acme.dev"] });
  cf.addCertificate(cf.zoneId, {
    kind: "custom_ssl",
    id: "ssl-soon",
    hosts: ["www.acme.dev", HOSTILE],
    custom_csr_id: soon.id,
    expires_on: inDays(5),
  });
  cf.addCertificate(cf.zoneId, {
    kind: "custom_hostname",
    id: "hn-api",
    hosts: ["api.acme.dev"],
    custom_csr_id: fine.id,
    expires_on: inDays(70),
  });
  cf.addCertificate(cf.zoneId, {
    kind: "custom_ssl",
    id: "ssl-orphan",
    hosts: ["old.acme.dev"],
    custom_csr_id: "gone",
    expires_on: inDays(70),
  });
  healthy = await startEmulator();
  const ok = await healthy.createCsr(
    { zoneId: healthy.zoneId },
    { ...SUBJECT, common_name: "ok.acme.dev", sans: ["ok.acme.dev"] },
  );
  healthy.addCertificate(healthy.zoneId, {
    kind: "custom_ssl",
    id: "ssl-ok",
    hosts: ["ok.acme.dev"],
    custom_csr_id: ok.id,
    expires_on: inDays(70),
  });
});
afterAll(async () => {
  await cf.stop();
  await healthy.stop();
});

test("text: a table of every certificate with its CSR and days left; exit 1 for the expiring one and the orphan", async () => {
  const { code, out, err } = await cli(cf, []);
  expect({ code, err }).toEqual({ code: 1, err: "" });
  expect(out).toMatch(/ssl-soon .* 5 +expiring/);
  expect(out).toMatch(/ssl-orphan .*orphan/);
  expect(out).toContain("unserved");
  expect(out).not.toContain("\u001b[2J");
  expect(out).toContain("2 certificates need attention.");
});

test("exit 0 when every certificate has more than --min-days left; 2 for a bad zone id or a failing API", async () => {
  expect((await cli(healthy, [])).code).toBe(0);
  expect((await cli(cf, ["--min-days", "1"])).code).toBe(1); // the orphan still fails
  const bad = await run(
    ["expiry", "--zone", "nope"],
    captureIo({ CLOUDFLARE_API_TOKEN: cf.token, CLOUDFLARE_BASE_URL: cf.baseUrl }),
  );
  expect(bad).toBe(2);
  const io = captureIo({ CLOUDFLARE_API_TOKEN: "wrong-token-123456", CLOUDFLARE_BASE_URL: cf.baseUrl });
  expect(await run(["expiry", "--zone", cf.zoneId, "--format", "junit"], io)).toBe(2);
});

test("--format junit: well-formed JUnit XML, one test case per certificate, failures typed by rule", async () => {
  const { code, out } = await cli(cf, ["--format", "junit"]);
  expect(code).toBe(1);
  const junit = parseJunit(out);
  expect(junit.tests).toBe(4);
  expect(junit.failures).toBe(2);
  expect(junit.cases.map((c) => c.name)).not.toContain("forged");
  const soon = junit.cases.find((c) => c.name === "custom_ssl ssl-soon");
  expect(soon?.failures.map((f) => f.type)).toEqual(["expiry/expiring"]);
  expect(soon?.failures[0].message).toContain('evil</failure><testcase name="forged"/>');
  expect(junit.cases.find((c) => c.name === "custom_ssl ssl-orphan")?.failures.map((f) => f.type)).toEqual([
    "expiry/orphan",
  ]);
});

test("--format sarif: valid SARIF 2.1.0, one result per finding, a rule per kind", async () => {
  const { out } = await cli(cf, ["--format", "sarif"]);
  const [run0] = parseSarif(out).runs;
  expect(run0.tool.driver.rules.map((rule) => rule.id).sort()).toEqual([
    "expiry/expiring",
    "expiry/orphan",
    "expiry/unserved",
  ]);
  expect(run0.results.map((result) => `${result.level} ${result.ruleId}`).sort()).toEqual([
    "error expiry/expiring",
    "error expiry/orphan",
    "warning expiry/unserved",
  ]);
});

test("--format github: one annotation per finding, hostile text cannot start another, then a summary", async () => {
  const { out } = await cli(cf, ["--format", "github"]);
  const commands = parseGithubCommands(out);
  expect(commands.filter((c) => c.level === "error").map((c) => c.title?.split(":")[0])).toEqual([
    "expiry/expiring",
    "expiry/orphan",
  ]);
  expect(commands.filter((c) => c.level === "warning")).toHaveLength(1);
  expect(commands.find((c) => c.title?.startsWith("expiry/expiring"))?.message).toContain("::error title=x::forged\n|");
  expect(commands[commands.length - 1]).toEqual({
    level: "text",
    message: expect.stringMatching(/4 checked, 2 failed$/),
  });
});

test("--format markdown: a table whose rows are the certificates, hostile pipes kept inside their cell", async () => {
  const { out } = await cli(cf, ["--format", "markdown"]);
  const table = parseMarkdownTable(out);
  expect(table.header).toEqual(["checked", "result", "findings"]);
  expect(table.rows.map((row) => `${row[0]} ${row[1]}`)).toEqual([
    "custom_ssl ssl-soon FAIL",
    "custom_hostname hn-api PASS",
    expect.stringMatching(/^csr .* WARN$/),
    "custom_ssl ssl-orphan FAIL",
  ]);
});

test("--json is --format json; with another --format it is a usage error", async () => {
  const json = JSON.parse((await cli(cf, ["--json"])).out) as { ok: boolean; orphans: unknown[] };
  expect(json).toMatchObject({ ok: false, orphans: [{ id: "ssl-orphan" }] });
  expect((await cli(cf, ["--json", "--format", "junit"])).code).toBe(2);
});
