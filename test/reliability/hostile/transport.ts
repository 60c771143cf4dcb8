import { getCustomCsr, getCustomCsrs } from "../../../sdk";
import { CloudflareClient } from "../../../src/cloudflare/client";
import {
  CloudflareApiError,
  RateLimitError,
  CloudflareAuthError,
  CsrVerificationError,
  InvalidCustomCsrArgsError,
} from "../../../src/errors";
import { built, lookupSessionPreamble, runChildNode } from "../support/child-node";
import {
  accountId,
  csrReply,
  csrTemplate,
  envelope,
  failure,
  rejectionOf,
  renderings,
  requestedId,
  requestedPage,
  withHostileServer,
  type HostileReply,
} from "../support/hostile-server";
import type { HostileScenario } from "./scenario";

/** Scenarios about the request path: rate limits, pagination, proxies, credentials echoed back, limiter keys. */
export const transportScenarios: HostileScenario[] = [];

const TOKEN = "hostile-token-5d1c0e9a7b3f4e21";
const API_KEY = "0ddba11c0ffee0ddba11c0ffee00hostile";
const EMAIL = "hostile-user@acme.dev";
const SMALL_BUDGET = { Ratelimit: '"default";r=2;t=300', "Ratelimit-Policy": '"default";q=1200;w=300' };
const BARE_429: HostileReply = {
  status: 429,
  body: failure([{ code: 971, message: "Please wait and consider throttling your request speed" }]),
};

const lookup = (n: number, baseUrl: string, extra: object = {}) =>
  getCustomCsr({ customCsrId: `csr-${n}`, accountId: accountId(n) }, { apiToken: TOKEN, baseUrl, ...extra });

// ---- rate limits -------------------------------------------------------------------------------------------------

transportScenarios.push({
  area: "rate limits",
  name: "a 429 without Retry-After or Ratelimit is retried with backoff, and the lookup succeeds",
  run: async () => {
    const record = await csrTemplate();
    await withHostileServer(
      (req, i) => (i === 0 ? BARE_429 : csrReply(record, req.target)),
      async (server) => {
        await expect(lookup(1, server.baseUrl, { maxRetries: 2 })).resolves.toMatchObject({ customCsrId: "csr-1" });
        expect(server.requests).toHaveLength(2);
      },
    );
  },
});

transportScenarios.push({
  area: "rate limits",
  name: "a bare 429 invents no window: a lookup 2 s later against the healthy server is sent",
  run: async () => {
    const record = await csrTemplate();
    await withHostileServer(
      (req, i) => (i === 0 ? BARE_429 : csrReply(record, req.target)),
      async (server) => {
        const first = await rejectionOf(lookup(1, server.baseUrl, { maxRetries: 0 }));
        expect(first).toBeInstanceOf(CloudflareApiError);
        expect(first.message).not.toMatch(/300 s/);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        await expect(lookup(2, server.baseUrl, { maxRetries: 0 })).resolves.toMatchObject({ customCsrId: "csr-2" });
        expect(server.requests).toHaveLength(2);
      },
    );
  },
});

