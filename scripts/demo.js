#!/usr/bin/env node
"use strict";
// npm run demo — the whole story of pulumi-cloudflare-custom-csr in one command,
// with no Cloudflare account and no Pulumi Cloud login.
//
// What it shows, in order:
//   1. a local Cloudflare Custom CSR API (the package's emulator) holding two
//      CSRs, an RSA one and a P-256 one;
//   2. a local Pulumi stack: file backend in .demo/state, PULUMI_HOME in
//      .demo/home, passphrase secrets, credentials passed the way a user passes
//      them (env CLOUDFLARE_BASE_URL, secret config cloudflare:apiToken);
//   3. a real `pulumi up` of this repository's Pulumi.yaml program
//      (examples/index.ts), which looks up the RSA CSR;
//   4. its outputs (PEM, SANs, common name, key fingerprint), with the
//      fingerprint checked independently by openssl;
//   5. the ACME chain: the same `up` ran CustomCsrCertificate, which ordered a
//      certificate for the CSR from Let's Encrypt's test CA, Pebble (built by
//      npm run setup:pebble), proving the names with DNS-01 TXT records written
//      through the (emulated) Cloudflare API, and checkCertificateOutput checked
//      it; then a renewal: with renewBeforeDays above the days left, `preview`
//      shows the certificate as an update and `up` re-orders it;
//      then `custom-csr expiry` (text and GitHub annotations) catches that
//      certificate, served for the CSR, as expiring within --min-days 30;
//   6. the certificate step: a throwaway local CA (openssl) issues a
//      certificate for the CSR's PEM, checkCertificate accepts it (the one to
//      upload with cloudflare.CustomSsl + customCsrId), and rejects one issued
//      for another key with CertificateMismatchError;
//   7. drift checks (`pulumi refresh --preview-only --expect-no-changes`):
//      nothing changed -> passes; a field changed (simulated by the emulator:
//      Cloudflare's API cannot update a Custom CSR) -> fails naming the field;
//      CSR deleted remotely -> fails showing the resource gone;
//   8. cleanup: `pulumi destroy` removes the CSR from the stack only (the
//      emulator sees no DELETE request), then the stack, the emulator,
//      Pulumi.demo.yaml and .demo/ are removed. Ctrl-C cleans up too.
//
// Exit code 0 on success, 1 on failure (130 when interrupted). The API token is
// never printed.

const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { execFile, spawnSync } = require("node:child_process");
const { SemVer } = require("semver");
const cli = require("./pulumi-cli");
const { linkProgramModules } = require("./program-modules");
const { startPebble } = require("./pebble");

const REPO_ROOT = cli.repoRoot();
const DEMO_DIR = path.join(REPO_ROOT, ".demo");
const STACK_NAME = "demo";
const STACK_CONFIG_FILE = path.join(REPO_ROOT, `Pulumi.${STACK_NAME}.yaml`);
const RESOURCE_TYPE = "pulumi-nodejs:cloudflare:CustomCsr";

/** Everything cleanup needs to undo; filled in as the demo goes. */
const state = {
  emulator: undefined,
  pebble: undefined,
  stack: undefined,
  abort: new AbortController(),
  interrupted: false,
  deletedInEmulator: false,
};
/** Strings that must never reach the terminal (the API token). */
const secrets = [];

// ---- output ----------------------------------------------------------------

function redact(text) {
  return secrets.reduce((out, secret) => out.split(secret).join("[secret]"), String(text));
}

function say(line = "") {
  console.log(redact(line));
}

function heading(title) {
  say();
  say(`== ${title} ${"=".repeat(Math.max(3, 72 - title.length))}`);
}

function indent(text, prefix = "    ") {
  return text
    .replace(/\s+$/, "")
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

/** Prints the engine's output line by line, indented, as it streams. */
function engineStream(prefix = "  | ") {
  let pending = "";
  const write = (chunk) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop();
    for (const line of lines) if (!line.startsWith("@ ")) say(prefix + line.replace(/\s+$/, "")); // skip progress dots
  };
  write.flush = () => {
    if (pending) say(prefix + pending);
    pending = "";
  };
  return write;
}

