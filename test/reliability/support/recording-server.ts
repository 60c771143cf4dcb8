import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** What the server sends for one request. */
export interface Reply {
  status: number;
  /**
   * Extra or replacing headers (names compared case-insensitively). By default the reply is
   * `application/json` and carries a `Ratelimit` header with a large budget, so the client's limiter never paces.
   */
  headers?: Record<string, string>;
  body: string;
  /** Send the headers and the first half of the body, then destroy the socket. */
  cut?: boolean;
}

/**
 * A loopback HTTP server that records every request target exactly as it arrived (`req.url`, nothing decoded or
 * normalised, unlike a router would) and answers with whatever the test says. Used where the emulator's own log is
 * too polite: it records parsed paths, in which `..` segments are already resolved.
 */
export interface RecordingServer {
  /** API root to pass as `baseUrl`: `http://127.0.0.1:<port>/client/v4`. */
  readonly baseUrl: string;
  /** Every request target received since the last {@link RecordingServer.clear}, in arrival order. */
  readonly targets: readonly string[];
  /** Forgets the recorded targets. */
  clear(): void;
  /** Answers every later request with what `replier` returns for its target. */
  answer(replier: (target: string) => Reply): void;
  stop(): Promise<void>;
}

const DEFAULT_HEADERS: Record<string, string> = {
  "Content-Type": "application/json",
  Ratelimit: '"default";r=100000;t=300',
  "Ratelimit-Policy": '"default";q=100000;w=300',
};

/** Starts a {@link RecordingServer} on an ephemeral loopback port; until told otherwise it answers 404 to everything. */
export async function startRecordingServer(): Promise<RecordingServer> {
  let targets: string[] = [];
  let replier: (target: string) => Reply = () => ({ status: 404, body: "{}" });
  const server = http.createServer((req, res) => {
    const target = req.url ?? "";
    targets.push(target);
    req.resume();
    req.on("end", () => send(res, replier(target)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/client/v4`,
    get targets() {
      return [...targets];
    },
    clear: () => {
      targets = [];
    },
    answer: (next) => {
      replier = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: http.ServerResponse, reply: Reply): void {
  const given = reply.headers ?? {};
  const overridden = new Set(Object.keys(given).map((name) => name.toLowerCase()));
  const headers = {
    ...Object.fromEntries(Object.entries(DEFAULT_HEADERS).filter(([name]) => !overridden.has(name.toLowerCase()))),
    ...given,
  };
  const body = Buffer.from(reply.body, "utf8");
  res.writeHead(reply.status, { ...headers, "Content-Length": String(body.length) });
  if (reply.cut === true) {
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
    return;
  }
  res.end(body);
}
