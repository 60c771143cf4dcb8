import { packageVersion } from "../../src/version";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { cleanEnv, runCustomCsr } from "./support";

let env: SeededEmulator;
let childEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await startSeededEmulator();
  childEnv = cleanEnv({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
});
afterAll(() => env.emulator.stop());

describe("help and version", () => {
  it.each(["get", "list", "verify", "drift", "emulator"])(
    "`%s --help` describes the subcommand and exits 0",
    async (name) => {
      const { code, stdout, stderr } = await runCustomCsr([name, "--help"], cleanEnv());
      expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
      expect(stdout).toMatch(new RegExp(`^Usage: custom-csr ${name} \\[options\\]`));
      expect(stdout).toContain("-h, --help");
    },
  );

  it("`--help` lists the subcommands, the environment variables and the exit codes", async () => {
    const { code, stdout } = await runCustomCsr(["--help"], cleanEnv());
    expect(code).toBe(0);
    for (const name of ["get", "list", "verify", "drift", "emulator"])
      expect(stdout).toMatch(new RegExp(`\\n  ${name} `));
    expect(stdout).toContain("CLOUDFLARE_API_TOKEN");
    expect(stdout).toContain("Exit codes: 0 ok, 1 a check failed or drift found, 2 usage, API or other error.");
  });

  it("`--version` prints the package version", async () => {
    expect(await runCustomCsr(["--version"], cleanEnv())).toEqual({
      code: 0,
      stdout: `${packageVersion()}\n`,
      stderr: "",
    });
  });
});