/** `{ create: 2 }` -> "2 created". */
function changeSummary(summary) {
  const words = { create: "created", update: "updated", delete: "deleted", same: "unchanged", replace: "replaced" };
  return Object.entries(summary.resourceChanges || {})
    .map(([op, n]) => `${n} ${words[op] || op}`)
    .join(", ");
}

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** What a failed command said: the CLI's own output for a Pulumi CommandError, else the message. */
function failureText(error) {
  const result = error && error.commandResult;
  if (result && (result.stdout || result.stderr)) return [result.stderr, result.stdout].filter(Boolean).join("\n");
  return String((error && error.message) || error);
}

/** Stops the demo between steps once Ctrl-C was pressed (a running Pulumi command is aborted instead). */
function ensureNotInterrupted() {
  if (state.interrupted) throw new Error("interrupted");
}

// ---- 1. the emulator -------------------------------------------------------

/** The package's compiled emulator (`npm run build` writes dist/, and `npm run demo` runs it first). */
function loadEmulator() {
  try {
    return require("../dist/src/emulator");
  } catch (error) {
    if (error.code !== "MODULE_NOT_FOUND") throw error;
    throw new Error("dist/src/emulator is missing: run `npm run build` first (`npm run demo` does)", { cause: error });
  }
}

/** Let's Encrypt's test CA, issuing 20-day certificates (short enough to show a renewal without touching clocks). */
async function startAcmeCa() {
  state.pebble = await startPebble({ validitySeconds: 20 * 86_400 });
  return state.pebble;
}

async function startCloudflare(pebble) {
  const { startEmulator, DEFAULT_ACCOUNT_ID } = loadEmulator();
  const scope = { accountId: DEFAULT_ACCOUNT_ID }; // the emulator's one account
  const emulator = await startEmulator({
    // TXT records written through the API reach the DNS server Pebble validates against.
    dnsMirror: { url: pebble.challtestsrvUrl },
    seed: [
      {
        scope,
        common_name: "www.acme.dev",
        sans: ["www.acme.dev", "acme.dev"],
        key_type: "rsa2048",
        name: "web",
        organization: "Acme Corp",
      },
      {
        scope,
        common_name: "api.acme.dev",
        sans: ["api.acme.dev"],
        key_type: "p256v1",
        name: "api",
        organization: "Acme Corp",
      },
    ],
  });
  secrets.push(emulator.token);
  state.emulator = emulator;
  return emulator;
}

function describeCloudflare(emulator) {
  heading("1. A local Cloudflare API (the package's emulator)");
  say(`  Base URL   ${emulator.baseUrl}   (passed as env CLOUDFLARE_BASE_URL)`);
  say(`  Account    ${emulator.accountId}`);
  say("  Custom CSRs in the account:");
  for (const csr of emulator.listCsrs({ accountId: emulator.accountId })) {
    say(`    ${csr.id}  ${csr.key_type.padEnd(7)}  name "${csr.name}"  SANs ${csr.sans.join(", ")}`);
  }
}

// ---- 2. the stack ----------------------------------------------------------

/** The pinned CLI from .tools/bin (npm run setup:pulumi), else `pulumi` on PATH. */
async function pulumiCommand() {
  const { PulumiCommand } = require("@pulumi/pulumi/automation");
  const version = new SemVer(cli.pinnedPulumiVersion());
  if (fs.existsSync(path.join(cli.toolsRoot(), "bin", "pulumi"))) {
    return PulumiCommand.get({ root: cli.toolsRoot(), version });
  }
  try {
    return await PulumiCommand.get({ version });
  } catch (error) {
    const why = failureText(error).split("\n")[0];
    throw new Error(`no Pulumi CLI in .tools/bin and none usable on PATH (${why}).\nTo fix: ${cli.setupHint()}`, {
      cause: error,
    });
  }
}

function engineEnv(emulator, pebble) {
  return {
    // The provider process trusts Pebble's HTTPS listener the way Node trusts any private CA; TLS stays verified.
    NODE_EXTRA_CA_CERTS: pebble.listenerRootPath,
    PULUMI_BACKEND_URL: `file://${path.join(DEMO_DIR, "state")}`,
    PULUMI_HOME: path.join(DEMO_DIR, "home"),
    PULUMI_CONFIG_PASSPHRASE: "demo",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    CLOUDFLARE_BASE_URL: emulator.baseUrl,
    // The provider plugin resolves this package from the program directory, this checkout, which does not depend
    // on itself: NODE_PATH offers it the checkout the way an installed copy would be found.
    NODE_PATH: linkProgramModules(path.join(DEMO_DIR, "program")),
  };
}

