import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageVersion, userAgent } from "../../src/version";

const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as {
  name: string;
  version: string;
};

describe("packageVersion", () => {
  it("equals the version in package.json", () => {
    expect(packageVersion()).toBe(manifest.version);
  });

  it("reads package.json once, however often the version is asked for (every request sends it)", () => {
    const reads: string[] = [];
    jest.isolateModules(() => {
      jest.doMock("node:fs", () => ({
        readFileSync: (file: string) => {
          reads.push(file);
          return JSON.stringify(manifest);
        },
      }));
      const isolated = jest.requireActual<typeof import("../../src/version")>("../../src/version");
      isolated.packageVersion();
      isolated.userAgent();
      expect(isolated.packageVersion()).toBe(manifest.version);
    });
    jest.dontMock("node:fs");
    expect(reads).toHaveLength(1);
  });

  it.each([
    [
      "no package.json is readable",
      () => {
        throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      },
    ],
    [
      "every package.json belongs to another package",
      () => JSON.stringify({ name: "some-other-package", version: "9.9.9" }),
    ],
  ])("falls back to 0.0.0 when %s", (_label, readFileSync) => {
    jest.isolateModules(() => {
      jest.doMock("node:fs", () => ({ readFileSync }));
      const isolated = jest.requireActual<typeof import("../../src/version")>("../../src/version");
      expect(isolated.packageVersion()).toBe("0.0.0");
      expect(isolated.userAgent()).toContain("pulumi-cloudflare-custom-csr/0.0.0 ");
    });
    jest.dontMock("node:fs");
  });
});

describe("userAgent", () => {
  it("names the package, its version and the Node version", () => {
    expect(userAgent()).toBe(`pulumi-cloudflare-custom-csr/${manifest.version} node/${process.version}`);
  });
});
