import { run } from "../../src/cli/main";
import { DEFAULT_EMULATOR_TOKEN } from "../../src/emulator";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { captureIo, waitFor } from "./support";

/**
 * `run()` in-process, with captured streams: the cases the subprocess suites cannot reach cheaply (a PEM that
 * is missing, garbled or wrongly signed; a terminal on stdout; the emulator stopped without a signal).
 */

let env: SeededEmulator;
let cloudflare: NodeJS.ProcessEnv;

beforeAll(async () => {
  env = await startSeededEmulator();
  cloudflare = { CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl };
});
afterAll(() => env.emulator.stop());

/** A fresh RSA CSR in the default account, for tests that break it. */
async function freshCsr(name: string) {
  return env.emulator.createCsr(env.account, {
    common_name: `${name}.example.dev`,
    sans: [`${name}.example.dev`],
    country: "US",
    state: "CA",
    locality: "SF",
    organization: "Example",
    name,
  });
}

/** The PEM with the last byte of its signature flipped: still a well-formed request, no longer a valid one. */
function withBrokenSignature(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  der[der.length - 1] ^= 0x01;
  const body = der
    .toString("base64")
    .match(/.{1,64}/g)
    ?.join("\n");
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
}

describe("run()", () => {
  it("get on a terminal prints a coloured summary; NO_COLOR keeps it plain", async () => {
    const tty = captureIo(cloudflare, true);
    expect(await run(["get", env.ec.id, "--account", env.emulator.accountId], tty)).toBe(0);
    expect(tty.out()).toContain("\u001b[1mCustom CSR");
    expect(tty.out()).toContain("\u001b[2mKey        \u001b[22m  ECDSA-P256 (p256v1)\n");

    const noColor = captureIo({ ...cloudflare, NO_COLOR: "1" }, true);
    expect(await run(["get", env.ec.id, "--account", env.emulator.accountId], noColor)).toBe(0);
    expect(noColor.out()).not.toContain("\u001b[");
    expect(noColor.out()).toMatch(/Name\s+\(none\)\n/);
  });

  it("list prints a table with a bold heading on a terminal", async () => {
    const io = captureIo(cloudflare, true);
    expect(await run(["list", "--account", env.emulator.accountId, "--order", "name"], io)).toBe(0);
    expect(io.out().startsWith("\u001b[1mID  ")).toBe(true);
    expect(io.err()).toBe("");
  });

  it("verify fails the signature check of a PEM whose signature was tampered with", async () => {
    const csr = await freshCsr("tampered");
    env.emulator.updateCsr(env.account, csr.id, { csr: withBrokenSignature(csr.csr as string) });
    const io = captureIo(cloudflare);
    expect(
      await run(["verify", csr.id, "--account", env.emulator.accountId, "--expect-sans", "tampered.example.dev"], io),
    ).toBe(1);
    expect(io.out()).toContain("  PASS  the PEM is one well-formed PKCS#10 request\n");
    expect(io.out()).toContain("  FAIL  the self-signature verifies with the CSR's own public key\n");
    expect(io.out()).toContain("  PASS  the PEM agrees with the API's common_name, sans and key_type\n");
    expect(io.out()).toContain("  PASS  the CSR's SANs are exactly tampered.example.dev\n");
  });

  it.each([
    ["missing", undefined, "Cloudflare returned no PEM (the `csr` field is missing)"],
    ["not a PEM", "garbage", "no PEM block found"],
  ])("verify stops after the PEM check when the PEM is %s", async (_what, pem, detail) => {
    const csr = await freshCsr(`pem-${pem ?? "none"}`);
    env.emulator.updateCsr(env.account, csr.id, { csr: pem });
    const io = captureIo(cloudflare);
    expect(
      await run(
        ["verify", csr.id, "--account", env.emulator.accountId, "--expect-key-sha256", "0".repeat(64), "--json"],
        io,
      ),
    ).toBe(1);
    expect(JSON.parse(io.out())).toEqual({
      customCsrId: csr.id,
      accountId: env.emulator.accountId,
      ok: false,
      checks: [{ id: "pem", description: "the PEM is one well-formed PKCS#10 request", ok: false, details: [detail] }],
    });
  });

  it("emulator runs until interrupted and then stops", async () => {
    const io = captureIo({});
    const running = run(["emulator", "--seed", "example"], io);
    await waitFor(() => io.out().includes("Press Ctrl-C to stop."));
    const baseUrl = /listening on (\S+)/.exec(io.out())?.[1] as string;
    const response = await fetch(`${baseUrl}/zones/2011e000000000000000000000000001/custom_csrs`, {
      headers: { Authorization: `Bearer ${DEFAULT_EMULATOR_TOKEN}` },
    });
    expect(((await response.json()) as { result: unknown[] }).result).toHaveLength(1);
    io.interrupt();
    expect(await running).toBe(0);
    expect(io.err()).toBe("Emulator stopped (SIGINT).\n");
  });

  it("emulator without a seed says there are no CSRs yet", async () => {
    const io = captureIo({});
    const running = run(["emulator"], io);
    await waitFor(() => io.out().includes("Press Ctrl-C to stop."));
    expect(io.out()).toContain("No CSRs yet (start it with --seed <file> to create some).");
    expect(io.out()).toContain("  custom-csr list --account acc00000000000000000000000000001\n");
    io.interrupt();
    expect(await running).toBe(0);
  });

  it("drift in a directory without a Pulumi project is an error, before any Pulumi CLI runs", async () => {
    const io = captureIo({});
    expect(await run(["drift", "--stack", "dev", "--cwd", "/nonexistent-project"], io)).toBe(2);
    expect(io.err()).toBe(
      "error: no Pulumi project in /nonexistent-project (no Pulumi.yaml); pass the project directory with --cwd <dir>\n",
    );
  });

  it("with --json, a usage or argument error is a JSON object on stderr, without the usage line, still exit 2", async () => {
    const io = captureIo(cloudflare);
    expect(await run(["get", "x1", "--json"], io)).toBe(2);
    expect(JSON.parse(io.err())).toEqual({
      error: { name: "UsageError", message: "one of --account <id> or --zone <id> is required" },
    });
    const invalid = captureIo(cloudflare);
    expect(await run(["list", "--zone", "example.com", "--json"], invalid)).toBe(2);
    expect(JSON.parse(invalid.err())).toMatchObject({
      error: {
        name: "InvalidCustomCsrArgsError",
        problems: [{ field: "zoneId", reason: expect.stringContaining("example.com") }],
      },
    });
    expect(invalid.out()).toBe("");
  });

  it("usage errors are reported with the usage line and exit 2", async () => {
    const io = captureIo(cloudflare, true);
    expect(await run(["get", "x1"], io)).toBe(2);
    expect(io.err()).toBe(
      "\u001b[31merror: one of --account <id> or --zone <id> is required\u001b[39m\nUsage: custom-csr get [options] <id>\nRun `custom-csr get --help` for details.\n",
    );
  });
});