transportScenarios.push({
  area: "rate limits",
  name: "a Ratelimit budget of r=2;t=300 fails the third lookup at once, saying how long it would wait",
  run: async () => {
    const record = await csrTemplate();
    await withHostileServer(
      (req) => csrReply(record, req.target, SMALL_BUDGET),
      async (server) => {
        await lookup(1, server.baseUrl, { timeoutMs: 1_000 });
        await lookup(2, server.baseUrl, { timeoutMs: 1_000 });
        const third = await rejectionOf(lookup(3, server.baseUrl, { timeoutMs: 1_000 }));
        expect(third).toBeInstanceOf(RateLimitError);
        expect(third).toBeInstanceOf(CloudflareApiError);
        expect((third as CloudflareApiError).status).toBe(429);
        expect(third.message).toMatch(/2 requests left for the next 300 s/);
        expect(third.message).toMatch(/would wait 1\d\d s, longer than the 5 s it may wait \(the call.s deadline/);
        expect(server.requests).toHaveLength(2);
      },
    );
  },
});

transportScenarios.push({
  area: "rate limits",
  name: "5,000 lookups in 5,000 accounts under a small Ratelimit budget all settle, each resolved or a typed error",
  timeoutMs: 150_000,
  run: async () => {
    const record = await csrTemplate();
    await withHostileServer(
      (req) => csrReply(record, req.target, SMALL_BUDGET),
      async (server) => {
        // A child process, so its peak RSS is the run's own.
        const script = `
        ${lookupSessionPreamble({ apiToken: TOKEN, baseUrl: server.baseUrl, timeoutMs: 1000 })}
        const { CloudflareApiError } = require(${JSON.stringify(built("src/errors"))});
        const started = performance.now();
        const tally = { ok: 0, typed: 0, other: 0 };
        const lookups = Array.from({ length: 5000 }, (_, n) =>
          session.lookup({ customCsrId: "csr-" + n, scope: { accountId: n.toString(16).padStart(32, "0") } }, config)
            .then(() => tally.ok++, (e) => (e instanceof CloudflareApiError ? tally.typed++ : tally.other++)));
        Promise.all(lookups).then(() => console.log(JSON.stringify({ ...tally,
          seconds: (performance.now() - started) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024 })));`;
        const child = await runChildNode(script, [], 120_000);
        expect(child.stderr).toBe("");
        const figures = JSON.parse(child.stdout) as Record<"ok" | "typed" | "other" | "seconds" | "peakRssMiB", number>;
        process.stdout.write(
          `hostile: 5,000 lookups, small budget: ${figures.ok} ok, ${figures.typed} typed errors, ` +
            `${figures.seconds.toFixed(2)} s, peak RSS ${figures.peakRssMiB.toFixed(0)} MiB\n`,
        );
        expect(figures.ok + figures.typed).toBe(5_000);
        expect(figures.other).toBe(0);
      },
    );
  },
});

// ---- pagination --------------------------------------------------------------------------------------------------

const listInfo = (page: number, count: number, totalPages: number) => ({
  page,
  per_page: 50,
  count,
  total_count: totalPages * 50,
  total_pages: totalPages,
});
const tokenClient = (baseUrl: string) =>
  new CloudflareClient({ baseUrl, credentials: { scheme: "api-token", token: TOKEN } });

transportScenarios.push({
  area: "pagination",
  name: "a list claiming 4294967295 pages costs memory for what arrived: two batched lookups resolve",
  run: async () => {
    const record = await csrTemplate();
    const reply = (req: { target: string }): HostileReply =>
      requestedId(req.target) === undefined
        ? { status: 200, body: envelope([], listInfo(1, 0, 4294967295)) }
        : csrReply(record, req.target);
    await withHostileServer(reply, async (server) => {
      // In a child with a small heap: allocating for the claimed size would kill it, not the test process.
      const script = `
        ${lookupSessionPreamble({ apiToken: TOKEN, baseUrl: server.baseUrl })}
        const account = "0".repeat(32);
        Promise.all(["a-1", "a-2"].map((id) => session.lookup({ customCsrId: id, scope: { accountId: account } }, config)))
          .then(
            (results) => console.log("OK " + results.map((r) => r.customCsrId).join(",")),
            (e) => console.log("FAIL " + e.message));`;
      const child = await runChildNode(script, ["--max-old-space-size=96"], 60_000);
      expect(child.stdout.trim()).toBe("OK a-1,a-2");
      expect(child.code).toBe(0);
    });
  },
});

transportScenarios.push({
  area: "pagination",
  name: "listAllCustomCsrs against a server that always claims another page stops when a page repeats",
  run: async () => {
    const record = await csrTemplate();
    const items = ["p-1", "p-2", "p-3"].map((id) => ({ ...record, id }));
    await withHostileServer(
      (req) => {
        const page = requestedPage(req.target);
        return { status: 200, body: envelope(items, listInfo(page, items.length, page + 1)) };
      },
      async (server) => {
        const client = tokenClient(server.baseUrl);
        const all = await client.listAllCustomCsrs({ accountId: accountId(1) });
        expect(all.map((csr) => csr.id)).toEqual(["p-1", "p-2", "p-3"]);
        expect(server.requests).toHaveLength(2);
      },
    );
  },
});

transportScenarios.push({
  area: "pagination",
  name: "listAllCustomCsrs refuses a list claiming more pages than the documented ceiling, after one request",
  run: async () => {
    await withHostileServer(
      () => ({ status: 200, body: envelope([], listInfo(1, 0, 4294967295)) }),
      async (server) => {
        const client = tokenClient(server.baseUrl);
        const error = await rejectionOf(client.listAllCustomCsrs({ accountId: accountId(1) }));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(error.message).toMatch(/4294967295 pages, more than the 10000/);
        expect(server.requests).toHaveLength(1);
      },
    );
  },
});

// ---- credentials echoed back, and bounded error text -------------------------------------------------------------

const expectNoSecret = (error: Error, secrets: readonly string[]) => {
  for (const text of renderings(error)) {
    for (const secret of secrets) expect(text.toLowerCase()).not.toContain(secret.toLowerCase());
  }
};

transportScenarios.push({
  area: "credentials",
  name: "a server that echoes the Authorization header in its error: no rendering of the error holds the token",
  run: async () => {
    await withHostileServer(
      (req) => ({
        status: 403,
        body: failure([{ code: 10000, message: `Authentication error for "${String(req.headers.authorization)}"` }]),
      }),
      async (server) => {
        const error = await rejectionOf(lookup(1, server.baseUrl, { maxRetries: 0 }));
        expect(error).toBeInstanceOf(CloudflareAuthError);
        expectNoSecret(error, [TOKEN]);
        expect(error.message).toMatch(/\[redacted\]/);
      },
    );
  },
});

transportScenarios.push({
  area: "credentials",
  name: "an API key and email echoed (nested, upper-cased): no rendering of the error holds either",
  run: async () => {
    await withHostileServer(
      (req) => ({
        status: 400,
        body: JSON.stringify({
          success: false,
          messages: [],
          errors: [
            {
              code: 6003,
              message: `Invalid request headers ${String(req.headers["x-auth-email"]).toUpperCase()}`,
              error_chain: [
                { code: 6103, message: `Invalid format for X-Auth-Key header: ${String(req.headers["x-auth-key"])}` },
              ],
            },
          ],
        }),
      }),
      async (server) => {
        const options = { apiKey: API_KEY, email: EMAIL, baseUrl: server.baseUrl, maxRetries: 0 };
        const error = await rejectionOf(getCustomCsr({ customCsrId: "csr-1", accountId: accountId(1) }, options));
        expect(error).toBeInstanceOf(CloudflareAuthError);
        expectNoSecret(error, [API_KEY, EMAIL]);
      },
    );
  },
});

transportScenarios.push({
  area: "credentials",
  name: "a token echoed inside a record's field reaches no rendering of the verification error",
  run: async () => {
    const record = await csrTemplate();
    await withHostileServer(
      (req) => {
        const commonName = `cn ${String(req.headers.authorization)}`;
        const echoed = { ...record, id: requestedId(req.target), common_name: commonName };
        return { status: 200, body: envelope(echoed) };
      },
      async (server) => {
        const error = await rejectionOf(lookup(1, server.baseUrl));
        expect(error).toBeInstanceOf(CsrVerificationError);
        expectNoSecret(error, [TOKEN]);
      },
    );
  },
});

transportScenarios.push({
  area: "credentials",
  name: "a token echoed in a listed record reaches no rendering of getCustomCsrs' verification error",
  run: async () => {
    const record = await csrTemplate();
    await withHostileServer(
      (req) => {
        const echoed = { ...record, common_name: `cn ${String(req.headers.authorization)}` };
        return { status: 200, body: envelope([echoed], listInfo(1, 1, 1)) };
      },
      async (server) => {
        const options = { apiToken: TOKEN, baseUrl: server.baseUrl };
        const error = await rejectionOf(getCustomCsrs({ accountId: accountId(1) }, options));
        expect(error).toBeInstanceOf(CsrVerificationError);
        expectNoSecret(error, [TOKEN]);
      },
    );
  },
});

transportScenarios.push({
  area: "credentials",
  name: "100,000 error entries make a bounded message that says how many were left out",
  run: async () => {
    const errors = Array.from({ length: 100_000 }, (_, i) => ({ code: 2000 + (i % 4000), message: `problem ${i}` }));
    await withHostileServer(
      () => ({ status: 400, body: failure(errors) }),
      async (server) => {
        const error = await rejectionOf(lookup(1, server.baseUrl, { maxRetries: 0 }));
        expect(error).toBeInstanceOf(CloudflareApiError);
        expect(error.message).toMatch(/\(99990 more\)/);
        for (const text of renderings(error)) expect(text.length).toBeLessThan(8_192);
      },
    );
  },
});

transportScenarios.push({
  area: "credentials",
  name: "a base URL that does not parse is never echoed with its user name and password",
  run: async () => {
    const error = await rejectionOf(lookup(1, "https://deploy:hunter2-hostile@[not-a-host/client/v4"));
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    expectNoSecret(error, ["hunter2-hostile", "deploy:"]);
    expect(error.message).toMatch(/baseUrl/);
  },
});

// ---- proxies -----------------------------------------------------------------------------------------------------

transportScenarios.push({
  area: "proxies",
  name: "HTTP_PROXY never receives a loopback request, nor its Authorization header",
  run: async () => {
    const record = await csrTemplate();
    const forged = { ...record, common_name: "forged.example" };
    await withHostileServer(
      (req) => csrReply(forged, req.target),
      async (proxy) => {
        await withHostileServer(
          (req) => csrReply(record, req.target),
          async (server) => {
            const saved = { ...process.env };
            for (const name of ["http_proxy", "NO_PROXY", "no_proxy", "npm_config_http_proxy", "npm_config_proxy"]) {
              delete process.env[name];
            }
            for (const name of ["all_proxy", "ALL_PROXY"]) delete process.env[name];
            process.env.HTTP_PROXY = proxy.origin;
            try {
              await expect(lookup(1, server.baseUrl)).resolves.toMatchObject({ commonName: record.common_name });
            } finally {
              for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
              Object.assign(process.env, saved);
            }
            expect(proxy.requests).toEqual([]);
            expect(server.requests).toHaveLength(1);
          },
        );
      },
    );
  },
});

// ---- limiter keys ------------------------------------------------------------------------------------------------

transportScenarios.push({
  area: "limiter keys",
  name: "one token with 16 distinct timeoutMs values still has at most 8 requests in flight",
  run: async () => {
    const record = await csrTemplate();
    await withHostileServer(
      (req) => ({ ...csrReply(record, req.target), delayMs: 200 }),
      async (server) => {
        await Promise.all(Array.from({ length: 16 }, (_, n) => lookup(n, server.baseUrl, { timeoutMs: 5_000 + n })));
        expect(server.requests).toHaveLength(16);
        expect(server.peakInFlight).toBeLessThanOrEqual(8);
      },
    );
  },
});

transportScenarios.push({
  area: "limiter keys",
  name: "20,000 lookups with distinct tokens retain no memory once they settled",
  timeoutMs: 300_000,
  run: async () => {
    const notFound = { status: 404, body: failure([{ code: 1419, message: "The custom CSR was not found" }]) };
    await withHostileServer(
      () => notFound,
      async (server) => {
        const script = `
        const { getCustomCsr } = require(${JSON.stringify(built("sdk"))});
        const run = async (from, to) => {
          for (let n = from; n < to; n += 500) {
            await Promise.all(Array.from({ length: 500 }, (_, i) => getCustomCsr(
              { customCsrId: "csr-1", accountId: "0".repeat(32) },
              { apiToken: "distinct-token-" + (n + i), baseUrl: ${JSON.stringify(server.baseUrl)}, maxRetries: 0 })
              .catch(() => undefined)));
          }
        };
        const heap = () => { global.gc(); global.gc(); return process.memoryUsage().heapUsed / 1048576; };
        run(0, 1000).then(async () => {
          const before = heap();
          await run(1000, 21000);
          await new Promise((resolve) => setTimeout(resolve, 100));
          console.log(JSON.stringify({ retainedMiB: heap() - before }));
        });`;
        const child = await runChildNode(script, ["--expose-gc"], 240_000);
        expect(child.stderr).toBe("");
        const { retainedMiB } = JSON.parse(child.stdout) as { retainedMiB: number };
        process.stdout.write(`hostile: 20,000 lookups, distinct tokens: ${retainedMiB.toFixed(1)} MiB kept after GC\n`);
        expect(retainedMiB).toBeLessThan(16);
        expect(server.requests).toHaveLength(21_000);
      },
    );
  },
});

// ---- what the errors say -----------------------------------------------------------------------------------------

transportScenarios.push({
  area: "error advice",
  name: "a base URL without /client/v4 that the server cannot route is diagnosed as such",
  run: async () => {
    const replies: HostileReply[] = [
      { status: 404, headers: { "Content-Type": "text/html" }, body: "<h1>Not Found</h1>" },
      { status: 400, body: failure([{ code: 7000, message: "No route for that URI" }]) },
    ];
    for (const reply of replies) {
      await withHostileServer(
        () => reply,
        async (server) => {
          const error = await rejectionOf(lookup(1, server.origin, { maxRetries: 0 }));
          expect(error).toBeInstanceOf(CloudflareApiError);
          expect(error.message).toMatch(/base URL .* probably lacks \/client\/v4/);
        },
      );
    }
  },
});
