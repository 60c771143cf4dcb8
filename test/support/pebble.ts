import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./pulumi";

/** Where `npm run setup:pebble` puts the binaries and Pebble's test TLS files. */
const BIN = path.join(REPO_ROOT, ".tools", "bin");
const FILES = path.join(REPO_ROOT, ".tools", "pebble");

/** Options of {@link startPebble}. */
export interface PebbleOptions {
  /** EAB MAC keys by kid (base64url); when set, Pebble requires External Account Binding. */
  readonly eabKeys?: Record<string, string>;
  /** Certificate lifetime in seconds (Pebble's default profile); default 90 days. */
  readonly validitySeconds?: number;
  /** Percentage of good nonces Pebble rejects as `badNonce` (its own default is 5); default 0. */
  readonly nonceRejectPercent?: number;
}

/** A running Pebble CA and pebble-challtestsrv DNS server, on loopback ports of their own. */
export interface PebbleCa {
  /** `https://127.0.0.1:<port>/dir`. */
  readonly directoryUrl: string;
  /** The root that signs Pebble's HTTPS listener (pass as `caCertificatesPem`, or `NODE_EXTRA_CA_CERTS`). */
  readonly listenerRootPem: string;
  readonly listenerRootPath: string;
  /** pebble-challtestsrv's management URL, for the emulator's `dnsMirror`. */
  readonly challtestsrvUrl: string;
  /** pebble-challtestsrv's DNS server, `127.0.0.1:<port>`, for `dnsResolvers`. */
  readonly dnsResolver: string;
  /** Pebble's management URL (`/roots/0` is the issuing root). */
  readonly managementUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts pebble-challtestsrv (DNS and management only) and Pebble resolving through it, with no validation sleep
 * and authorization reuse on (as Let's Encrypt does). Requires `npm run setup:pebble` (which `npm test` runs): a
 * missing binary is an error, never a skip.
 */
export async function startPebble(options: PebbleOptions = {}): Promise<PebbleCa> {
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
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  const launch = (name: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const child = spawn(path.join(BIN, name), args, {
      env: { PATH: process.env.PATH, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => logs.push(chunk.toString()));
    children.push(child);
  };
  launch("pebble-challtestsrv", [
    "-dnsserver",
    `127.0.0.1:${dnsPort}`,
    "-management",
    `127.0.0.1:${challPort}`,
    "-http01",
    "",
    "-https01",
    "",
    "-tlsalpn01",
    "",
    "-doh",
    "",
    "-defaultIPv6",
    "",
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
  try {
    await waitUntilServing(directoryUrl, listenerRootPem, `http://127.0.0.1:${challPort}`);
  } catch (error) {
    await stop();
    throw new Error(`Pebble did not start: ${(error as Error).message}\n${logs.join("").slice(-2000)}`, {
      cause: error,
    });
  }
  return {
    directoryUrl,
    listenerRootPem,
    listenerRootPath,
    challtestsrvUrl: `http://127.0.0.1:${challPort}`,
    dnsResolver: `127.0.0.1:${dnsPort}`,
    managementUrl: `https://127.0.0.1:${managementPort}`,
    stop,
  };
}

/** Polls both servers until they answer, for at most 20 s. */
async function waitUntilServing(directoryUrl: string, ca: string, challtestsrvUrl: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const up = await Promise.all([
      new Promise<boolean>((resolve) => {
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