async function createStack(command, envVars, emulator, csrId) {
  const { LocalWorkspace } = require("@pulumi/pulumi/automation");
  fs.mkdirSync(path.join(DEMO_DIR, "state"), { recursive: true });
  fs.mkdirSync(path.join(DEMO_DIR, "home"), { recursive: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK_NAME, workDir: REPO_ROOT },
    { pulumiCommand: command, envVars, secretsProvider: "passphrase" },
  );
  state.stack = stack;
  await stack.setConfig("customCsrId", { value: csrId });
  await stack.setConfig("accountId", { value: emulator.accountId });
  await stack.setConfig("cloudflare:apiToken", { value: emulator.token, secret: true });
  await stack.setConfig("acmeDirectoryUrl", { value: state.pebble.directoryUrl });
  await stack.setConfig("acmeZoneId", { value: emulator.zoneId });
  await stack.setConfig("acmeEmail", { value: "ops@acme.dev" });
  await stack.setConfig("renewBeforeDays", { value: "10" });
  return stack;
}

function describeStack(command, csrId) {
  heading("2. A local Pulumi stack (no Pulumi Cloud)");
  say(`  CLI        pulumi ${command.version} (${path.relative(REPO_ROOT, command.command) || command.command})`);
  say("  Backend    file://.demo/state, PULUMI_HOME=.demo/home, passphrase secrets");
  say(`  Stack      ${STACK_NAME} of project custom-csr-example (Pulumi.yaml -> examples/index.ts)`);
  say(`  Config     customCsrId = ${csrId}`);
  say(`             accountId   = ${state.emulator.accountId}`);
  say("             cloudflare:apiToken = [secret] (pulumi config set --secret, encrypted in Pulumi.demo.yaml)");
  say(`             acmeDirectoryUrl = ${state.pebble.directoryUrl}  (Pebble, Let's Encrypt's test CA)`);
  say(`             acmeZoneId = ${state.emulator.zoneId}  (zone acme.dev, for the DNS-01 records)`);
  say("             renewBeforeDays = 10");
}

// ---- 5. the ACME chain -------------------------------------------------------

/** What CustomCsrCertificate did in the `up`, then a renewal: preview shows it, up performs it. */
async function acmeStep(stack, outputs, emulator) {
  heading("5. CustomCsr -> CustomCsrCertificate (ACME, DNS-01 on Cloudflare) -> checkCertificateOutput");
  const value = (key) => outputs[key] && outputs[key].value;
  if (value("certificateIssuer") === undefined) throw new Error("the stack has no certificateIssuer output");
  const writes = emulator.requests.filter((r) => r.path.includes("/dns_records") && r.method !== "GET");
  say(`  issuer           ${value("certificateIssuer")}`);
  say(`  valid until      ${value("certificateNotAfter")}`);
  say(
    `  DNS-01           ${writes.filter((r) => r.method === "POST").length} TXT records created and ` +
      `${writes.filter((r) => r.method === "DELETE").length} deleted through the Cloudflare API; ` +
      `${emulator.listDnsRecords(emulator.zoneId).length} left`,
  );
  say("  checkCertificateOutput(csr, certificate, { minDaysRemaining: 14 }) passed: it is the one to upload with");
  say('  new cloudflare.CustomSsl("certificate", { zoneId, customCsrId: csr.customCsrId, certificate })');
  say();
  say("  Renewal: 20-day certificates, so with renewBeforeDays = 30 one is due now.");
  await stack.setConfig("renewBeforeDays", { value: "30" });
  ensureNotInterrupted();
  const preview = await stack.preview({ signal: state.abort.signal });
  say(
    `  pulumi preview   ${changeSummary({ resourceChanges: preview.changeSummary })}  (the certificate: update = re-order)`,
  );
  const renewed = await stack.up({ signal: state.abort.signal });
  say(`  pulumi up        ${changeSummary(renewed.summary)}; valid until ${renewed.outputs.certificateNotAfter.value}`);
  say("  The CustomSsl would be updated in place: Cloudflare swaps the certificate, its key stays, no downtime.");
  // Back to a 10-day window (recorded by an up that changes nothing), so the drift checks below see no renewal due.
  await stack.setConfig("renewBeforeDays", { value: "10" });
  await stack.up({ signal: state.abort.signal });
  return renewed.outputs;
}

