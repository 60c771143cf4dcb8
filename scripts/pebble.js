"use strict";
// Starts Let's Encrypt's test CA, Pebble, and its DNS test server, pebble-challtestsrv, on loopback ports of their
// own, for the tests, the demo and the bench. `npm run setup:pebble` builds both into .tools/bin and copies Pebble's
// test TLS files into .tools/pebble (a missing binary is an error here, never a reason to skip).

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const https = require("node:https");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.join(__dirname, "..");
const BIN = path.join(ROOT, ".tools", "bin");
const FILES = path.join(ROOT, ".tools", "pebble");

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts pebble-challtestsrv (DNS and management only) and Pebble resolving through it, with no validation sleep
 * and authorization reuse on (as Let's Encrypt does).
 * Options: `eabKeys` ({ kid: base64url MAC key }: EAB required), `validitySeconds` (default 90 days),
 * `nonceRejectPercent` (default 0).
 * Resolves to { directoryUrl, listenerRootPem, listenerRootPath, challtestsrvUrl, dnsResolver, managementUrl, stop }.
 */
async function startPebble(options = {}) {
  for (const name of ["pebble", "pebble-challtestsrv"]) {
    if (!fs.existsSync(path.join(BIN, name))) throw new Error(`${name} is not built: run npm run setup:pebble`);
  }
  const [acmePort, managementPort, dnsPort, challPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-pebble-"));
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${acmePort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: path.join(FILES, "localhost-cert.pem"),
      privateKey: path.join(FILES, "localhost-key.pem"),
      httpPort: 5002,
      tlsPort: 5001,
      ocspResponderURL: "",
      externalAccountBindingRequired: options.eabKeys !== undefined,
      externalAccountMACKeys: options.eabKeys ?? {},
      domainBlocklist: ["blocked-domain.example"],
      retryAfter: { authz: 1, order: 1 },
      keyAlgorithm: "ecdsa",
      profiles: { default: { description: "test", validityPeriod: options.validitySeconds ?? 7_776_000 } },
    },
  };
  const configPath = path.join(dir, "pebble-config.json");
  fs.writeFileSync(configPath, JSON.stringify(config));
  const children = [];
  const logs = [];
  const launch = (name, args, env = {}) => {
    const child = spawn(path.join(BIN, name), args, {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk) => logs.push(chunk.toString()));
    child.stderr.on("data", (chunk) => logs.push(chunk.toString()));
    children.push(child);
  };
  // challtestsrv: only the DNS server and its management API (no HTTP-01, TLS-ALPN-01 or DoH listeners).
  const off = ["-http01", "", "-https01", "", "-tlsalpn01", "", "-doh", "", "-defaultIPv6", ""];
  launch("pebble-challtestsrv", [
    "-dnsserver",
    `127.0.0.1:${dnsPort}`,
    "-management",
    `127.0.0.1:${challPort}`,
    ...off,
  ]);
  launch("pebble", ["-config", configPath, "-dnsserver", `127.0.0.1:${dnsPort}`], {
    PEBBLE_VA_NOSLEEP: "1",
    PEBBLE_WFE_NONCEREJECT: String(options.nonceRejectPercent ?? 0),
    PEBBLE_AUTHZREUSE: "100",
  });
  const listenerRootPath = path.join(FILES, "pebble.minica.pem");
  const listenerRootPem = fs.readFileSync(listenerRootPath, "utf8");
  const stop = async () => {
    for (const child of children) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`;
  const challtestsrvUrl = `http://127.0.0.1:${challPort}`;
  try {
    await waitUntilServing(directoryUrl, listenerRootPem, challtestsrvUrl);
  } catch (error) {
    await stop();
    throw new Error(`Pebble did not start: ${error.message}\n${logs.join("").slice(-2000)}`, { cause: error });
  }
  return {
    directoryUrl,
    listenerRootPem,
    listenerRootPath,
    challtestsrvUrl,
    dnsResolver: `127.0.0.1:${dnsPort}`,
    managementUrl: `https://127.0.0.1:${managementPort}`,
    stop,
  };
}

/** Polls both servers until they answer, for at most 20 s. */
async function waitUntilServing(directoryUrl, ca, challtestsrvUrl) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const up = await Promise.all([
      new Promise((resolve) => {
        https
          .get(directoryUrl, { ca, headers: { "User-Agent": "custom-csr-tests" } }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
          })
          .on("error", () => resolve(false));
      }),
      fetch(`${challtestsrvUrl}/clear-txt`, { method: "POST", body: JSON.stringify({ host: "probe." }) }).then(
        (response) => response.ok,
        () => false,
      ),
    ]);
    if (up.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error("no answer within 20 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

module.exports = { startPebble };
