import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../../src/cli/main";
import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import { startEmulator, type CloudflareEmulator } from "../../../src/emulator";
import { CsrFactory } from "../../../src/emulator/csr-factory";
import { captureIo, waitFor, type CapturedIo } from "../../cli/support";
import { startRecordingServer, type RecordingServer } from "../support/recording-server";
import type { HostileScenario } from "./scenario";

/** Scenarios about what the CLI and the emulator print, redact and survive. */
export const outputScenarios: HostileScenario[] = [];

const ACCOUNT = "acc00000000000000000000000000001";
const CSR_ID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";
const TOKEN = "hostile-test-token-4c1f9e2a7b3d";
const API_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0aa";
const EMAIL = "victim-ops@acme.dev";

/**
 * Anything a terminal could act on: C0 controls but the newline between lines, DEL, C1 controls, separators and
 * bidi controls. What the CLI prints for humans must hold none of them, whatever the server sent.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Sets the title, moves the cursor up and clears the line, switches text direction, and starts a new line. */
const TITLE = "\u001b]0;pwned\u0007";
const CURSOR_UP = "\u001b[1A\u001b[2K";
const RTL = "\u202e";
const CSI_8BIT = "\u009b2J";

/** The three commands that read the API: each must print hostile text and errors safely. */
const EVERY_LOOKUP = [
  ["get", CSR_ID, "--account", ACCOUNT],
  ["list", "--account", ACCOUNT],
  ["verify", CSR_ID, "--account", ACCOUNT],
];

function expectNoRawControl(text: string): void {
  const found = RAW_CONTROL.exec(text);
  const near = found === null ? null : text.slice(found.index - 20, found.index + 20);
  expect(found === null ? null : { code: found[0].charCodeAt(0).toString(16), near }).toBeNull();
}

/** A real P-256 CSR whose subject CN and SAN carry `cn` and `san` (ESC is legal in UTF8String and IA5String). */
async function hostilePem(cn: string, san: string): Promise<string> {
  const subject = { common_name: cn, country: "US", state: "CA", locality: "SF", organization: "Acme" };
  return (await new CsrFactory().generate(subject, [san], "p256v1")).pem;
}

/** A record whose every free-text field tries to take over the terminal; its PEM agrees with its CN and SANs. */
async function hostileRecord(overrides: Partial<ApiCustomCsr> = {}): Promise<ApiCustomCsr> {
  const cn = `www.acme.dev${TITLE}`;
  const san = `www.acme.dev${CURSOR_UP}`;
  return {
    id: CSR_ID,
    created_at: `2026-11-27T14:06:08Z\r  Verified     forged`,
    key_type: "p256v1",
    csr: await hostilePem(cn, san),
    common_name: cn,
    sans: [san],
    name: `web${TITLE}\nforged-row  evil  evil.acme.dev`,
    description: `front door${CURSOR_UP}  Key SHA-256  ${"0".repeat(64)}`,
    account_tag: `${RTL}${CSI_8BIT}${ACCOUNT}`,
    organization: "Acme",
    ...overrides,
  };
}

function envelope(result: unknown, resultInfo?: unknown): string {
  const paging = resultInfo === undefined ? {} : { result_info: resultInfo };
  return JSON.stringify({ success: true, errors: [], messages: [], result, ...paging });
}

function failureEnvelope(message: string): string {
  return JSON.stringify({ success: false, errors: [{ code: 1000, message }], messages: [], result: null });
}

/** Runs the scenario body against a hostile loopback server that answers every request with `reply(target)`. */
async function withServer(
  reply: (target: string) => { status: number; body: string },
  body: (server: RecordingServer) => Promise<void>,
): Promise<void> {
  const server = await startRecordingServer();
  server.answer(reply);
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

function cliEnv(server: RecordingServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: server.baseUrl, ...extra };
}

async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; io: CapturedIo }> {
  const io = captureIo(env);
  return { code: await run(args, io), io };
}

function scenario(name: string, body: () => Promise<void>): void {
  outputScenarios.push({ area: "terminal output", name, run: body });
}

scenario("get prints hostile fields escaped: no title, no cursor movement, no forged line, exit 0", async () => {
  const record = await hostileRecord();
  await withServer(
    () => ({ status: 200, body: envelope(record) }),
    async (server) => {
      const { code, io } = await cli(["get", CSR_ID, "--account", ACCOUNT], cliEnv(server));
      expect({ code, err: io.err() }).toEqual({ code: 0, err: "" });
      expectNoRawControl(io.out());
      const lines = io.out().trimEnd().split("\n");
      expect(lines.filter((line) => /^\s+Key SHA-256\s/.test(line))).toHaveLength(1);
      expect(lines.filter((line) => /^\s+Verified\s/.test(line))).toHaveLength(1);
      expect(io.out()).toContain("web\\x1b]0;pwned\\x07\\nforged-row");
      expect(io.out()).toContain("front door\\x1b[1A\\x1b[2K  Key SHA-256  0000");
      expect(io.out()).toContain("\\r  Verified     forged");
    },
  );
});

