#!/usr/bin/env node
"use strict";
// npm run setup:pulumi — make a Pulumi CLI available for the e2e tests.
//
// Why this exists: the usual Pulumi installers (get.pulumi.com, the GitHub
// release downloads, PulumiCommand.install()) fetch prebuilt binaries, which
// this project's machines and CI cannot reach. The Go module proxy is
// reachable, so the binaries are built from pulumi/pulumi Go modules:
//   - tools/pulumi/go.mod pins the CLI (`pulumi`) at the same version as the
//     @pulumi/pulumi dev dependency;
//   - tools/pulumi-language-nodejs/go.mod pins the Node language host
//     (`pulumi-language-nodejs`, needed to run directory programs), taken from
//     sdk/v3 v3.68.0 because the proxy refuses its current standalone module.
// See tools/pulumi/README.md.
//
// Order of preference:
//   1. a `pulumi` on PATH at least as new as the pinned version: use it as is;
//   2. .tools/bin already holds every pinned build: nothing to do;
//   3. otherwise `go build` every `tool` of both go.mod files that is missing
//      or stale into .tools/bin (and record it in .tools/bin/.versions.json),
//      and copy the dynamic-provider shim (pulumi-resource-pulumi-nodejs) from
//      node_modules/@pulumi/pulumi.
// Exits 1 with a message saying what to install when none of that works.

const { spawn, spawnSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { repoRoot, toolsRoot, pinnedPulumiVersion } = require("./pulumi-cli");

const CLI_MODULE_DIR = path.join(repoRoot(), "tools", "pulumi");
const HOST_MODULE_DIR = path.join(repoRoot(), "tools", "pulumi-language-nodejs");
const BIN_DIR = path.join(toolsRoot(), "bin");
const STAMP_FILE = path.join(BIN_DIR, ".versions.json");
const CLI = "pulumi";
const HOST = "pulumi-language-nodejs";
const SHIM = "pulumi-resource-pulumi-nodejs";
const SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3";
const VERSION_VAR = `${SDK_MODULE}/go/common/version.Version`;
const HEARTBEAT_MS = 15_000;
const RERUN = "npm run setup:pulumi";

class SetupError extends Error {}

function log(msg) {
  console.log(`[setup:pulumi] ${msg}`);
}

const rel = (p) => path.relative(repoRoot(), p);

// ---- versions --------------------------------------------------------------

/** "v3.248.0-alpha.1" -> [3, 248, 0, true]; null if it is no version. */
function parseVersion(text) {
  const m = /v?(\d+)\.(\d+)\.(\d+)(-\S+)?/.exec(text || "");
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Boolean(m[4])] : null;
}

/** True when version a >= b (a prerelease counts as older than its release). */
function versionAtLeast(a, b) {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] > b[i];
  }
  return !a[3] || b[3];
}

/** What a tools/<dir>/go.mod pins: Go version, pulumi module versions, tools; null if there is no go.mod. */
function readGoMod(dir) {
  const file = path.join(dir, "go.mod");
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, "utf8");
  const required = (mod) => {
    const m = new RegExp(`^\\s*(?:require\\s+)?${mod.replace(/[./]/g, "\\$&")}\\s+(v\\S+)`, "m").exec(text);
    return m ? m[1] : null;
  };
  const tools = [];
  const block = /^tool\s*\(([^)]*)\)/m.exec(text);
  if (block)
    tools.push(
      ...block[1]
        .split("\n")
        .map((l) => l.replace(/\/\/.*/, "").trim())
        .filter(Boolean),
    );
  for (const m of text.matchAll(/^tool\s+([^\s(]+)/gm)) tools.push(m[1]);
  const sum = path.join(dir, "go.sum");
  // Any change to go.mod or go.sum makes the binaries built from them stale.
  const inputs = createHash("sha256")
    .update(text)
    .update("\0")
    .update(fs.existsSync(sum) ? fs.readFileSync(sum) : "")
    .digest("hex")
    .slice(0, 16);
  return {
    dir,
    file,
    inputs,
    go: (/^go\s+(\S+)/m.exec(text) || [])[1],
    pkg: required("github.com/pulumi/pulumi/pkg/v3"),
    sdk: required(SDK_MODULE),
    tools,
  };
}

/** The binary name `go build` gives a main package: last element, minus a /vN suffix. */
function binaryName(importPath) {
  const parts = importPath.split("/");
  const last = parts.pop();
  return /^v\d+$/.test(last) ? parts.pop() : last;
}

