import type { CreateCsrInput } from "../../src/emulator";
import { DEFAULT_ACCOUNT_ID, DEFAULT_ZONE_ID } from "../../src/emulator";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { CLI, cleanEnv, runCustomCsr, runInTerminal, runPipeline } from "./support";

/** A second account holding enough CSRs for three pages of 50. */
const PAGED_ACCOUNT = "acc00000000000000000000000000002";
/** A zone of its own for the sorting test, so the default zone stays empty. */
const SORTED_ZONE = "2011e000000000000000000000000099";
const COUNT = 120;

let env: SeededEmulator;
let childEnv: NodeJS.ProcessEnv;
/** Names in creation order: a shuffle, so that name order and creation order differ. */
const names = Array.from({ length: COUNT }, (_, i) => `csr-${String((i * 37) % COUNT).padStart(3, "0")}`);

beforeAll(async () => {
  env = await startSeededEmulator({
    accounts: [DEFAULT_ACCOUNT_ID, PAGED_ACCOUNT],
    zones: [DEFAULT_ZONE_ID, SORTED_ZONE],
    keyPoolSize: 2,
  });
  const inputs: CreateCsrInput[] = names.map((name) => ({
    name,
    common_name: `${name}.acme.dev`,
    sans: [`${name}.acme.dev`],
    country: "US",
    state: "CA",
    locality: "SF",
    organization: "Acme",
  }));
  await env.emulator.seedMany({ accountId: PAGED_ACCOUNT }, inputs);
  await env.emulator.seedMany({ zoneId: SORTED_ZONE }, inputs);
  childEnv = cleanEnv({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
});
afterAll(() => env.emulator.stop());

/** The `page` of every list request the emulator saw since the last call. */
function pagesRequested(): number[] {
  const pages = env.emulator.requests.filter((r) => r.path.endsWith("/custom_csrs")).map((r) => Number(r.query.page));
  env.emulator.clearRequests();
  return pages.sort((a, b) => a - b);
}

describe("custom-csr list", () => {
  it("prints every CSR across all pages as a table, with nothing on stderr when it is not a terminal", async () => {
    env.emulator.clearRequests();
    const { code, stdout, stderr } = await runCustomCsr(["list", "--account", PAGED_ACCOUNT], childEnv);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+COMMON NAME\s+KEY\s+CREATED\s+SANS$/);
    expect(lines).toHaveLength(COUNT + 1);
    expect(lines[1]).toMatch(
      new RegExp(
        `^[0-9a-f-]{36}\\s+${names[0]}\\s+${names[0]}\\.acme\\.dev\\s+rsa2048\\s+\\S+Z\\s+${names[0]}\\.acme\\.dev$`,
      ),
    );
    expect(lines.slice(1).map((line) => line.split(/\s+/)[1])).toEqual(names); // created_at ascending by default
    expect(pagesRequested()).toEqual([1, 2, 3]);
  });

  it("--json prints every CSR with the library's field names", async () => {
    const { code, stdout } = await runCustomCsr(["list", "--account", env.emulator.accountId, "--json"], childEnv);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as Record<string, unknown>[];
    expect(listed).toEqual([
      expect.objectContaining({
        customCsrId: env.rsa.id,
        accountId: env.emulator.accountId,
        name: "web",
        commonName: "www.example.dev",
        sans: ["www.example.dev", "example.dev"],
        keyType: "rsa2048",
        organizationalUnit: "Web",
        pem: env.rsa.csr,
        createdAt: env.rsa.created_at,
      }),
      expect.objectContaining({ customCsrId: env.ec.id, commonName: "api.example.dev", keyType: "p256v1" }),
    ]);
    expect(listed[1]).not.toHaveProperty("name"); // absent in the API, absent here
    expect(
      Object.keys(listed[0]).filter((key) => ["id", "csr", "common_name", "key_type", "created_at"].includes(key)),
    ).toEqual([]);
  });

  it.each([
    [["--order", "name"], [...names].sort()],
    [["--desc"], [...names].reverse()],
    [["--order", "name", "--desc"], [...names].sort().reverse()],
    [["--order", "created_at"], names],
  ])("%j sorts the whole list, across pages", async (flags, expected) => {
    const { code, stdout } = await runCustomCsr(["list", "--account", PAGED_ACCOUNT, "--json", ...flags], childEnv);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { name: string }[]).map((csr) => csr.name)).toEqual(expected);
  });

  it("sorts a zone's list itself: Cloudflare's schema offers order and direction on an account's list only", async () => {
    for (const [flags, expected] of [
      [["--order", "name", "--desc"], [...names].sort().reverse()],
      [["--desc"], [...names].reverse()],
      [[], names],
    ] as const) {
      const { code, stdout } = await runCustomCsr(["list", "--zone", SORTED_ZONE, "--json", ...flags], childEnv);
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { name: string }[]).map((csr) => csr.name)).toEqual(expected);
    }
  });

  it("stops quietly when the reader of its output goes away (`| head`)", async () => {
    const { code, stdout, stderr } = await runPipeline(
      `node ${CLI} list --account ${PAGED_ACCOUNT} --json | head -c 20`,
      childEnv,
    );
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '[\n  {\n    "customCsr', stderr: "" });
  });

  it("an empty zone says so", async () => {
    env.emulator.deleteCsr(env.zone, env.zoneCsr.id);
    expect(await runCustomCsr(["list", "--zone", env.emulator.zoneId], childEnv)).toEqual({
      code: 0,
      stdout: `No custom CSRs in zone ${env.emulator.zoneId}.\n`,
      stderr: "",
    });
    expect(await runCustomCsr(["list", "--zone", env.emulator.zoneId, "--json"], childEnv)).toEqual({
      code: 0,
      stdout: "[]\n",
      stderr: "",
    });
  });

  it("shows a progress indicator on a terminal when listing takes more than half a second, then clears it", async () => {
    env.emulator.setLatency(400);
    try {
      const { code, stdout } = await runInTerminal(["list", "--account", PAGED_ACCOUNT], {
        ...childEnv,
        NO_COLOR: "1",
      });
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`Listing custom CSRs in account ${PAGED_ACCOUNT}\\.\\.\\. \\d+\\.\\d s`));
      expect(stdout).toContain("\r\u001b[2K"); // the indicator erases itself before the table
      expect(stdout).toMatch(/ID\s+NAME\s+COMMON NAME/);
    } finally {
      env.emulator.setLatency(0);
    }
  });
});

