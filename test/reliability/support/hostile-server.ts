import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as util from "node:util";
import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import { startSeededEmulator } from "../../support/emulator";

/** One request as a hostile server saw it. */
export interface SeenRequest {
  /** The request target exactly as it arrived (an absolute URL when it came through a proxy). */
  readonly target: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** What the server sends back; `delayMs` holds the answer back that long. */
export interface HostileReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
  delayMs?: number;
}

/**
 * A loopback server that answers every request with what the scenario's `reply` returns, and counts what it saw:
 * every request, and the most it ever held at once (so a test can check the client's concurrency cap).
 */
export interface HostileServer {
  /** `http://127.0.0.1:<port>/client/v4`. */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>`, for use as a proxy URL. */
  readonly origin: string;
  readonly requests: readonly SeenRequest[];
  /** Most requests in progress at the same moment since the server started. */
  readonly peakInFlight: number;
  stop(): Promise<void>;
}

/** What a hostile server answers to the `index`-th request (0-based). */
export type Replier = (request: SeenRequest, index: number) => HostileReply;

/** Starts a {@link HostileServer} answering with `reply`; no default headers, each scenario says what it sends. */
export async function startHostileServer(reply: Replier): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  const server = http.createServer((req, res) => {
    const seen = { target: req.url ?? "", headers: req.headers };
    requests.push(seen);
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    req.resume();
    req.on("end", () => {
      const answer = reply(seen, requests.length - 1);
      const send = () => {
        inFlight--;
        const body = Buffer.from(answer.body, "utf8");
        const length = String(body.length);
        const headers = { "Content-Type": "application/json", ...answer.headers, "Content-Length": length };
        res.writeHead(answer.status, headers);
        res.end(body);
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/client/v4`,
    origin,
    requests,
    get peakInFlight() {
      return peakInFlight;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs `body` against a fresh hostile server and always stops it. */
export async function withHostileServer(reply: Replier, body: (server: HostileServer) => Promise<void>): Promise<void> {
  const server = await startHostileServer(reply);
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

/** A Cloudflare envelope around `result`. */
export function envelope(result: unknown, resultInfo?: unknown): string {
  const info = resultInfo === undefined ? {} : { result_info: resultInfo };
  return JSON.stringify({ success: true, errors: [], messages: [], result, ...info });
}

/** A failed Cloudflare envelope with these errors. */
export function failure(errors: readonly { code: number; message: string }[]): string {
  return JSON.stringify({ success: false, errors, messages: [], result: null });
}

/** The custom CSR id a GET target asks for, or `undefined` for a list target. */
export function requestedId(target: string): string | undefined {
  const match = /\/custom_csrs\/([^/?]+)$/.exec(target);
  return match === null ? undefined : decodeURIComponent(match[1]);
}

/** `page` of a list target. */
export function requestedPage(target: string): number {
  return Number(new URL(target, "http://x").searchParams.get("page") ?? "1");
}

let template: Promise<ApiCustomCsr> | undefined;

/** A real custom CSR record (PEM and fields agree), generated once by the emulator; serve it under any id. */
export function csrTemplate(): Promise<ApiCustomCsr> {
  template ??= startSeededEmulator().then(async (seeded) => {
    await seeded.emulator.stop();
    return seeded.rsa;
  });
  return template;
}

/** A 200 answer carrying the template under the id the target asks for. */
export function csrReply(record: ApiCustomCsr, target: string, headers: Record<string, string> = {}): HostileReply {
  return { status: 200, headers, body: envelope({ ...record, id: requestedId(target) ?? record.id }) };
}

/** Resolves to the rejection reason of `promise`, or fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!("error" in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  if (!(outcome.error instanceof Error)) throw new Error(`expected an Error, got ${String(outcome.error)}`);
  return outcome.error;
}

/** Every way an error is shown or logged: message, stack, JSON and `util.inspect`. */
export function renderings(error: Error): string[] {
  return [error.message, String(error.stack), JSON.stringify(error), util.inspect(error, { depth: 10 })];
}

/** A random 32-hex-character account id. */
export function accountId(n: number): string {
  return n.toString(16).padStart(32, "0");
}