/**
 * The certificate as Cloudflare would serve it once uploaded (the upload needs the cloudflare provider plugin, so
 * the emulator's admin endpoint stands in for it), then the fleet check a scheduled CI job runs: `custom-csr expiry`
 * catches a certificate with fewer days left than --min-days, exit code 1, here as GitHub annotations.
 */
async function expiryStep(emulator, outputs, csrId) {
  heading("5b. Fleet check: custom-csr expiry catches a certificate that expires too soon");
  const notAfter = outputs.certificateNotAfter.value;
  const response = await fetch(
    `${emulator.baseUrl.replace(/\/client\/v4$/, "")}/__emulator/zones/${emulator.zoneId}/certificates`,
    {
      method: "POST",
      headers: { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        kind: "custom_ssl",
        hosts: outputs.sans.value,
        custom_csr_id: csrId,
        expires_on: notAfter,
        issuer: outputs.certificateIssuer.value,
      }),
    },
  );
  if (!response.ok) throw new Error(`the emulator refused the certificate: HTTP ${response.status}`);
  say(`  Cloudflare now serves the certificate (valid until ${notAfter}) for custom CSR ${csrId}.`);
  const args = ["expiry", "--zone", emulator.zoneId, "--account", emulator.accountId, "--min-days", "30"];
  for (const format of ["text", "github"]) {
    // Asynchronously: the emulator answering the command runs in this process.
    const run = await new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [path.join(REPO_ROOT, "dist/src/cli/main.js"), ...args, "--format", format],
        {
          env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: emulator.token, CLOUDFLARE_BASE_URL: emulator.baseUrl },
        },
        (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
      );
    });
    say(`  $ custom-csr ${args.join(" ")} --format ${format}    (exit code ${run.status})`);
    say(indent(run.stdout));
    if (run.status !== 1) throw new Error(`custom-csr expiry exited with ${run.status}, expected 1: ${run.stderr}`);
  }
}

// ---- 3. pulumi up ----------------------------------------------------------

async function up(stack) {
  heading("3. pulumi up");
  ensureNotInterrupted();
  const started = Date.now();
  const stream = engineStream();
  const result = await stack.up({ onOutput: stream, signal: state.abort.signal });
  stream.flush();
  say(`  -> pulumi up ${result.summary.result} in ${seconds(started)}: ${changeSummary(result.summary)}`);
  return result.outputs;
}

// ---- 4. outputs ------------------------------------------------------------

function showOutputs(outputs) {
  heading("4. Stack outputs");
  const value = (key) => outputs[key] && outputs[key].value;
  const missing = ["pem", "sans", "commonName", "publicKeySha256"].filter((key) => value(key) === undefined);
  if (missing.length > 0) {
    throw new Error(
      `the stack has no output ${missing.join(", ")} (outputs: ${Object.keys(outputs).join(", ") || "none"}); ` +
        "did Pulumi.yaml run examples/index.ts?",
    );
  }
  say(`  commonName       ${value("commonName")}`);
  say(`  sans             ${(value("sans") || []).join(", ")}`);
  say(`  publicKeySha256  ${value("publicKeySha256")}`);
  say("  pem");
  say(indent(value("pem")));
  say("  Read it in full: pulumi stack output pem | openssl req -noout -text");
  checkFingerprint(value("pem"), value("publicKeySha256"));
}

/** SHA-256 of `openssl req -pubkey -noout | openssl pkey -pubin -outform der`; null without openssl. */
function opensslFingerprint(pem) {
  const pubkey = spawnSync("openssl", ["req", "-pubkey", "-noout"], { input: pem });
  if (pubkey.error && pubkey.error.code === "ENOENT") return null;
  if (pubkey.status !== 0) throw new Error(`openssl req failed: ${pubkey.stderr}`);
  const der = spawnSync("openssl", ["pkey", "-pubin", "-outform", "der"], { input: pubkey.stdout });
  if (der.status !== 0) throw new Error(`openssl pkey failed: ${der.stderr}`);
  return createHash("sha256").update(der.stdout).digest("hex");
}

function checkFingerprint(pem, expected) {
  const actual = opensslFingerprint(pem);
  if (actual === null) {
    say("  (openssl is not installed: skipping the independent fingerprint check)");
    return;
  }
  if (actual !== expected)
    throw new Error(`openssl computes the key fingerprint ${actual}, but the stack says ${expected}`);
  say("  openssl req -pubkey -noout | openssl pkey -pubin -outform der | sha256sum");
  say(`    = ${actual}  matches publicKeySha256`);
}