describe("custom-csr list filters", () => {
  const listJson = async (flags: string[]) => {
    const { code, stdout, stderr } = await runCustomCsr(
      ["list", "--account", PAGED_ACCOUNT, "--json", ...flags],
      childEnv,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    return (JSON.parse(stdout) as { name: string }[]).map((csr) => csr.name);
  };

  it("--san selects by any SAN, case-insensitively and ignoring a trailing dot, after walking every page", async () => {
    env.emulator.clearRequests();
    expect(await listJson(["--san", "CSR-007.Acme.Dev."])).toEqual(["csr-007"]);
    expect(pagesRequested()).toEqual([1, 2, 3]);
  });

  it("--name and --common-name match exactly, and all filters must match", async () => {
    expect(await listJson(["--name", "csr-010"])).toEqual(["csr-010"]);
    expect(await listJson(["--common-name", "csr-011.acme.dev"])).toEqual(["csr-011"]);
    expect(await listJson(["--common-name", "CSR-011.acme.dev"])).toEqual([]);
    expect(
      await listJson(["--name", "csr-012", "--san", "csr-012.acme.dev", "--common-name", "csr-013.acme.dev"]),
    ).toEqual([]);
  });

  it("says when nothing matches the filters", async () => {
    const result = await runCustomCsr(["list", "--account", PAGED_ACCOUNT, "--name", "nothing-by-this-name"], childEnv);
    expect(result).toEqual({
      code: 0,
      stdout: `No custom CSRs match the filters in account ${PAGED_ACCOUNT}.\n`,
      stderr: "",
    });
  });

  it("rejects an unusable filter before any request, naming the flag", async () => {
    env.emulator.clearRequests();
    const { code, stdout, stderr } = await runCustomCsr(
      ["list", "--account", PAGED_ACCOUNT, "--san", "a b.acme.dev", "--common-name", "x".repeat(65)],
      childEnv,
    );
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain('invalid --san: "a b.acme.dev" is not a DNS name');
    expect(stderr).toContain("invalid --common-name:");
    expect(env.emulator.requests).toHaveLength(0);
  });
});
