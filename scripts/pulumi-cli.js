"use strict";
// Where this repo keeps its own Pulumi CLI, and which version it must be.
//
// The version is pinned by the @pulumi/pulumi dev dependency: the CLI that
// `npm run setup:pulumi` builds into .tools/bin (see scripts/setup-pulumi.js
// and tools/pulumi/README.md) is the same release as the SDK in node_modules.
// Tests can use this module to find that CLI, e.g. with the Automation API:
//   PulumiCommand.get({ root: toolsRoot(), version: new SemVer(pinnedPulumiVersion()) })
// Next to it the script builds the Node language host (pulumi-language-nodejs,
// from sdk/v3 v3.68.0), which directory programs (a Pulumi.yaml with
// `runtime: nodejs`, e.g. a LocalWorkspace `workDir`) need; inline programs do not.

const fs = require("node:fs");
const path = require("node:path");

const REPO_ROOT = path.resolve(__dirname, "..");

/** Absolute path of the repository root. */
function repoRoot() {
  return REPO_ROOT;
}

/** Absolute path of the git-ignored `.tools` directory (the CLI is in `.tools/bin`). */
function toolsRoot() {
  return path.join(REPO_ROOT, ".tools");
}

/**
 * The @pulumi/pulumi version this repository pins in package.json's devDependencies, e.g. "3.248.0": the CLI is
 * built at that version. Read from the pin, not from node_modules, because the compatibility job
 * (scripts/node24.sh) installs a newer SDK next to the same CLI.
 */
function pinnedPulumiVersion() {
  const manifest = path.join(REPO_ROOT, "package.json");
  const pin = JSON.parse(fs.readFileSync(manifest, "utf8")).devDependencies?.["@pulumi/pulumi"];
  if (typeof pin !== "string" || !/^\d+\.\d+\.\d+$/.test(pin)) {
    throw new Error(
      `${manifest} must pin devDependencies["@pulumi/pulumi"] to an exact version, not ${JSON.stringify(pin)}`,
    );
  }
  return pin;
}

/**
 * Absolute path of the Node language host that `npm run setup:pulumi` built into
 * `.tools/bin`, or null if it is not there (directory programs then fail with
 * "no language plugin 'pulumi-language-nodejs' found", unless one is on PATH).
 */
function nodeLanguageHost() {
  const file = path.join(toolsRoot(), "bin", "pulumi-language-nodejs");
  return fs.existsSync(file) ? file : null;
}

/** One line telling a developer how to get the CLI that tests need. */
function setupHint() {
  let wanted;
  try {
    wanted = pinnedPulumiVersion();
  } catch {
    wanted = "the @pulumi/pulumi version";
  }
  return (
    "run `npm run setup:pulumi` to build the Pulumi CLI and its Node language host into .tools/bin " +
    `(needs Go), or put a Pulumi CLI >= ${wanted} on PATH`
  );
}

module.exports = { repoRoot, toolsRoot, pinnedPulumiVersion, nodeLanguageHost, setupHint };
