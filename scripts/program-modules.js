"use strict";
// A `node_modules` directory for a Pulumi program outside the repository, that resolves this package by name the
// way an installed copy does, without a self-dependency in package.json.
//
// Why: the serialized provider calls require("pulumi-cloudflare-custom-csr/...") at run time, and the provider
// plugin resolves it from the program's directory (Node's self-reference does not apply there: the provider text is
// loaded from a string, with no file inside the package). So a program directory needs node_modules holding the
// package, and the package's own dependencies must resolve from where it really lives.
//
// The directory holds a symbolic link per entry of the repository's node_modules, plus
// `pulumi-cloudflare-custom-csr` -> the package: the repository itself (dist/ built) or a packed-and-extracted
// copy. Node resolves a linked package's dependencies from its real path, so an extracted copy must live in a
// directory whose node_modules resolves them too: extractPackedBuild puts it inside the directory it returns.

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const REPO_ROOT = path.resolve(__dirname, "..");
const PACKAGE_NAME = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).name;

/** Links every package of `<root>/node_modules` into `modules`, except a stale link to this package. */
function linkDependencies(modules, root) {
  for (const entry of fs.readdirSync(path.join(root, "node_modules"))) {
    if (entry === PACKAGE_NAME || entry.startsWith(".")) continue;
    fs.symlinkSync(path.join(root, "node_modules", entry), path.join(modules, entry), "dir");
  }
}

/**
 * Creates `<dir>/node_modules` with a link to every package of the repository's node_modules and
 * `pulumi-cloudflare-custom-csr` -> `packageDir` (default: the repository, whose dist/ must be built).
 * Returns the node_modules path.
 */
function linkProgramModules(dir, packageDir = REPO_ROOT) {
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules, { recursive: true });
  linkDependencies(modules, REPO_ROOT);
  fs.symlinkSync(packageDir, path.join(modules, PACKAGE_NAME), "dir");
  return modules;
}

/**
 * `npm pack` of the repository (dist/ must be built: lifecycle scripts are skipped) into `dir`,
 * extracted to `<dir>/node_modules/pulumi-cloudflare-custom-csr` next to links to its dependencies. Returns and
 * records in `<dir>/pack.json` the tarball's path, the packed files and that node_modules path, which a program
 * directory can link to.
 */
function extractPackedBuild(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [{ filename, files }] = JSON.parse(out);
  const build = {
    tarball: path.join(dir, filename),
    files: files.map((f) => f.path),
    modules: path.join(dir, "node_modules"),
  };
  const packageDir = path.join(build.modules, PACKAGE_NAME);
  fs.mkdirSync(packageDir, { recursive: true });
  execFileSync("tar", ["-xzf", build.tarball, "-C", packageDir, "--strip-components=1"]);
  linkDependencies(build.modules, REPO_ROOT);
  fs.writeFileSync(path.join(dir, "pack.json"), JSON.stringify(build, null, 2));
  return build;
}

module.exports = { PACKAGE_NAME, linkProgramModules, extractPackedBuild };