scenario("get --json keeps every hostile value exact, with bidi and C1 characters as \\u escapes", async () => {
  const record = await hostileRecord();
  await withServer(
    () => ({ status: 200, body: envelope(record) }),
    async (server) => {
      const { code, io } = await cli(["get", CSR_ID, "--account", ACCOUNT, "--json"], cliEnv(server));
      expect(code).toBe(0);
      expectNoRawControl(io.out().replace(/\n/g, ""));
      const { name, description, account_tag: accountTag, created_at: createdAt } = record;
      expect(JSON.parse(io.out())).toMatchObject({ name, description, accountTag, createdAt });
    },
  );
});

scenario("get --pem prints only a verified PEM block: text around it is refused, CRLF becomes LF", async () => {
  const record = await hostileRecord();
  const pem = record.csr as string;
  let csr = `${TITLE}\n${pem}\u001b[2J`;
  await withServer(
    () => ({ status: 200, body: envelope({ ...record, csr }) }),
    async (server) => {
      const wrapped = await cli(["get", CSR_ID, "--account", ACCOUNT, "--pem"], cliEnv(server));
      expect({ code: wrapped.code, out: wrapped.io.out() }).toEqual({ code: 1, out: "" });
      expect(wrapped.io.err()).toContain("there is text outside the PEM block");

      csr = pem.replace(/\n/g, "\r\n");
      const crlf = await cli(["get", CSR_ID, "--account", ACCOUNT, "--pem"], cliEnv(server));
      expect({ code: crlf.code, out: crlf.io.out() }).toEqual({ code: 0, out: pem.endsWith("\n") ? pem : `${pem}\n` });
    },
  );
});

scenario("list cannot be given an extra row by a name with a newline, nor escape codes by any field", async () => {
  const record = await hostileRecord();
  const info = { page: 1, per_page: 50, count: 1, total_count: 1, total_pages: 1 };
  await withServer(
    () => ({ status: 200, body: envelope([record], info) }),
    async (server) => {
      const { code, io } = await cli(["list", "--account", ACCOUNT], cliEnv(server));
      expect(code).toBe(0);
      expectNoRawControl(io.out());
      expect(io.out().trimEnd().split("\n")).toHaveLength(2);
      expect(io.out()).not.toMatch(/^forged-row/m);
    },
  );
});

scenario("verify prints hostile CN, SANs and API values escaped in its checks", async () => {
  const record = await hostileRecord({ common_name: `other.acme.dev${TITLE}`, sans: [`added.acme.dev${CURSOR_UP}`] });
  await withServer(
    () => ({ status: 200, body: envelope(record) }),
    async (server) => {
      const args = ["verify", CSR_ID, "--account", ACCOUNT, "--expect-sans", `x.acme.dev${RTL}`];
      const { code, io } = await cli(args, cliEnv(server));
      expect(code).toBe(1);
      expectNoRawControl(io.out());
      expect(io.out()).toContain("FAIL  the PEM agrees with the API's common_name, sans and key_type");
    },
  );
});

scenario("verify refuses a response for another CSR, as get does", async () => {
  const record = await hostileRecord({ id: "0c5e7b2a-9f0d-4d3b-8a61-3f1e2d4c5b6a" });
  await withServer(
    () => ({ status: 200, body: envelope(record) }),
    async (server) => {
      const get = await cli(["get", CSR_ID, "--account", ACCOUNT], cliEnv(server));
      const verify = await cli(["verify", CSR_ID, "--account", ACCOUNT], cliEnv(server));
      expect(get.code).toBe(2);
      const outcome = { code: verify.code, out: verify.io.out(), err: verify.io.err() };
      expect(outcome).toEqual({ code: get.code, out: "", err: get.io.err() });
      expect(verify.io.err()).toContain(`with custom CSR ${record.id}`);
    },
  );
});

scenario("an API error message with escape codes and newlines stays one escaped line on stderr", async () => {
  const message = `denied${TITLE}${RTL}\nerror: forged second error${CSI_8BIT}`;
  await withServer(
    () => ({ status: 400, body: failureEnvelope(message) }),
    async (server) => {
      for (const args of EVERY_LOOKUP) {
        const { code, io } = await cli(args, cliEnv(server));
        expect({ code, out: io.out() }).toEqual({ code: 2, out: "" });
        expectNoRawControl(io.err());
        expect(io.err().trimEnd().split("\n")).toHaveLength(1);
        expect(io.err()).toContain("\\nerror: forged second error");
      }
    },
  );
});

