import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_EMULATOR_TOKEN } from "../../src/emulator";
import { cleanEnv, ensureBuilt, finished, runCustomCsr, SEED_FILE, spawnCli, waitForOutput } from "./support";

jest.setTimeout(60_000);

beforeAll(() => ensureBuilt());

const seeds = JSON.parse(fs.readFileSync(SEED_FILE, "utf8")) as { id: string; name: string; scope: { accountId?: string; zoneId?: string } }[];

describe("custom-csr emulator", () => {
  it("serves the seeded CSRs until Ctrl-C, then stops cleanly (exit 0)", async () => {
    const child = spawnCli(["emulator", "--seed", SEED_FILE, "--json"], cleanEnv());
    const done = finished(child);
    const line = await waitForOutput(child, /\n/);
    const info = JSON.parse(line) as { baseUrl: string; token: string; accountId: string; zoneId: string; csrs: { customCsrId: string }[] };
    expect(info).toMatchObject({ token: DEFAULT_EMULATOR_TOKEN, baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/) });
    expect(info.csrs.map((csr) => csr.customCsrId)).toEqual(seeds.map((seed) => seed.id));

    const web = seeds[0];
    const response = await fetch(`${info.baseUrl}/accounts/${web.scope.accountId}/custom_csrs/${web.id}`, { headers: { Authorization: `Bearer ${info.token}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { name: string } }).result.name).toBe("web");

    // The command against the command: what the banner tells a user to do.
    const shop = seeds[2];
    const lookup = await runCustomCsr(["get", shop.id, "--zone", shop.scope.zoneId as string, "--json"], cleanEnv({ CLOUDFLARE_BASE_URL: info.baseUrl, CLOUDFLARE_API_TOKEN: info.token }));
    expect(lookup.code).toBe(0);
    expect(JSON.parse(lookup.stdout)).toMatchObject({ customCsrId: shop.id, name: "shop", sans: ["shop.acme.dev", "*.shop.acme.dev"] });

    child.kill("SIGINT");
    const { code, stderr } = await done;
    expect(code).toBe(0);
    expect(stderr).toBe("Emulator stopped (SIGINT).\n");
    await expect(fetch(info.baseUrl)).rejects.toThrow();
  });

  it("prints the base URL, the test token and the exports to use, on the port asked for", async () => {
    const probe = spawnCli(["emulator", "--json"], cleanEnv());
    const port = Number(new URL((JSON.parse(await waitForOutput(probe, /\n/)) as { baseUrl: string }).baseUrl).port);
    probe.kill("SIGTERM");
    expect((await finished(probe)).code).toBe(0);

    const child = spawnCli(["emulator", "--port", String(port), "--seed", SEED_FILE], cleanEnv());
    const done = finished(child);
    const banner = await waitForOutput(child, /Press Ctrl-C to stop\.\n/);
    const baseUrl = `http://127.0.0.1:${port}/client/v4`;
    expect(banner).toContain(`listening on ${baseUrl}\n`);
    expect(banner).toMatch(new RegExp(`API token\\s+${DEFAULT_EMULATOR_TOKEN}`));
    expect(banner).toContain(`  export CLOUDFLARE_BASE_URL=${baseUrl}\n  export CLOUDFLARE_API_TOKEN=${DEFAULT_EMULATOR_TOKEN}\n`);
    expect(banner).toContain(`  custom-csr get ${seeds[0].id} --account ${seeds[0].scope.accountId}\n`);
    expect(banner).toMatch(new RegExp(`${seeds[2].id}\\s+zone ${seeds[2].scope.zoneId}\\s+shop\\s+shop\\.acme\\.dev`));
    child.kill("SIGINT");
    expect((await done).code).toBe(0);
  });

  it("a seed file that is not a list of CSRs, or a bad port, is an error (exit 2)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-seed-"));
    const bad = path.join(dir, "seed.json");
    fs.writeFileSync(bad, JSON.stringify([{ scope: { accountId: "acc00000000000000000000000000001" }, sans: ["a.acme.dev"] }]));
    try {
      expect(await runCustomCsr(["emulator", "--seed", bad], cleanEnv())).toEqual({ code: 2, stdout: "", stderr: `error: seed file ${bad}, entry 0: common_name must be a string\n` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const port = await runCustomCsr(["emulator", "--port", "70000"], cleanEnv());
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("error: option '--port <n>' argument '70000' is invalid. expected a port number from 0 to 65535.");
  });
});
