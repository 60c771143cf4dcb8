import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { compareVersions, defaultPackageRoot, locatePulumiCli, MIN_PULUMI_VERSION, parseVersion } from "../../src/cli/pulumi-cli";

let dir: string;

/** A fake `pulumi` in `<dir>/<where>` whose `pulumi version` prints `output` (or fails when it is `null`). */
function fakePulumi(where: string, output: string | null): string {
  const bin = path.join(dir, where);
  fs.mkdirSync(bin, { recursive: true });
  const file = path.join(bin, "pulumi");
  fs.writeFileSync(file, output === null ? "#!/bin/sh\necho broken >&2\nexit 3\n" : `#!/bin/sh\necho '${output}'\n`, { mode: 0o755 });
  return bin;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-pulumi-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("locatePulumiCli", () => {
  it("prefers a new enough `pulumi` on PATH", async () => {
    const onPath = fakePulumi("path-bin", "v3.250.1");
    fakePulumi("pkg/.tools/bin", "v3.248.0");
    await expect(locatePulumiCli({ pathEnv: `/nonexistent${path.delimiter}${onPath}`, packageRoot: path.join(dir, "pkg") })).resolves.toEqual({
      path: path.join(onPath, "pulumi"), version: "3.250.1", source: "PATH",
    });
  });

  it("falls back to the package's .tools/bin when the one on PATH is too old or broken", async () => {
    const tools = fakePulumi("pkg/.tools/bin", "v3.248.0");
    for (const output of ["v3.100.0", null]) {
      const onPath = fakePulumi(`path-${String(output)}`, output);
      await expect(locatePulumiCli({ pathEnv: onPath, packageRoot: path.join(dir, "pkg") })).resolves.toEqual({
        path: path.join(tools, "pulumi"), version: "3.248.0", source: "package",
      });
    }
  });

  it("says what it found and how to install Pulumi when nothing usable is there", async () => {
    await expect(locatePulumiCli({ pathEnv: "", packageRoot: dir })).rejects.toThrow(
      `no usable Pulumi CLI: no \`pulumi\` on PATH. Install Pulumi ${MIN_PULUMI_VERSION} or later (https://www.pulumi.com/docs/install/) and put it on PATH.`,
    );
    const old = fakePulumi("old", "v3.2.0");
    const broken = fakePulumi("pkg/.tools/bin", null);
    const error = await locatePulumiCli({ pathEnv: old, packageRoot: path.join(dir, "pkg") }).catch((e: Error) => e);
    expect((error as Error).message).toContain(`${path.join(old, "pulumi")} is version 3.2.0, older than ${MIN_PULUMI_VERSION}`);
    expect((error as Error).message).toContain(`${path.join(broken, "pulumi")} does not run`);
  });

  it("by default looks in this package's own root, here the repository", () => {
    const root = defaultPackageRoot();
    expect(fs.realpathSync(root)).toBe(fs.realpathSync(path.resolve(__dirname, "../..")));
    expect(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).name).toBe("pulumi-cloudflare-custom-csr");
  });
});

describe("versions", () => {
  it.each([
    ["v3.248.0\n", "3.248.0"],
    ["3.249.0-alpha.1+dirty", "3.249.0-alpha.1+dirty"],
    ["warning: a new version is available\nv3.139.2", "3.139.2"],
  ])("parseVersion(%j) is %s", (text, version) => expect(parseVersion(text)).toBe(version));

  it("parseVersion refuses text without a version", () => expect(() => parseVersion("command not found")).toThrow('`pulumi version` printed "command not found"'));

  it.each([
    ["3.248.0", "3.139.0", 1],
    ["3.139.0", "3.139.0", 0],
    ["3.139.0-alpha.1", "3.139.0", 0],
    ["3.99.9", "3.139.0", -1],
    ["4.0.0", "3.999.0", 1],
  ])("compareVersions(%s, %s) has the sign of %d", (a, b, sign) => expect(Math.sign(compareVersions(a, b))).toBe(sign));
});