// ---- 6. a certificate from your own CA ---------------------------------------

/** Runs openssl in dir; null when openssl is not installed. */
function openssl(dir, args, input) {
  const run = spawnSync("openssl", args, { cwd: dir, input });
  if (run.error && run.error.code === "ENOENT") return null;
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
  return run.stdout.toString();
}

/**
 * What a user does next: has a CA sign the CSR's PEM, checks the certificate against the CSR, uploads it with
 * cloudflare.CustomSsl referencing the CSR. The CA here is a throwaway one in .demo/ca; the upload is not run (it
 * would need the cloudflare provider plugin and a real zone), the check is.
 */
function certificateStep(outputs, csrId) {
  heading("6. A certificate from your own CA: checkCertificate before the upload");
  const { checkCertificate, CertificateMismatchError } = require("../dist/sdk");
  const value = (key) => outputs[key].value;
  const csr = { customCsrId: csrId, pem: value("pem"), sans: value("sans"), publicKeySha256: value("publicKeySha256") };
  const dir = path.join(DEMO_DIR, "ca");
  fs.mkdirSync(dir, { recursive: true });
  const made = openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-subj",
    "/CN=Demo CA",
    "-days",
    "2",
  ]);
  if (made === null) {
    say("  (openssl is not installed: skipping the certificate step)");
    return;
  }
  const issue = (csrPem) => {
    fs.writeFileSync(path.join(dir, "req.csr"), csrPem);
    return openssl(dir, [
      "x509",
      "-req",
      "-in",
      "req.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "90",
      "-copy_extensions",
      "copy",
    ]);
  };
  say('  Cloudflare keeps the CSR\'s private key. A CA (here a throwaway one, "Demo CA") signs the PEM:');
  say("    pulumi stack output pem > web.csr");
  say("    openssl x509 -req -in web.csr -CA ca.pem -CAkey ca.key -days 90 -copy_extensions copy -out web.crt");
  const facts = checkCertificate(csr, issue(csr.pem), { minDaysRemaining: 30 });
  say("  checkCertificate(csr, web.crt, { minDaysRemaining: 30 }): the certificate fits");
  say(`    subject          ${facts.subject}`);
  say(`    issuer           ${facts.issuer}`);
  say(`    SANs             ${facts.sans.join(", ")}`);
  say(`    valid until      ${facts.notAfter.toISOString()} (${facts.daysRemaining} days left)`);
  say(`    publicKeySha256  ${facts.publicKeySha256}  (the CSR's key)`);
  say("  Upload it referencing the CSR; no private key is sent (examples/index.ts does this when the");
  say("  `certificate` config is set; not run here, as it needs the cloudflare provider and a real zone):");
  say('    new cloudflare.CustomSsl("web", { zoneId, customCsrId: csr.customCsrId, certificate })');
  say();
  say("  A certificate issued for another key with the same names (a CSR mix-up during a renewal):");
  const otherCsr = openssl(dir, [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "other.key",
    "-subj",
    `/CN=${value("commonName")}`,
    "-addext",
    `subjectAltName=${csr.sans.map((san) => `DNS:${san}`).join(",")}`,
  ]);
  try {
    checkCertificate(csr, issue(otherCsr));
    throw new Error("checkCertificate accepted a certificate issued for another key");
  } catch (error) {
    if (!(error instanceof CertificateMismatchError)) throw error;
    say(`    -> ${error.name}:`);
    for (const problem of error.problems) say(`         - ${problem}`);
    say("       Cloudflare could never pair it with the CSR's key: fix it before the upload.");
  }
}

// ---- 6. drift --------------------------------------------------------------

const DRIFT_CHECK = ["refresh", "--preview-only", "--expect-no-changes"];
/** The first line of the CustomCsr's block in a `--diff` refresh preview, e.g. `    ~ <type>: (update)`. */
const DIFF_HEADER = new RegExp(`^(\\s*)([~+-]) ${RESOURCE_TYPE}: \\((\\w+)\\)`);

/**
 * The CustomCsr's part of a refresh preview's `--diff` text: a one-line header (`~ <type> csr update`) and, for an
 * update, the changed fields (the lines starting with ~, + or -). Null if the text has no CustomCsr change.
 */