function checkCliPins(pinned, goMod) {
  if (!goMod) throw new SetupError(`${rel(path.join(CLI_MODULE_DIR, "go.mod"))} is missing`);
  const want = `v${pinned}`;
  if (goMod.pkg !== want || goMod.sdk !== want) {
    throw new SetupError(
      `version mismatch: package.json pins @pulumi/pulumi ${pinned}, but ${rel(goMod.file)} ` +
        `requires pkg/v3 ${goMod.pkg} and sdk/v3 ${goMod.sdk}. Bump tools/pulumi/go.mod ` +
        "(see tools/pulumi/README.md) or pin the matching @pulumi/pulumi.",
    );
  }
  if (!goMod.tools.some((t) => binaryName(t) === CLI)) {
    throw new SetupError(`${rel(goMod.file)} has no \`tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi\` line`);
  }
}

/**
 * Everything to build, as { name, tool, goMod, version }: each `tool` of
 * tools/pulumi (stamped with the pinned version) and of
 * tools/pulumi-language-nodejs (stamped with its sdk/v3 version). The latter
 * is skipped if tools/pulumi already builds a language host itself.
 */
function buildTargets(pinned, cliMod, hostMod) {
  const targets = cliMod.tools.map((tool) => ({ name: binaryName(tool), tool, goMod: cliMod, version: `v${pinned}` }));
  if (!hostMod) return targets;
  if (targets.some((t) => t.name === HOST)) {
    log(`note: ${rel(cliMod.file)} builds ${HOST} itself; ignoring ${rel(hostMod.file)}`);
    return targets;
  }
  if (!hostMod.sdk || !hostMod.tools.some((t) => binaryName(t) === HOST)) {
    throw new SetupError(`${rel(hostMod.file)} must require ${SDK_MODULE} and have a \`tool …/${HOST}\` line`);
  }
  return targets.concat(
    hostMod.tools.map((tool) => ({ name: binaryName(tool), tool, goMod: hostMod, version: hostMod.sdk })),
  );
}

// ---- what is already there ---------------------------------------------------

/** Version printed by `<bin> version`, or null if it does not run. */
function cliVersion(bin) {
  const res = spawnSync(bin, ["version"], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  if (res.error || res.status !== 0) return null;
  return res.stdout.trim() || null;
}

/** Absolute path of the first executable `name` on PATH, or null. */
function findOnPath(name) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function realpathOrSelf(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** A `pulumi` on PATH (outside .tools) that is new enough, or null. */
function usablePathCli(pinned) {
  const bin = findOnPath(CLI);
  if (!bin || realpathOrSelf(bin) === realpathOrSelf(path.join(BIN_DIR, CLI))) {
    return null; // none, or it is our own build: judged by isCurrent
  }
  const version = cliVersion(bin);
  const parsed = parseVersion(version);
  if (!parsed) {
    log(`ignoring ${bin}: \`pulumi version\` printed nothing usable`);
    return null;
  }
  if (!versionAtLeast(parsed, parseVersion(pinned))) {
    log(`ignoring ${bin}: it is ${version}, older than ${pinned}`);
    return null;
  }
  return { bin, version };
}

/** .tools/bin/.versions.json: { <binary>: { version, module, inputs, builtAt } } for what this script built. */
function readStamp() {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP_FILE, "utf8"));
    return stamp && typeof stamp === "object" ? stamp : {};
  } catch {
    return {};
  }
}

function recordBuild(target) {
  const stamp = readStamp();
  stamp[target.name] = {
    version: target.version,
    module: rel(target.goMod.dir),
    inputs: target.goMod.inputs,
    builtAt: new Date().toISOString(),
  };
  const tmp = `${STAMP_FILE}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(stamp, null, 2)}\n`);
  fs.renameSync(tmp, STAMP_FILE);
}

/**
 * Whether .tools/bin/<target> is the build go.mod asks for. The stamp must
 * match (version and go.mod/go.sum digest); the CLI must also report the
 * pinned version, and may lack a stamp entry (builds from before the stamp).
 */
function isCurrent(target, stamp) {
  const file = path.join(BIN_DIR, target.name);
  if (!fs.existsSync(file)) return false;
  const entry = stamp[target.name];
  if (entry && (entry.version !== target.version || entry.inputs !== target.goMod.inputs)) return false;
  if (target.name === CLI) return cliVersion(file) === target.version;
  return Boolean(entry);
}

