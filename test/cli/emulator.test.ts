import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import {
  ADMIN_PATH,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_EMULATOR_TOKEN,
  DEFAULT_ZONE_ID,
  EXAMPLE_SEED,
} from "../../src/emulator";
import { cleanEnv, finished, runCustomCsr, spawnCli, waitForOutput } from "./support";

jest.setTimeout(60_000);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-seed-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Connection {
  baseUrl: string;
  token: string;
  accountId: string;
  zoneId: string;
  csrs: { customCsrId: string }[];
}

/** Starts `custom-csr emulator --json …` and resolves with its connection line and a way to stop it. */
async function startCli(args: string[]) {
  const child = spawnCli(["emulator", "--json", ...args], cleanEnv());
  const done = finished(child);
  const info = JSON.parse(await waitForOutput(child, /\n/)) as Connection;
  return { info, child, done };
}

describe("custom-csr emulator", () => {
  it("serves the built-in example seed until Ctrl-C, then stops cleanly (exit 0)", async () => {
    const { info, child, done } = await startCli(["--seed", "example"]);
    expect(info.token).toBe(DEFAULT_EMULATOR_TOKEN);
    expect(info.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    expect(info.csrs.map((csr) => csr.customCsrId)).toEqual(EXAMPLE_SEED.map((seed) => seed.id));

    const web = EXAMPLE_SEED[0];
    const url = `${info.baseUrl}/accounts/${info.accountId}/custom_csrs/${web.id}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${info.token}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { result: { name: string } }).result.name).toBe("web");

    // The command against the command: what the banner tells a user to do.
    const shop = EXAMPLE_SEED[2];
    const env = cleanEnv({ CLOUDFLARE_BASE_URL: info.baseUrl, CLOUDFLARE_API_TOKEN: info.token });
    const lookup = await runCustomCsr(["get", shop.id as string, "--zone", info.zoneId, "--json"], env);
    expect(lookup.code).toBe(0);
    expect(JSON.parse(lookup.stdout)).toMatchObject({ customCsrId: shop.id, name: "shop", sans: shop.sans });

    child.kill("SIGINT");
    const { code, stderr } = await done;
    expect(code).toBe(0);
    expect(stderr).toBe("Emulator stopped (SIGINT).\n");
    await expect(fetch(info.baseUrl)).rejects.toThrow();
  });

  it("changes, regenerates and deletes CSRs over its admin endpoints, and the commands see it", async () => {
    const { info, child, done } = await startCli(["--seed", "example"]);
    const cliEnv = cleanEnv({ CLOUDFLARE_BASE_URL: info.baseUrl, CLOUDFLARE_API_TOKEN: info.token });
    const admin = (method: string, suffix: string, body?: unknown, token = info.token) =>
      fetch(`${new URL(info.baseUrl).origin}${ADMIN_PATH}/accounts/${info.accountId}/custom_csrs/${suffix}`, {
        method,
        headers: { Authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const [web, api] = EXAMPLE_SEED.map((seed) => seed.id as string);
    try {
      expect((await admin("PATCH", web, { name: "renamed" }, "not-the-token")).status).toBe(401);
      expect((await admin("PATCH", web, { name: "renamed", description: null })).status).toBe(200);
      const renamedJson = await runCustomCsr(["get", web, "--account", info.accountId, "--json"], cliEnv);
      const renamed = JSON.parse(renamedJson.stdout) as Record<string, unknown>;
      expect(renamed.name).toBe("renamed");
      expect(renamed).not.toHaveProperty("description");

      // A field change that disagrees with the PEM: `get` refuses it, as it would refuse Cloudflare's.
      expect((await admin("PATCH", web, { sans: ["www.acme.dev"] })).status).toBe(200);
      expect((await runCustomCsr(["get", web, "--account", info.accountId], cliEnv)).code).toBe(1);

      const before = (await runCustomCsr(["get", api, "--account", info.accountId, "--pem"], cliEnv)).stdout;
      expect((await admin("POST", `${api}/regenerate`, { sans: ["api.acme.dev", "api2.acme.dev"] })).status).toBe(200);
      const regenerated = await runCustomCsr(["get", api, "--account", info.accountId, "--json"], cliEnv);
      expect(regenerated.code).toBe(0);
      expect(JSON.parse(regenerated.stdout)).toMatchObject({ sans: ["api.acme.dev", "api2.acme.dev"] });
      expect(JSON.parse(regenerated.stdout).pem).not.toBe(before);
      expect((await admin("POST", `${api}/regenerate`, { sans: ["localhost"] })).status).toBe(400);

      expect((await admin("DELETE", api)).status).toBe(200);
      expect((await admin("DELETE", api)).status).toBe(404);
      const gone = await runCustomCsr(["get", api, "--account", info.accountId], cliEnv);
      expect(gone.code).toBe(2);
      expect(gone.stderr).toContain(`Custom CSR ${api} was not found`);
    } finally {
      child.kill("SIGINT");
      await done;
    }
  });

  it("prints the base URL, the test token, the exports to use and a drift example", async () => {
    const seed = path.join(dir, "seed.json");
    const entry = {
      scope: { zoneId: DEFAULT_ZONE_ID },
      id: "z-1",
      name: "zoned",
      common_name: "z.acme.dev",
      sans: ["z.acme.dev"],
    };
    fs.writeFileSync(seed, JSON.stringify([entry]));
    const child = spawnCli(["emulator", "--seed", seed], cleanEnv());
    const done = finished(child);
    const banner = await waitForOutput(child, /Press Ctrl-C to stop\.\n/);
    const baseUrl = /listening on (http:\/\/127\.0\.0\.1:\d+\/client\/v4)\n/.exec(banner)?.[1] as string;
    expect(banner).toMatch(new RegExp(`API token\\s+${DEFAULT_EMULATOR_TOKEN}`));
    expect(banner).toContain(
      `  export CLOUDFLARE_BASE_URL=${baseUrl}\n  export CLOUDFLARE_API_TOKEN=${DEFAULT_EMULATOR_TOKEN}\n`,
    );
    expect(banner).toContain(`  custom-csr get z-1 --zone ${DEFAULT_ZONE_ID}\n`);
    expect(banner).toMatch(new RegExp(`z-1\\s+zone ${DEFAULT_ZONE_ID}\\s+zoned\\s+z\\.acme\\.dev`));
    expect(banner).toContain(`${new URL(baseUrl).origin}${ADMIN_PATH}/zones/${DEFAULT_ZONE_ID}/custom_csrs/z-1\n`);
    child.kill("SIGINT");
    expect((await done).code).toBe(0);
  });

  it("listens on the port asked for: a port in use is an error (exit 2) that names it", async () => {
    const holder = http.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const busy = await runCustomCsr(["emulator", "--port", String(port)], cleanEnv());
      expect({ code: busy.code, stdout: busy.stdout }).toEqual({ code: 2, stdout: "" });
      expect(busy.stderr).toContain(`EADDRINUSE`);
      expect(busy.stderr).toContain(String(port));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it("a seed file that is not a list of CSRs, or a bad port, is an error (exit 2)", async () => {
    const bad = path.join(dir, "seed.json");
    fs.writeFileSync(bad, JSON.stringify([{ scope: { accountId: DEFAULT_ACCOUNT_ID }, sans: ["a.acme.dev"] }]));
    const stderr = `error: seed file ${bad}, entry 0: common_name must be a string\n`;
    expect(await runCustomCsr(["emulator", "--seed", bad], cleanEnv())).toEqual({ code: 2, stdout: "", stderr });
    const port = await runCustomCsr(["emulator", "--port", "70000"], cleanEnv());
    expect(port.code).toBe(2);
    expect(port.stderr).toContain(
      "error: option '--port <n>' argument '70000' is invalid. expected a port number from 0 to 65535.",
    );
  });
});
