#!/usr/bin/env node
"use strict";
// npm run setup:pebble — make Let's Encrypt's test CA (Pebble) and its DNS test server (pebble-challtestsrv)
// available for the ACME tests, the demo and the bench.
//
// Both are built from the Go module proxy (the only way this project's machines and CI can get them) with
// `go install github.com/letsencrypt/pebble/v2/cmd/<name>@v2.10.3` into .tools/bin, and the module's test TLS files
// (the minica root that signs Pebble's own HTTPS listener, and the listener's localhost certificate and key) are
// copied to .tools/pebble/. Nothing is rebuilt when .tools/pebble/version says v2.10.3 and both binaries are there.
// Exits 1 with a message when Go is missing or the build fails.

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const VERSION = "v2.10.3";
const MODULE = "github.com/letsencrypt/pebble/v2";
const ROOT = path.join(__dirname, "..");
const BIN_DIR = path.join(ROOT, ".tools", "bin");
const FILES_DIR = path.join(ROOT, ".tools", "pebble");
const STAMP = path.join(FILES_DIR, "version");
const PROGRAMS = ["pebble", "pebble-challtestsrv"];
const TEST_FILES = {
  "pebble.minica.pem": "test/certs/pebble.minica.pem",
  "localhost-cert.pem": "test/certs/localhost/cert.pem",
  "localhost-key.pem": "test/certs/localhost/key.pem",
};

function log(message) {
  process.stdout.write(`[setup:pebble] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[setup:pebble] ${message}\n`);
  process.exit(1);
}

function go(args, options = {}) {
  const result = spawnSync("go", args, { encoding: "utf8", ...options });
  if (result.error !== undefined) fail(`cannot run go (${result.error.message}): install the Go toolchain`);
  if (result.status !== 0) fail(`go ${args.join(" ")} failed:\n${result.stderr}`);
  return result.stdout;
}

function ready() {
  const stamped = fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8").trim() === VERSION;
  return (
    stamped &&
    PROGRAMS.every((name) => fs.existsSync(path.join(BIN_DIR, name))) &&
    Object.keys(TEST_FILES).every((name) => fs.existsSync(path.join(FILES_DIR, name)))
  );
}

function main() {
  if (ready()) {
    log(`already built: .tools/bin/{${PROGRAMS.join(",")}} ${VERSION} (delete .tools/pebble to force a rebuild)`);
    return;
  }
  const started = Date.now();
  fs.mkdirSync(BIN_DIR, { recursive: true });
  fs.mkdirSync(FILES_DIR, { recursive: true });
  const targets = PROGRAMS.map((name) => `${MODULE}/cmd/${name}@${VERSION}`);
  log(`go install ${targets.join(" ")} -> .tools/bin (about 25 s on a cold cache)`);
  go(["install", ...targets], { env: { ...process.env, GOBIN: BIN_DIR, CGO_ENABLED: "0" }, stdio: "pipe" });
  const moduleDir = JSON.parse(go(["mod", "download", "-json", `${MODULE}@${VERSION}`])).Dir;
  for (const [name, relative] of Object.entries(TEST_FILES)) {
    fs.copyFileSync(path.join(moduleDir, relative), path.join(FILES_DIR, name));
  }
  fs.writeFileSync(STAMP, `${VERSION}\n`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main();
