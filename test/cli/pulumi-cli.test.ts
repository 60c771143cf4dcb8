import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  compareVersions,
  locatePulumiCli,
  MIN_PULUMI_VERSION,
  parseVersion,
  PULUMI_ENV_VAR,
} from "../../src/cli/pulumi-cli";

let dir: string;

/** A fake `pulumi` in `<dir>/<where>` whose `pulumi version` prints `output` (or fails when it is `null`). */
function fakePulumi(where: string, output: string | null): string {
  const bin = path.join(dir, where);
  fs.mkdirSync(bin, { recursive: true });
  const file = path.join(bin, "pulumi");
  fs.writeFileSync(file, output === null ? "#!/bin/sh\necho broken >&2\nexit 3\n" : `#!/bin/sh\necho '${output}'\n`, {
    mode: 0o755,
  });
  return bin;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-pulumi-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("locatePulumiCli", () => {
  it("finds a new enough `pulumi` on PATH", async () => {
    const onPath = fakePulumi("path-bin", "v3.250.1");
    await expect(locatePulumiCli({ pathEnv: `/nonexistent${path.delimiter}${onPath}` })).resolves.toEqual({
      path: path.join(onPath, "pulumi"),
      version: "3.250.1",
      source: "PATH",
    });
  });

  it("runs the binary it is given instead of searching PATH; a relative path is taken from cwd", async () => {
    const onPath = fakePulumi("path-bin", "v3.250.1");
    const given = fakePulumi("install/bin", "v3.248.0");
    const expected = { path: path.join(given, "pulumi"), version: "3.248.0", source: "given" };
    const byFlag = (file: string, cwd?: string) =>
      locatePulumiCli({ pathEnv: onPath, given: { path: file, by: "--pulumi" }, cwd });
    await expect(byFlag(path.join(given, "pulumi"))).resolves.toEqual(expected);
    await expect(byFlag("install/bin/pulumi", dir)).resolves.toEqual(expected);
  });

  it("does not fall back to PATH when the given binary is missing, broken, too old or not a bin/pulumi", async () => {
    const onPath = fakePulumi("path-bin", "v3.250.1");
    const locate = (given: string) => locatePulumiCli({ pathEnv: onPath, given: { path: given, by: PULUMI_ENV_VAR } });
    const missing = path.join(dir, "none", "bin", "pulumi");
    await expect(locate(missing)).rejects.toThrow(`${PULUMI_ENV_VAR} ${missing}: no executable file there.`);
    const broken = path.join(fakePulumi("broken/bin", null), "pulumi");
    await expect(locate(broken)).rejects.toThrow(`${PULUMI_ENV_VAR} ${broken} does not run (`);
    const old = path.join(fakePulumi("old/bin", "v3.2.0"), "pulumi");
    await expect(locate(old)).rejects.toThrow(
      `${PULUMI_ENV_VAR} ${old} is version 3.2.0, older than ${MIN_PULUMI_VERSION}. Install Pulumi`,
    );
    const outsideBin = path.join(fakePulumi("tools", "v3.250.1"), "pulumi");
    await expect(locate(outsideBin)).rejects.toThrow(`${outsideBin}: expected the bin/pulumi of a Pulumi installation`);
  });

  it("says what it found on PATH and how to get a usable CLI when nothing usable is there", async () => {
    const hint =
      `Install Pulumi ${MIN_PULUMI_VERSION} or later (https://www.pulumi.com/docs/install/) and put it on PATH, ` +
      `or name its binary with --pulumi <path> or ${PULUMI_ENV_VAR}.`;
    const nothing = `no usable Pulumi CLI: no \`pulumi\` on PATH. ${hint}`;
    await expect(locatePulumiCli({ pathEnv: "" })).rejects.toThrow(nothing);
    const old = fakePulumi("old", "v3.2.0");
    await expect(locatePulumiCli({ pathEnv: old })).rejects.toThrow(
      `no usable Pulumi CLI: ${path.join(old, "pulumi")} is version 3.2.0, older than ${MIN_PULUMI_VERSION}. ${hint}`,
    );
  });
});

describe("versions", () => {
  it.each([
    ["v3.248.0\n", "3.248.0"],
    ["3.249.0-alpha.1+dirty", "3.249.0-alpha.1+dirty"],
    ["warning: a new version is available\nv3.139.2", "3.139.2"],
  ])("parseVersion(%j) is %s", (text, version) => expect(parseVersion(text)).toBe(version));

  it("parseVersion refuses text without a version", () =>
    expect(() => parseVersion("command not found")).toThrow('`pulumi version` printed "command not found"'));

  it.each([
    ["3.248.0", "3.139.0", 1],
    ["3.139.0", "3.139.0", 0],
    ["3.139.0-alpha.1", "3.139.0", 0],
    ["3.99.9", "3.139.0", -1],
    ["4.0.0", "3.999.0", 1],
  ])("compareVersions(%s, %s) has the sign of %d", (a, b, sign) => expect(Math.sign(compareVersions(a, b))).toBe(sign));
});