function customCsrDrift(text) {
  const lines = text.split("\n");
  const start = lines.findIndex((line) => DIFF_HEADER.test(line));
  if (start < 0) return null;
  const [, headerIndent, symbol, op] = DIFF_HEADER.exec(lines[start]);
  const block = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "") continue;
    if (line.length - line.trimStart().length <= headerIndent.length) break; // the next resource
    block.push(line.replace(/\s+$/, ""));
  }
  const urn = block.map((line) => /\[urn=.*::([^:\]]+)\]/.exec(line)).find(Boolean);
  const changed = op === "delete" ? [] : block.filter((line) => /^\s*[~+-]\s/.test(line));
  const margin = Math.min(...changed.map((line) => line.length - line.trimStart().length));
  return {
    header: `${symbol} ${RESOURCE_TYPE} ${urn ? urn[1] : "?"} ${op}`,
    fields: changed.map((line) => shorten(line.slice(margin), 100)),
  };
}

function shorten(line, max) {
  return line.length <= max ? line : `${line.slice(0, max - 3)}...`;
}

/** The drift check a CI job runs, with `--diff`; null when it passes, else what drifted. */
async function driftCheck(command, envVars) {
  ensureNotInterrupted();
  const started = Date.now();
  const args = [...DRIFT_CHECK, "--diff", "--stack", STACK_NAME, "--non-interactive"];
  try {
    await command.run(args, REPO_ROOT, envVars, undefined, undefined, state.abort.signal);
    return null;
  } catch (error) {
    const text = failureText(error);
    if (state.interrupted || !text.includes("no changes were expected for refresh but changes were proposed"))
      throw error;
    const drift = customCsrDrift(text);
    if (drift === null)
      throw new Error(`the drift check failed without a CustomCsr change:\n${text}`, { cause: error });
    return { ...drift, took: seconds(started) };
  }
}

async function drift(stack, command, envVars, emulator, csrId) {
  heading(`7. Drift checks: pulumi ${DRIFT_CHECK.join(" ")}`);
  const scope = { accountId: emulator.accountId };

  say("  a) Nothing changed in Cloudflare");
  ensureNotInterrupted();
  const started = Date.now();
  await stack.previewRefresh({ expectNoChanges: true, signal: state.abort.signal });
  say(`     -> the check passes: no drift (${seconds(started)})`);

  say();
  say("  b) A field of the CSR changes (simulated: Cloudflare's API has no update for a Custom CSR,");
  say("     so the emulator changes its name to show how a changed field is reported)");
  emulator.updateCsr(scope, csrId, { name: "changed-in-emulator" });
  const renamed = await driftCheck(command, envVars);
  reportDrift(renamed);
  say("     (to accept it, `pulumi up` records what Cloudflare holds now)");

  say();
  say("  c) Someone deletes the CSR in Cloudflare (the drift that happens in practice, also when a CSR");
  say('     is "re-created": the new one has a new id and a new key)');
  emulator.deleteCsr(scope, csrId);
  state.deletedInEmulator = true;
  const deleted = await driftCheck(command, envVars);
  reportDrift(deleted);
  if (!deleted.header.endsWith(" delete"))
    throw new Error(`expected the refresh preview to delete the CustomCsr, got: ${deleted.header}`);
  say("     The CSR is gone remotely: `pulumi refresh` would drop it from the stack,");
  say("     and the next `pulumi up` fails, naming the missing id. Point customCsrId at the new CSR;");
  say("     its key is new, so the CA must issue a new certificate for it.");
}

function reportDrift(found) {
  if (found === null) throw new Error("the drift check passed, but the CSR had changed in Cloudflare");
  say(`     -> the check FAILS: drift (${found.took}). The refresh preview (--diff) shows:`);
  say(`          ${found.header}`);
  for (const line of found.fields) say(`              ${line}`);
}

// ---- 7. cleanup ------------------------------------------------------------