// ---- building ----------------------------------------------------------------

/** Installed Go version as [major, minor, patch], or null when `go` is missing. */
function goVersion() {
  const res = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" });
  if (res.error || res.status !== 0) return null;
  const m = /go(\d+)\.(\d+)(?:\.(\d+))?/.exec(res.stdout);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] || 0), false] : null;
}

function requireGo(targets, pinned) {
  const have = goVersion();
  const mods = [...new Set(targets.map((t) => t.goMod))];
  const need = `Go >= ${mods.map((m) => `${m.go} (from ${rel(m.file)})`).join(" and ")} or a Pulumi CLI >= ${pinned} on PATH`;
  if (!have) {
    throw new SetupError(
      `no Pulumi CLI >= ${pinned} on PATH and no \`go\` to build one.\n  Install ${need}, then rerun \`${RERUN}\`.`,
    );
  }
  for (const mod of mods) {
    const want = parseVersion(`${mod.go}${mod.go.split(".").length < 3 ? ".0" : ""}`);
    if (!versionAtLeast(have, want)) {
      log(
        `warning: go ${have.slice(0, 3).join(".")} is older than the go ${mod.go} that ${rel(mod.file)} needs; ` +
          `unless GOTOOLCHAIN lets go fetch a newer toolchain, the build fails (install ${need})`,
      );
    }
  }
  log(`building with go ${have.slice(0, 3).join(".")} (module and build caches: Go's defaults)`);
}

/**
 * `go build -v` one main package of a tools/ module to `out`, stamped with
 * `version`. Package names that -v prints are counted for the heartbeat;
 * anything else (errors, downloads) is shown.
 */
function goBuild(target, out) {
  const args = [
    "build",
    "-v",
    "-trimpath",
    "-tags",
    "osusergo,grpcnotrace",
    "-ldflags",
    `-s -w -X ${VERSION_VAR}=${target.version}`,
    "-o",
    out,
    target.tool,
  ];
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let packages = 0;
    let pending = "";
    const child = spawn("go", args, {
      cwd: target.goMod.dir,
      env: { ...process.env, CGO_ENABLED: "0" },
      stdio: ["ignore", "inherit", "pipe"],
    });
    const seconds = () => Math.round((Date.now() - started) / 1000);
    const heartbeat = setInterval(() => log(`  ... ${seconds()}s, ${packages} packages compiled`), HEARTBEAT_MS);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop();
      for (const line of lines) {
        if (/^[^\s#]+$/.test(line)) packages += 1;
        else if (line.trim()) process.stderr.write(`  ${line}\n`);
      }
    });
    child.on("error", (err) => {
      clearInterval(heartbeat);
      reject(new SetupError(`cannot run go: ${err.message}`));
    });
    child.on("close", (code) => {
      clearInterval(heartbeat);
      if (pending.trim() && !/^[^\s#]+$/.test(pending)) process.stderr.write(`  ${pending}\n`);
      if (code === 0) resolve(seconds());
      else
        reject(
          new SetupError(
            `go build ${target.tool} failed (exit ${code}); see the messages above, then rerun \`${RERUN}\``,
          ),
        );
    });
  });
}

/**
 * The language host has no version flag: start it the way the CLI does and
 * wait for the port it prints, then stop it. Proves the binary runs here.
 */
function probeHost(bin) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const fail = (why) => {
      clearTimeout(timer);
      child.kill();
      reject(new SetupError(`${rel(bin)} did not start: ${why}${err.trim() ? `\n  ${err.trim()}` : ""}`));
    };
    const timer = setTimeout(() => fail("no port printed within 20s"), 20_000);
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => (err += chunk));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /^(\d+)\r?\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.kill();
        resolve(Number(m[1]));
      }
    });
    child.on("error", (e) => fail(e.message));
    child.on("exit", (code, signal) => {
      if (!/^\d+\r?\n/.test(out)) fail(`exited (${signal || `code ${code}`})`);
    });
  });
}

async function verify(target) {
  const bin = path.join(BIN_DIR, target.name);
  if (target.name === CLI) {
    const version = cliVersion(bin);
    if (version !== target.version) {
      throw new SetupError(`.tools/bin/pulumi version printed ${JSON.stringify(version)}, expected ${target.version}`);
    }
    log(`  ok: .tools/bin/pulumi version -> ${version}`);
  } else if (target.name === HOST) {
    const port = await probeHost(bin);
    log(`  ok: .tools/bin/${HOST} (${target.version}) starts and serves on port ${port}`);
  }
}