describe("usage errors exit 2 with a usage line, before any request", () => {
  it.each([
    [
      ["list", "--acount", "abc"],
      "error: unknown option '--acount'\n(Did you mean --account?)",
      "custom-csr list [options]",
    ],
    [
      ["get", "--account", "acc00000000000000000000000000001"],
      "error: missing required argument 'id'",
      "custom-csr get [options] <id>",
    ],
    [["get", "x1"], "error: one of --account <id> or --zone <id> is required", "custom-csr get [options] <id>"],
    [
      ["verify", "x1", "--account", "a1", "--zone", "b2"],
      "error: option '--account <id>' cannot be used with option '--zone <id>'",
      "custom-csr verify [options] <id>",
    ],
    [
      ["get", "x1", "--zone", "example.com"],
      'error: invalid --zone: "example.com" is not a Cloudflare zone id',
      "custom-csr get [options] <id>",
    ],
    [
      ["get", "not/an/id", "--zone", "2011e000000000000000000000000001"],
      'error: invalid <id>: "not/an/id" is not a custom CSR id',
      "custom-csr get [options] <id>",
    ],
    [
      ["get", "x1", "--zone", "2011e000000000000000000000000001", "--pem", "--json"],
      "error: option '--pem' cannot be used with option '--json'",
      "custom-csr get [options] <id>",
    ],
    [
      ["list", "--zone", "2011e000000000000000000000000001", "--order", "size"],
      "error: option '--order <field>' argument 'size' is invalid. Allowed choices are name, created_at.",
      "custom-csr list [options]",
    ],
    [
      ["verify", "x1", "--zone", "2011e000000000000000000000000001", "--expect-sans", " , "],
      "error: option '--expect-sans <names>' argument ' , ' is invalid. expected one or more comma-separated names.",
      "custom-csr verify [options] <id>",
    ],
    [["drift"], "error: required option '--stack <name>' not specified", "custom-csr drift [options]"],
    [["frobnicate"], "error: unknown command 'frobnicate'", "custom-csr [options] [command]"],
  ])("%j", async (args, message, usage) => {
    env.emulator.clearRequests();
    const { code, stdout, stderr } = await runCustomCsr(args, childEnv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain(message);
    expect(stderr).toContain(`\nUsage: ${usage}\n`);
    expect(env.emulator.requests).toEqual([]);
  });
});

describe("API and configuration failures exit 2 with the error's message and no credential", () => {
  it("a token Cloudflare rejects", async () => {
    const wrongToken = "wrong-token-5a1f0c9e7d3b2a4f";
    const { code, stdout, stderr } = await runCustomCsr(["get", env.rsa.id, "--account", env.emulator.accountId], {
      ...childEnv,
      CLOUDFLARE_API_TOKEN: wrongToken,
    });
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(
      /^error: Cloudflare rejected the API token for GET \/accounts\/\S+ \(HTTP 401, code 10000 "Authentication error"\)\./,
    );
    expect(stderr).toContain('It needs the "SSL and Certificates Read" permission');
    expect(stderr).not.toContain(wrongToken);
    expect(stderr).not.toContain("Usage:");
  });

  it.each([
    ["get", ["get", "x1", "--account", "acc0000000000000000000000000dead"]],
    ["list", ["list", "--account", "acc0000000000000000000000000dead"]],
    ["verify", ["verify", "x1", "--account", "acc0000000000000000000000000dead", "--json"]],
  ])("%s in an account the token may not read (403)", async (_name, args) => {
    const { code, stdout, stderr } = await runCustomCsr(args, childEnv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain("HTTP 403");
    expect(stderr).toContain("acc0000000000000000000000000dead");
    expect(`${stdout}${stderr}`).not.toContain(MARKER_TOKEN);
  });

  it("a CSR that does not exist", async () => {
    const { code, stderr } = await runCustomCsr(
      ["get", "0000dead-0000-0000-0000-000000000000", "--account", env.emulator.accountId],
      childEnv,
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      `error: Custom CSR 0000dead-0000-0000-0000-000000000000 was not found in account ${env.emulator.accountId}`,
    );
  });

  it("no credentials in the environment", async () => {
    const { code, stderr } = await runCustomCsr(
      ["list", "--account", env.emulator.accountId],
      cleanEnv({ CLOUDFLARE_BASE_URL: env.emulator.baseUrl }),
    );
    expect(code).toBe(2);
    // The library's own error (the same resolution the lookup functions use), then where this command looks.
    const [headline, hint, ...rest] = stderr.split("\n");
    expect(headline).toMatch(/^error: invalid credentials: no Cloudflare credentials found\. Set CLOUDFLARE_API_TOKEN/);
    expect(headline).toContain('"SSL and Certificates Read"');
    expect(hint).toBe(
      "custom-csr reads CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL, from the environment; " +
        "it takes no credential on its command line, where shell history would keep it.",
    );
    expect(rest).toEqual([""]);
  });

  it("the legacy key + email pair works too, and a key without its email is refused", async () => {
    const keyEnv = cleanEnv({
      CLOUDFLARE_BASE_URL: env.emulator.baseUrl,
      CLOUDFLARE_API_KEY: env.emulator.apiKey,
      CLOUDFLARE_EMAIL: env.emulator.email,
    });
    expect((await runCustomCsr(["get", env.rsa.id, "--account", env.emulator.accountId, "--pem"], keyEnv)).stdout).toBe(
      env.rsa.csr,
    );
    const { code, stderr } = await runCustomCsr(["get", env.rsa.id, "--account", env.emulator.accountId], {
      ...keyEnv,
      CLOUDFLARE_EMAIL: "",
    });
    expect(code).toBe(2);
    expect(stderr).toContain("sets an API key without its email");
    expect(stderr).not.toContain(env.emulator.apiKey);
  });

  it("a plain-http base URL that is not loopback", async () => {
    const { code, stderr } = await runCustomCsr(
      ["list", "--account", env.emulator.accountId, "--base-url", "http://api.example.com/client/v4"],
      childEnv,
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      "error: invalid base URL (--base-url or CLOUDFLARE_BASE_URL): plain http:// is only allowed for loopback hosts",
    );
  });

  it("an error Cloudflare answers with a code, e.g. a malformed route", async () => {
    const body = {
      success: false,
      errors: [{ code: 7003, message: "Could not route to /accounts/x, perhaps your object identifier is invalid?" }],
      messages: [],
      result: null,
    };
    env.emulator.injectFault({ kind: "response", status: 400, body });
    const { code, stdout, stderr } = await runCustomCsr(["list", "--account", env.emulator.accountId], childEnv);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(/^error: .*HTTP 400.*7003/);
  });
});