async function cleanup() {
  heading("8. Cleanup");
  const { stack, emulator } = state;
  if (stack) {
    const deletesBefore = emulator ? countDeletes(emulator) : 0;
    await step("pulumi destroy", async () => {
      const result = await stack.destroy();
      const changes = changeSummary(result.summary) || "nothing to delete";
      return `${result.summary.result}, ${changes} (from the stack only: destroy never deletes a CSR in Cloudflare)`;
    });
    if (emulator) {
      const deletes = countDeletes(emulator) - deletesBefore;
      say(
        `  DELETE requests the emulator received during destroy: ${deletes}${deletes === 0 ? "" : "  <-- unexpected!"}`,
      );
      if (state.deletedInEmulator) {
        const total = countDeletes(emulator);
        say(`  (in the whole demo: ${total}; the deletion in 7c was made inside the emulator, not over HTTP)`);
      }
      if (deletes !== 0) process.exitCode = 1;
    }
    await step(`pulumi stack rm ${STACK_NAME}`, () => stack.workspace.removeStack(STACK_NAME).then(() => "done"));
  }
  if (emulator) await step("stop the emulator", () => emulator.stop().then(() => "done"));
  if (state.pebble) await step("stop Pebble", () => state.pebble.stop().then(() => "done"));
  removeDemoFiles();
  say("  removed Pulumi.demo.yaml and .demo/");
}

/** DELETE requests for custom CSRs (an ACME order's DNS records are deleted through the API on purpose). */
function countDeletes(emulator) {
  return emulator.requests.filter((request) => request.method === "DELETE" && request.path.includes("/custom_csrs"))
    .length;
}

/** Runs one cleanup step; a failure is reported and makes the exit code 1, but the next steps still run. */
async function step(label, action) {
  try {
    say(`  ${label}: ${await action()}`);
  } catch (error) {
    process.exitCode = 1;
    say(
      `  ${label}: FAILED (${failureText(error)
        .split("\n")
        .find((l) => l.trim())})`,
    );
  }
}

function removeDemoFiles() {
  fs.rmSync(STACK_CONFIG_FILE, { force: true });
  fs.rmSync(DEMO_DIR, { recursive: true, force: true });
}

/**
 * Ctrl-C: stop the running Pulumi command, after which the main flow cleans up. A terminal's Ctrl-C reaches the
 * Pulumi CLI too, so it is given a moment to cancel by itself before it is signalled again; a second Ctrl-C quits
 * at once (removing the demo's files, but leaving the stack undestroyed).
 */
function onSignal(signal) {
  if (state.interrupted) {
    removeDemoFiles();
    process.exit(130);
  }
  state.interrupted = true;
  say();
  say("Interrupted: stopping Pulumi, then cleaning up (Ctrl-C again to quit at once)...");
  setTimeout(() => state.abort.abort(), signal === "SIGINT" ? 2000 : 0).unref();
}

function reportFailure(error) {
  const lines = failureText(error).trim().split("\n");
  say();
  say(`DEMO FAILED: ${lines[0]}`);
  for (const line of lines.slice(1, 40)) say(`  ${line}`);
  if (lines.length > 40) say(`  ... (${lines.length - 40} more lines)`);
}

// ---- main ------------------------------------------------------------------

async function main() {
  const started = Date.now();
  say("pulumi-cloudflare-custom-csr demo: look up a Cloudflare custom CSR from a Pulumi stack, check the");
  say("certificate a CA issued for it, then catch drift. Everything runs locally: no Cloudflare account,");
  say("no Pulumi Cloud login.");
  if (fs.existsSync(DEMO_DIR) || fs.existsSync(STACK_CONFIG_FILE)) removeDemoFiles(); // leftovers of a killed run
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    const command = await pulumiCommand();
    const pebble = await startAcmeCa();
    const emulator = await startCloudflare(pebble);
    const csrId = emulator.listCsrs({ accountId: emulator.accountId }).find((csr) => csr.key_type === "rsa2048").id;
    describeCloudflare(emulator);
    const envVars = engineEnv(emulator, pebble);
    const stack = await createStack(command, envVars, emulator, csrId);
    describeStack(command, csrId);
    const outputs = await up(stack);
    showOutputs(outputs);
    const renewedOutputs = await acmeStep(stack, outputs, emulator);
    await expiryStep(emulator, renewedOutputs, csrId);
    certificateStep(outputs, csrId);
    await drift(stack, command, envVars, emulator, csrId);
  } catch (error) {
    process.exitCode = state.interrupted ? 130 : 1;
    if (!state.interrupted) reportFailure(error);
  } finally {
    await cleanup();
  }
  say();
  if (state.interrupted) say("Demo interrupted; cleaned up.");
  else say(process.exitCode ? `Demo FAILED (exit code ${process.exitCode}).` : `Demo finished in ${seconds(started)}.`);
}

main().catch((error) => {
  console.error(redact(`demo: ${error && error.stack ? error.stack : error}`));
  removeDemoFiles();
  process.exit(1);
});