async function buildTargetsInto(targets) {
  fs.mkdirSync(BIN_DIR, { recursive: true });
  for (const [i, target] of targets.entries()) {
    const out = path.join(BIN_DIR, target.name);
    const tmp = `${out}.tmp-${process.pid}`;
    log(
      `step ${i + 1}/${targets.length}: go build ${target.tool} (${rel(target.goMod.dir)}, ${target.version}) ` +
        `-> .tools/bin/${target.name} (${target.name === CLI ? "about 4 min" : "about 1-2 min"} on a cold cache)`,
    );
    try {
      const secs = await goBuild(target, tmp);
      fs.renameSync(tmp, out);
      log(`  built ${target.name} in ${secs}s (${(fs.statSync(out).size / 2 ** 20).toFixed(1)} MiB)`);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    await verify(target);
    recordBuild(target);
  }
}

/** Copies the dynamic-provider shim from node_modules/@pulumi/pulumi unless .tools/bin has the same one. */
function installShim() {
  const src = path.join(repoRoot(), "node_modules", "@pulumi", "pulumi", SHIM);
  if (!fs.existsSync(src)) {
    throw new SetupError(`${src} is missing; run \`npm ci\` first`);
  }
  const dest = path.join(BIN_DIR, SHIM);
  if (fs.existsSync(dest) && fs.readFileSync(dest).equals(fs.readFileSync(src))) return;
  fs.mkdirSync(BIN_DIR, { recursive: true });
  fs.copyFileSync(src, dest);
  fs.chmodSync(dest, 0o755);
  log(`copied the dynamic-provider shim ${SHIM} to .tools/bin`);
}

// ---- main --------------------------------------------------------------------

function noteMissingLanguageHost(targets) {
  if (!targets.some((t) => t.name === HOST)) {
    log(
      `note: no Node language host (${HOST}) is built (${rel(HOST_MODULE_DIR)}/go.mod is missing); ` +
        "Automation API inline programs do not need it, directory programs do (see tools/pulumi/README.md)",
    );
  }
}

async function main() {
  const pinned = pinnedPulumiVersion();
  const cliMod = readGoMod(CLI_MODULE_DIR);
  checkCliPins(pinned, cliMod);
  const hostMod = readGoMod(HOST_MODULE_DIR);
  const targets = buildTargets(pinned, cliMod, hostMod);
  log(
    `pinned Pulumi version ${pinned} (package.json devDependencies, tools/pulumi/go.mod)` +
      (hostMod ? `; Node language host from sdk/v3 ${hostMod.sdk} (tools/pulumi-language-nodejs/go.mod)` : ""),
  );

  const onPath = usablePathCli(pinned);
  if (onPath) {
    log(`using ${onPath.bin} (${onPath.version}) from PATH; it ships its own plugins, nothing to build`);
    if (!fs.existsSync(path.join(path.dirname(onPath.bin), HOST)) && !findOnPath(HOST)) {
      log(`warning: no ${HOST} next to it or on PATH: directory programs (Pulumi.yaml + runtime: nodejs) will fail`);
    }
    return;
  }

  const stamp = readStamp();
  const stale = targets.filter((t) => !isCurrent(t, stamp));
  if (!stale.length) {
    installShim();
    log(
      `already built: ${targets.map((t) => `.tools/bin/${t.name} ${t.version}`).join(", ")} ` +
        "(delete .tools/bin to force a rebuild)",
    );
    noteMissingLanguageHost(targets);
    return;
  }

  requireGo(stale, pinned);
  const started = Date.now();
  const current = targets.filter((t) => !stale.includes(t));
  if (current.length) log(`up to date, not rebuilt: ${current.map((t) => `${t.name} ${t.version}`).join(", ")}`);
  await buildTargetsInto(stale);
  installShim();
  noteMissingLanguageHost(targets);
  log(
    `done in ${Math.round((Date.now() - started) / 1000)}s; put ${BIN_DIR} first on PATH, or use PulumiCommand.get({ root: '${toolsRoot()}' })`,
  );
}

main().catch((err) => {
  if (err instanceof SetupError) {
    console.error(`[setup:pulumi] error: ${err.message}`);
  } else {
    console.error("[setup:pulumi] unexpected failure:", err);
  }
  process.exitCode = 1;
});
