import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { getCustomCsr } from "../../sdk";
import { CloudflareApiError } from "../../src/errors";
import { MAX_RESPONSE_BYTES } from "../../src/cloudflare/client";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { REPO_ROOT } from "../support/pulumi";

jest.setTimeout(60_000);

let env: SeededEmulator;
let dir: string;
let tlsFront: tls.Server;
let proxy: http.Server;
/** Every CONNECT target the proxy was asked for. */
const tunnels: string[] = [];

/** A private CA and a certificate for "localhost" signed by it, made with openssl. */
function makeCertificates(): void {
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run([
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=Test CA",
  ]);
  run([
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=localhost",
  ]);
  fs.writeFileSync(path.join(dir, "ext.cnf"), `subjectAltName=DNS:localhost,DNS:${REMOTE_HOST}\n`);
  run([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  ]);
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

/**
 * A name that is not loopback (so proxies apply to it) but that the child resolves to 127.0.0.1, where the TLS
 * front listens: the stand-in for api.cloudflare.com behind a corporate proxy.
 */
const REMOTE_HOST = "csr-api.test";

/** Runs a lookup in a fresh node process (NODE_EXTRA_CA_CERTS and proxy variables are read at start-up). */
function lookupInChild(baseUrl: string, extraEnv: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const script = `
    const dns = require("node:dns");
    const lookup = dns.lookup;
    dns.lookup = (host, options, callback) =>
      lookup(host === ${JSON.stringify(REMOTE_HOST)} ? "127.0.0.1" : host, options, callback);
    const { getCustomCsr } = require(${JSON.stringify(path.join(REPO_ROOT, "dist/sdk"))});
    getCustomCsr({ customCsrId: process.env.CSR_ID, accountId: process.env.ACCOUNT_ID }, { baseUrl: process.env.BASE, maxRetries: 0, timeoutMs: 5000 })
      .then((csr) => console.log("OK " + csr.publicKeySha256))
      .catch((error) => { console.log("FAIL " + error.name + ": " + error.message); process.exitCode = 1; });`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["-e", script],
      {
        env: {
          PATH: process.env.PATH,
          CLOUDFLARE_API_TOKEN: MARKER_TOKEN,
          CSR_ID: env.rsa.id,
          ACCOUNT_ID: env.emulator.accountId,
          BASE: baseUrl,
          ...extraEnv,
        },
      },
      (error, stdout, stderr) => resolve({ ok: error === null, output: stdout + stderr }),
    );
  });
}

let httpsBase: string;
let remoteBase: string;
let proxyUrl: string;

beforeAll(async () => {
  env = await startSeededEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-tls-"));
  makeCertificates();
  const emulatorPort = new URL(env.emulator.baseUrl).port;
  // TLS in front of the emulator, like Cloudflare's edge in front of the API.
  tlsFront = tls.createServer(
    { key: fs.readFileSync(path.join(dir, "server.key")), cert: fs.readFileSync(path.join(dir, "server.pem")) },
    (socket) => {
      const upstream = net.connect(Number(emulatorPort), "127.0.0.1");
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    },
  );
  const tlsPort = await listen(tlsFront);
  httpsBase = `https://localhost:${tlsPort}/client/v4`;
  remoteBase = `https://${REMOTE_HOST}:${tlsPort}/client/v4`;
  // A forward proxy that only tunnels (CONNECT), as corporate proxies do for https.
  proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    tunnels.push(String(req.url));
    const [host, port] = String(req.url).split(":");
    const loopback = host === "localhost" || host === REMOTE_HOST;
    const upstream = net.connect(Number(port), loopback ? "127.0.0.1" : host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});

afterAll(async () => {
  tlsFront.close();
  proxy.closeAllConnections();
  proxy.close();
  fs.rmSync(dir, { recursive: true, force: true });
  await env.emulator.stop();
});

beforeEach(() => {
  tunnels.length = 0;
});

describe("transport hardening", () => {
  it("reaches an https endpoint whose private CA is trusted through NODE_EXTRA_CA_CERTS", async () => {
    const { ok, output } = await lookupInChild(httpsBase, { NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem") });
    expect(output).toMatch(/^OK [0-9a-f]{64}/);
    expect(ok).toBe(true);
  });

  it("refuses a certificate it cannot verify, once, with a message saying how to trust a CA", async () => {
    const { ok, output } = await lookupInChild(httpsBase, {});
    expect(ok).toBe(false);
    expect(output).toMatch(/ConnectionError: .*TLS certificate did not verify .*NODE_EXTRA_CA_CERTS/);
  });

  it("keeps verifying even when NODE_TLS_REJECT_UNAUTHORIZED=0 is set", async () => {
    const { ok, output } = await lookupInChild(httpsBase, { NODE_TLS_REJECT_UNAUTHORIZED: "0" });
    expect(ok).toBe(false);
    expect(output).toMatch(/TLS certificate did not verify/);
  });

  it("tunnels through HTTPS_PROXY with CONNECT, keeping TLS end to end", async () => {
    const env = { NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem"), HTTPS_PROXY: proxyUrl };
    const { ok, output } = await lookupInChild(remoteBase, env);
    expect(output).toMatch(/^OK /);
    expect(ok).toBe(true);
    expect(tunnels).toEqual([`${REMOTE_HOST}:${new URL(remoteBase).port}`]);
  });

  it("bypasses the proxy for hosts in NO_PROXY", async () => {
    const env = { NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem"), HTTPS_PROXY: proxyUrl, NO_PROXY: REMOTE_HOST };
    const { ok, output } = await lookupInChild(remoteBase, env);
    expect(output).toMatch(/^OK /);
    expect(ok).toBe(true);
    expect(tunnels).toEqual([]);
  });

  it("never sends a loopback base URL through a proxy, https included", async () => {
    const env = { NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem"), HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl };
    const { ok, output } = await lookupInChild(httpsBase, env);
    expect(output).toMatch(/^OK /);
    expect(ok).toBe(true);
    expect(tunnels).toEqual([]);
  });

  it("accepts plain http only for loopback hosts", async () => {
    await expect(
      getCustomCsr(
        { customCsrId: env.rsa.id, accountId: env.emulator.accountId },
        { apiToken: MARKER_TOKEN, baseUrl: "http://api.cloudflare.com/client/v4" },
      ),
    ).rejects.toThrow(/plain http:\/\/ is only allowed for loopback hosts/);
  });

  it("refuses a response larger than the bound without retrying it", async () => {
    env.emulator.clearRequests();
    env.emulator.injectFault({ kind: "response", status: 200, body: "x".repeat(MAX_RESPONSE_BYTES + 1) }, { count: 5 });
    const error = await getCustomCsr(
      { customCsrId: env.rsa.id, accountId: env.emulator.accountId },
      { apiToken: MARKER_TOKEN, baseUrl: env.emulator.baseUrl },
    ).catch((e: unknown) => e);
    env.emulator.clearFaults();
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as Error).message).toMatch(/larger than 8388608 bytes, refused/);
    expect(env.emulator.requests).toHaveLength(1);
  });
});