scenario("with --json, an error is one JSON object on stderr, exit code unchanged", async () => {
  const message = `denied${RTL}\nforged`;
  await withServer(
    () => ({ status: 400, body: failureEnvelope(message) }),
    async (server) => {
      for (const args of EVERY_LOOKUP) {
        const { code, io } = await cli([...args, "--json"], cliEnv(server));
        expect({ code, out: io.out() }).toEqual({ code: 2, out: "" });
        expectNoRawControl(io.err().replace(/\n$/, ""));
        const parsed = JSON.parse(io.err()) as { error: { name: string; message: string; status?: number } };
        expect(parsed.error).toMatchObject({ name: "CloudflareApiError", status: 400 });
        expect(parsed.error.message).toContain(message);
      }
    },
  );
});

scenario("credentials a server echoes back (token, key, email) never reach stdout or stderr", async () => {
  const echo = `you sent Bearer ${TOKEN}, X-Auth-Key ${API_KEY} and X-Auth-Email ${EMAIL}`;
  const record = await hostileRecord({ name: echo, description: echo });
  const reply = (target: string) =>
    target.includes("/custom_csrs/")
      ? { status: 200, body: envelope(record) }
      : { status: 400, body: failureEnvelope(echo) };
  await withServer(reply, async (server) => {
    const setups: [NodeJS.ProcessEnv, string[]][] = [
      [cliEnv(server), [TOKEN]],
      [
        { CLOUDFLARE_BASE_URL: server.baseUrl, CLOUDFLARE_API_KEY: API_KEY, CLOUDFLARE_EMAIL: EMAIL, GH_TOKEN: TOKEN },
        [TOKEN, API_KEY, EMAIL],
      ],
    ];
    for (const [env, secrets] of setups) {
      const [get, list] = EVERY_LOOKUP;
      for (const args of [get, [...get, "--json"], list]) {
        const { io } = await cli(args, env);
        const printed = io.out() + io.err();
        expect(printed).toContain("[redacted]");
        for (const secret of secrets) expect(printed).not.toContain(secret);
      }
    }
  });
});

