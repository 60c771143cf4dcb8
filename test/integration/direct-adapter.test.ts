import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import axios, { type AxiosAdapter } from "axios";
import { CloudflareClient, MAX_RESPONSE_BYTES } from "../../src/cloudflare/client";
import { directAdapter, ExchangeDeadlineError } from "../../src/cloudflare/direct-adapter";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { CloudflareApiError } from "../../src/errors";
import { MARKER_TOKEN } from "../support/emulator";
import { csrTemplate, envelope } from "../reliability/support/hostile-server";

/** What the raw server answers: status, headers and body bytes exactly as given (no Content-Length added). */
interface RawReply {
  status?: number;
  headers?: Record<string, string>;
  body: Buffer;
}

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback server that sends bytes as they are, so compressed and malformed bodies can be served. */
async function startRawServer(reply: (request: SeenRequest) => RawReply) {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      seen.push(request);
      const answer = reply(request);
      res.writeHead(answer.status ?? 200, { "Content-Type": "application/json", ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/client/v4`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let record: ApiCustomCsr;
beforeAll(async () => {
  record = await csrTemplate();
});

function clientFor(baseUrl: string): CloudflareClient {
  return new CloudflareClient({
    baseUrl,
    credentials: { scheme: "api-token", token: MARKER_TOKEN },
    retry: { maxRetries: 0 },
  });
}

const scope = { accountId: "0123456789abcdef0123456789abcdef" };

describe("the direct adapter, through the client, over loopback", () => {
  const encodings: [string, (body: Buffer) => Buffer][] = [
    ["gzip", (body) => zlib.gzipSync(body)],
    ["x-gzip", (body) => zlib.gzipSync(body)],
    ["deflate", (body) => zlib.deflateSync(body)],
    ["deflate", (body) => zlib.deflateRawSync(body)],
    ["br", (body) => zlib.brotliCompressSync(body)],
    ["identity", (body) => body],
  ];

  it.each(encodings)("reads a %s body (%#)", async (encoding, encode) => {
    const server = await startRawServer(() => ({
      headers: { "Content-Encoding": encoding },
      body: encode(Buffer.from(envelope(record))),
    }));
    try {
      await expect(clientFor(server.baseUrl).getCustomCsr(scope, record.id)).resolves.toEqual(record);
      expect(server.seen[0].headers["accept-encoding"]).toBe("gzip, deflate, br");
    } finally {
      await server.stop();
    }
  });

  it("refuses a small gzip body that inflates past the response bound, without inflating it all", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(MAX_RESPONSE_BYTES * 4, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const server = await startRawServer(() => ({ headers: { "Content-Encoding": "gzip" }, body: bomb }));
    try {
      const error = await clientFor(server.baseUrl)
        .getCustomCsr(scope, record.id)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloudflareApiError);
      expect((error as Error).message).toMatch(/larger than 8388608 bytes, refused/);
    } finally {
      await server.stop();
    }
  });

  it("refuses an identity body past the bound", async () => {
    const server = await startRawServer(() => ({ body: Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x20) }));
    try {
      await expect(clientFor(server.baseUrl).getCustomCsr(scope, record.id)).rejects.toThrow(
        /larger than 8388608 bytes, refused/,
      );
    } finally {
      await server.stop();
    }
  });

  it("reports a corrupt gzip body as a transport failure naming zlib's code", async () => {
    const server = await startRawServer(() => ({
      headers: { "Content-Encoding": "gzip" },
      body: Buffer.from("not gzip"),
    }));
    try {
      await expect(clientFor(server.baseUrl).getCustomCsr(scope, record.id)).rejects.toThrow(/Z_DATA_ERROR/);
    } finally {
      await server.stop();
    }
  });

  it("drops a leading byte-order mark, as axios does", async () => {
    const server = await startRawServer(() => ({ body: Buffer.from(`\ufeff${envelope(record)}`) }));
    try {
      await expect(clientFor(server.baseUrl).getCustomCsr(scope, record.id)).resolves.toEqual(record);
    } finally {
      await server.stop();
    }
  });

  it("sends a JSON body with its length, the query as axios writes it, and the credential header", async () => {
    const created = { id: "r1", type: "TXT", name: "_acme-challenge.a.example", content: "v", ttl: 60 };
    const server = await startRawServer(() => ({ body: Buffer.from(envelope(created)) }));
    try {
      const client = clientFor(server.baseUrl);
      await client.createTxtRecord("z1", { name: created.name, content: "v", ttl: 60 });
      await client.listTxtRecords("z1", "_acme-challenge.a b.example");
      const [post, list] = server.seen;
      expect(post.method).toBe("POST");
      expect(JSON.parse(post.body)).toEqual({ type: "TXT", name: created.name, content: "v", ttl: 60 });
      expect(post.headers["content-length"]).toBe(String(Buffer.byteLength(post.body)));
      expect(post.headers["content-type"]).toBe("application/json");
      expect(post.headers.authorization).toBe(`Bearer ${MARKER_TOKEN}`);
      expect(list.url).toBe("/client/v4/zones/z1/dns_records?type=TXT&name=_acme-challenge.a+b.example&per_page=100");
    } finally {
      await server.stop();
    }
  });
});

describe("which adapter a request goes to", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });

  /** axios's own http adapter, counting the requests handed to it. */
  function countingFallback(): { adapter: AxiosAdapter; calls: number } {
    const http = axios.getAdapter("http");
    const counter: { adapter: AxiosAdapter; calls: number } = { calls: 0, adapter: http };
    counter.adapter = (config) => {
      counter.calls++;
      return http(config);
    };
    return counter;
  }

  async function get(
    baseUrl: string,
    fallback: AxiosAdapter,
    extra: { proxy?: false; maxRedirects?: number; timeout?: number; responseType?: "text" | "arraybuffer" },
  ) {
    const instance = axios.create({ baseURL: baseUrl, adapter: directAdapter(fallback), maxRedirects: 0, ...extra });
    return instance.get("/x", {
      responseType: extra.responseType ?? "text",
      transformResponse: [(data: unknown) => (Buffer.isBuffer(data) ? data.toString() : data)],
    });
  }

  it("sends directly when no proxy applies, and leaves proxies and redirects to axios", async () => {
    for (const name of Object.keys(process.env)) if (/_proxy$/i.test(name)) delete process.env[name];
    const server = await startRawServer(() => ({ body: Buffer.from("ok") }));
    try {
      const fallback = countingFallback();
      await expect(get(server.baseUrl, fallback.adapter, {})).resolves.toMatchObject({ data: "ok", status: 200 });
      expect(fallback.calls).toBe(0);

      process.env.HTTPS_PROXY = "http://127.0.0.1:9";
      process.env.NO_PROXY = "127.0.0.1";
      await expect(get(server.baseUrl, fallback.adapter, {})).resolves.toMatchObject({ data: "ok" });
      expect(fallback.calls).toBe(1);

      await expect(get(server.baseUrl, fallback.adapter, { proxy: false })).resolves.toMatchObject({ data: "ok" });
      expect(fallback.calls).toBe(1);

      await expect(get(server.baseUrl, fallback.adapter, { proxy: false, maxRedirects: 5 })).resolves.toMatchObject({
        data: "ok",
      });
      expect(fallback.calls).toBe(2);

      // A timeout stays direct (a deadline of its own); a binary response type goes to axios's adapter.
      await expect(get(server.baseUrl, fallback.adapter, { proxy: false, timeout: 5000 })).resolves.toMatchObject({
        data: "ok",
      });
      expect(fallback.calls).toBe(2);
      await expect(
        get(server.baseUrl, fallback.adapter, { proxy: false, responseType: "arraybuffer" }),
      ).resolves.toMatchObject({ data: "ok" });
      expect(fallback.calls).toBe(3);
    } finally {
      await server.stop();
    }
  });

  /** An axios instance on the direct adapter, for a loopback server (no proxy, no redirects). */
  function directInstance(baseURL: string) {
    return axios.create({ baseURL, adapter: directAdapter(axios.getAdapter("http")), proxy: false, maxRedirects: 0 });
  }

  it("rejects at once, as canceled, when the signal has already fired, and sends nothing", async () => {
    const server = await startRawServer(() => ({ body: Buffer.from("ok") }));
    try {
      const instance = directInstance(server.baseUrl);
      const error = await instance.get("/x", { signal: AbortSignal.abort() }).catch((e: unknown) => e);
      expect(axios.isCancel(error) || (error as { code?: string }).code === "ERR_CANCELED").toBe(true);
      expect(server.seen).toHaveLength(0);
    } finally {
      await server.stop();
    }
  });

  it("applies validateStatus as axios does", async () => {
    const server = await startRawServer(() => ({ status: 503, body: Buffer.from("down") }));
    try {
      const instance = directInstance(server.baseUrl);
      const error = await instance.get("/x").catch((e: unknown) => e);
      expect(axios.isAxiosError(error)).toBe(true);
      expect((error as { response?: { status: number } }).response?.status).toBe(503);
    } finally {
      await server.stop();
    }
  });
});

describe("the deadline of one exchange", () => {
  /** A server that sends its headers and then one byte every 50 ms, never ending the body. */
  async function startDrippingServer() {
    const timers = new Set<NodeJS.Timeout>();
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      const drip = setInterval(() => res.write(" "), 50);
      timers.add(drip);
      res.on("close", () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      stop: () =>
        new Promise<void>((resolve) => {
          for (const timer of timers) clearInterval(timer);
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  it.each([
    ["the direct exchange", { maxRedirects: 0 }],
    ["axios's adapter (a request that may follow redirects)", { maxRedirects: 5 }],
  ])("ends %s of a body that never ends, where a socket timeout never fires", async (_path, extra) => {
    const server = await startDrippingServer();
    try {
      const instance = axios.create({
        baseURL: server.baseUrl,
        adapter: directAdapter(axios.getAdapter("http")),
        proxy: false,
        ...extra,
      });
      const started = Date.now();
      const error = await instance.get("/x", { timeout: 300 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExchangeDeadlineError);
      expect((error as ExchangeDeadlineError).timeoutMs).toBe(300);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await server.stop();
    }
  });

  it("turns into the client's transport failure, retried and then reported with the time it allowed", async () => {
    const server = await startDrippingServer();
    try {
      const client = new CloudflareClient({
        baseUrl: `${server.baseUrl}/client/v4`,
        credentials: { scheme: "api-token", token: MARKER_TOKEN },
        timeoutMs: 200,
        retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      await expect(client.getCustomCsr(scope, "x")).rejects.toThrow(/after 2 attempts: no response within 200 ms/);
    } finally {
      await server.stop();
    }
  });
});