scenario("redaction rewrites no ordinary word: a short passphrase 'pulumi' leaves 'pulumi' readable", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-project-"));
  try {
    const { code, io } = await cli(["drift", "--stack", "dev", "--cwd", dir], { PULUMI_CONFIG_PASSPHRASE: "pulumi" });
    expect(code).toBe(2);
    expect(io.err()).toContain(`no Pulumi project in ${dir}`);
    expect(io.err()).not.toContain("[redacted]");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

scenario("the emulator's banner prints hostile seed-file fields escaped, and --json keeps them exact", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-seed-"));
  const seed = path.join(dir, "seed.json");
  const [name, commonName] = [`web${TITLE}\nforged-row`, `a.acme.dev${CURSOR_UP}${RTL}`];
  const entry = { scope: { accountId: ACCOUNT }, name, common_name: commonName, sans: ["a.acme.dev"] };
  fs.writeFileSync(seed, JSON.stringify([entry]));
  try {
    const io = captureIo({});
    const running = run(["emulator", "--seed", seed], io);
    await waitFor(() => io.out().includes("Press Ctrl-C"));
    io.interrupt();
    expect(await running).toBe(0);
    expectNoRawControl(io.out());
    expect(io.out()).toContain("web\\x1b]0;pwned\\x07\\nforged-row");

    const json = captureIo({});
    const connection = run(["emulator", "--seed", seed, "--json"], json);
    await waitFor(() => json.out().includes("\n"));
    json.interrupt();
    expect(await connection).toBe(0);
    expectNoRawControl(json.out().replace(/\n$/, ""));
    expect(JSON.parse(json.out()).csrs[0]).toMatchObject({ name, commonName });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The account collection's path, as a raw request target. */
function collectionOf(emulator: CloudflareEmulator): string {
  return `/client/v4/accounts/${emulator.accountId}/custom_csrs`;
}

/** One list page, asked for politely: the proof that the emulator still serves. */
function listPage(emulator: CloudflareEmulator, page: number): Promise<Response> {
  const url = `${emulator.baseUrl}/accounts/${emulator.accountId}/custom_csrs?page=${page}`;
  return fetch(url, { headers: { Authorization: `Bearer ${emulator.token}` } });
}

scenario("the emulator's request log (--log) prints one safe line per request, odd targets included", async () => {
  const io = captureIo({});
  const running = run(["emulator", "--log", "--json"], io);
  try {
    await waitFor(() => io.out().includes("\n"));
    const { port } = new URL((JSON.parse(io.out()) as { baseUrl: string }).baseUrl);
    // Node's parser refuses control and 8-bit bytes in a target (400, never logged); what it lets through, such as
    // a target no URL parser accepts, is logged as sent, through the same escaping as everything else.
    const request = (target: string) =>
      Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, "latin1");
    const send = (target: string) => rawExchange(Number(port), (socket) => socket.write(request(target)));
    await send("/\u009b2J\u001b]0;t\u0007");
    await send("//[x");
    await waitFor(() => io.err().includes("\n"));
  } finally {
    io.interrupt();
  }
  expect(await running).toBe(0);
  expectNoRawControl(io.err());
  expect(io.err()).toMatch(/^\d\d:\d\d:\d\d\.\d{3} GET \/\/\[x 400\nEmulator stopped \(SIGINT\)\.\n$/);
});

function emulatorScenario(name: string, body: () => Promise<void>): void {
  outputScenarios.push({ area: "emulator hardening", name, run: body, timeoutMs: 60_000 });
}

/**
 * Sends raw bytes to a port and resolves with whatever came back once the socket closes, or once `settleMs` passed
 * (a guard for requests no server would ever answer, never an expectation on speed: the answers checked here
 * close the connection).
 */
function rawExchange(port: number, write: (socket: net.Socket) => void, settleMs = 20_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(received);
    };
    const timer = setTimeout(done, settleMs);
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("error", done);
    socket.on("close", done);
    socket.on("connect", () => write(socket));
  });
}

emulatorScenario("an endless body gets 413 in a Cloudflare envelope at the limit; the server lives on", async () => {
  const emulator = await startEmulator();
  try {
    const reply = await rawExchange(emulator.port, (socket) => {
      socket.write(`POST ${collectionOf(emulator)} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
      // An endless body, written as fast as the emulator reads it: it must answer without waiting for the end.
      const chunk = `${(1024 * 1024).toString(16)}\r\n${"a".repeat(1024 * 1024)}\r\n`;
      let answered = false;
      socket.once("data", () => (answered = true));
      const pump = () => {
        while (!answered && !socket.destroyed && socket.write(chunk));
      };
      socket.on("drain", pump);
      pump();
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    const body = JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4)) as { errors: { message: string }[] };
    expect(body).toMatchObject({ success: false, result: null });
    expect(body.errors[0].message).toMatch(/too large/i);
    expect((await listPage(emulator, 1)).status).toBe(200);
  } finally {
    await emulator.stop();
  }
});

emulatorScenario("a declared Content-Length over the limit is refused before the body is read", async () => {
  const emulator = await startEmulator();
  try {
    const reply = await rawExchange(emulator.port, (socket) => {
      const declared = 600 * 1024 * 1024;
      socket.write(`POST ${collectionOf(emulator)} HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n{`);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
  } finally {
    await emulator.stop();
  }
});

emulatorScenario("the request log keeps the most recent requests only", async () => {
  const emulator = await startEmulator({ requestLogLimit: 5 });
  try {
    for (let page = 1; page <= 12; page++) await listPage(emulator, page);
    expect(emulator.requests.map((request) => request.query.page)).toEqual(["8", "9", "10", "11", "12"]);
  } finally {
    await emulator.stop();
  }
});

emulatorScenario("no request stops the server: bad methods, big headers, bad URLs, cut bodies, fuzz", async () => {
  const emulator = await startEmulator();
  const collection = collectionOf(emulator);
  const attacks: ((socket: net.Socket) => void)[] = [
    (s) => s.write(`FROBNICATE ${collection} HTTP/1.1\r\nHost: x\r\n\r\n`),
    (s) => s.write(`GET ${collection} HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`),
    (s) => s.write(`GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n`),
    (s) => s.write(`GET //%%%/../\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`),
    (s) => s.write(`GET ${collection}/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n`),
    (s) => s.write("\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003"),
    (s) => s.end(`POST ${collection} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"common`),
    (s) => s.write(`POST ${collection} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`),
    (s) => s.write(`POST ${collection} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello`),
    (s) => s.destroy(),
  ];
  try {
    await Promise.all(attacks.map((attack) => rawExchange(emulator.port, attack, 1_000)));
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.from(Array.from({ length: 64 }, (_, j) => (i * 131 + j * 17) % 256));
      const request = Buffer.concat([Buffer.from(`POST ${collection}/`), bytes]);
      await rawExchange(emulator.port, (socket) => socket.end(request), 200);
    }
    expect((await listPage(emulator, 1)).status).toBe(200);
  } finally {
    await emulator.stop();
  }
});
