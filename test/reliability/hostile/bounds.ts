import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { checkCertificate, getCustomCsr, getCustomCsrs } from "../../../sdk";
import { decodeCsrPem } from "../../../src/csr";
import { startEmulator } from "../../../src/emulator";
import { CertificateMismatchError, CloudflareApiError, CsrVerificationError } from "../../../src/errors";
import { CLI, finished } from "../../cli/support";
import { certificateDer, keyPair, pemOf, requestDer, seq, tlv, type SanSpec } from "../../support/der-builder";
import { built, runChildNode } from "../support/child-node";
import { envelope, rejectionOf, withHostileServer } from "../support/hostile-server";
import type { HostileScenario } from "./scenario";

/**
 * Scenarios about the work one response, file or request can make the package do: SANs per CSR, ASN.1 nodes, PEM
 * scanning, message sizes, the verification memo, the event loop, rate headers without a reset, files the CLI reads,
 * and who may call the emulator's admin endpoints.
 */
export const boundsScenarios: HostileScenario[] = [];

const ZONE = "0123456789abcdef0123456789abcdef";
const CSR_ID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";
const TOKEN = "hostile-token-bounds-4e5f6a7b8c9d";
const MESSAGE_LIMIT = 16 * 1024;

function scenario(name: string, body: () => Promise<void>, timeoutMs?: number): void {
  boundsScenarios.push({ area: "bounded work", name, run: body, timeoutMs });
}

const ec = keyPair("ec");
const csrPem = (commonName: string, sans: readonly SanSpec[]) =>
  pemOf(requestDer(ec.spki, ec.privateKey, commonName, sans), "CERTIFICATE REQUEST");
const record = (fields: Record<string, unknown>) => ({
  id: CSR_ID,
  created_at: "2026-11-27T14:06:08Z",
  key_type: "p256v1",
  ...fields,
});
const options = (baseUrl: string) => ({ apiToken: TOKEN, baseUrl, maxRetries: 0 });
const dnsNames = (count: number, length: number) =>
  Array.from({ length: count }, (_, i) => `${String(i).padStart(4, "0")}${"a".repeat(length - 13)}.acme.dev`);

// ---- SANs per CSR ------------------------------------------------------------------------------------------------

scenario("a record with 151 SANs is refused before decoding, naming Cloudflare's limit of 150", async () => {
  const sans = dnsNames(151, 20);
  await withHostileServer(
    () => ({ status: 200, body: envelope(record({ csr: "not decoded", sans })) }),
    async (server) => {
      const error = await rejectionOf(getCustomCsr({ customCsrId: CSR_ID, zoneId: ZONE }, options(server.baseUrl)));
      expect(error).toBeInstanceOf(CloudflareApiError);
      expect(error.message).toMatch(/151 .*150|150.*151/);
      expect(error.message.length).toBeLessThan(MESSAGE_LIMIT);
    },
  );
});

scenario("a record with a 300-character SAN is refused, naming the 255-character limit", async () => {
  await withHostileServer(
    () => ({ status: 200, body: envelope(record({ csr: "not decoded", sans: [`${"a".repeat(291)}.acme.dev`] })) }),
    async (server) => {
      const error = await rejectionOf(getCustomCsr({ customCsrId: CSR_ID, zoneId: ZONE }, options(server.baseUrl)));
      expect(error).toBeInstanceOf(CloudflareApiError);
      expect(error.message).toMatch(/255/);
    },
  );
});

scenario("a PEM holding 2,000 IP-address SANs (the schema path) is refused, its message under 16 KiB", async () => {
  const sans: SanSpec[] = Array.from({ length: 2000 }, (_, i) => ({ ip: Buffer.from([10, 0, i >> 8, i & 255]) }));
  const pem = csrPem("www.acme.dev", sans);
  expect(() => decodeCsrPem(pem)).toThrow(/more than 150 SANs/);
});

scenario("a PEM whose SAN nests 20,000 SEQUENCEs deep is refused by the node cap, not the stack", async () => {
  let nested: Buffer = Buffer.from([0x05, 0x00]);
  for (let i = 0; i < 20_000; i++) nested = seq(nested);
  // An otherName [0] { type-id, [0] value } whose value nests without end: only the schema parser reads it.
  const otherName = tlv(0xa0, Buffer.concat([tlv(0x06, Buffer.from([0x2b, 0x06, 0x01])), tlv(0xa0, nested)]));
  const pem = csrPem("www.acme.dev", [{ dns: "www.acme.dev" }, { raw: otherName }]);
  const error = await rejectionOf(Promise.resolve().then(() => decodeCsrPem(pem)));
  expect(error.message).toMatch(/nest|nodes/);
  expect(error.message).not.toMatch(/call stack/);
});

scenario(
  "a 4 MiB run of '-----BEGIN' is scanned in linear time and refused",
  async () => {
    const text = "-----BEGIN X-----".repeat(250_000);
    expect(() => decodeCsrPem(text)).toThrow(/no PEM block/);
    expect(() =>
      checkCertificate(
        { customCsrId: CSR_ID, pem: "", sans: [], publicKeySha256: "0".repeat(64) },
        text.slice(0, 100_000),
      ),
    ).toThrow(CertificateMismatchError);
  },
  30_000,
);

// ---- message sizes -----------------------------------------------------------------------------------------------

scenario("150 uncovered 250-character SANs give a CertificateMismatchError under 16 KiB", async () => {
  const csr = { customCsrId: CSR_ID, pem: "", sans: dnsNames(150, 250), publicKeySha256: "0".repeat(64) };
  const leaf = pemOf(
    certificateDer({
      spki: ec.spki,
      signer: ec.privateKey,
      sans: dnsNames(150, 249).map((dns) => ({ dns })),
      notBefore: "20000101000000Z",
      notAfter: "20010101000000Z",
    }),
    "CERTIFICATE",
  );
  try {
    checkCertificate(csr, leaf);
    throw new Error("accepted");
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateMismatchError);
    const mismatch = error as CertificateMismatchError;
    expect(mismatch.message.length).toBeLessThan(MESSAGE_LIMIT);
    expect(mismatch.problems.join("\n").length).toBeLessThan(MESSAGE_LIMIT);
    expect(mismatch.message).toMatch(/150 of the CSR's SANs/);
  }
});

scenario("an API listing 150 SANs the PEM lacks gives a CsrVerificationError under 16 KiB", async () => {
  const body = envelope(
    record({ csr: csrPem("www.acme.dev", []), common_name: "www.acme.dev", sans: dnsNames(150, 250) }),
  );
  await withHostileServer(
    () => ({ status: 200, body }),
    async (server) => {
      const error = await rejectionOf(getCustomCsr({ customCsrId: CSR_ID, zoneId: ZONE }, options(server.baseUrl)));
      expect(error).toBeInstanceOf(CsrVerificationError);
      expect(error.message.length).toBeLessThan(MESSAGE_LIMIT);
      expect(error.message).toMatch(/\(and \d+ more\)/);
    },
  );
});

// ---- bounded memory ----------------------------------------------------------------------------------------------

scenario(
  "150 distinct lookups of 7.5 MiB responses keep under 4 MiB after GC",
  async () => {
    const script = `
      const http = require("node:http");
      const { getCustomCsr } = require(${JSON.stringify(built("sdk/lookup"))});
      const sans = Array.from({ length: 150 }, (_, i) => String(i).padStart(4, "0") + "a".repeat(242) + ".acme.dev");
      const server = http.createServer((req, res) => {
        const n = req.url.split("/").pop();
        const csr = "-----BEGIN CERTIFICATE REQUEST-----\\n" + n + "x".repeat(60000) + "\\n-----END CERTIFICATE REQUEST-----";
        const result = { id: n, created_at: "2026-11-27T14:06:08Z", key_type: "p256v1", csr, sans, padding: "p".repeat(7.5 * 1024 * 1024) };
        res.end(JSON.stringify({ success: true, errors: [], messages: [], result }));
      });
      server.listen(0, "127.0.0.1", async () => {
        const baseUrl = "http://127.0.0.1:" + server.address().port + "/client/v4";
        const options = { apiToken: ${JSON.stringify(TOKEN)}, baseUrl, maxRetries: 0 };
        const lookup = (n) => getCustomCsr({ customCsrId: "csr-" + n, zoneId: ${JSON.stringify(ZONE)} }, options).catch((e) => e);
        await lookup(0);
        await lookup(-1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        global.gc(); global.gc();
        const before = process.memoryUsage().heapUsed;
        for (let n = 1; n <= 150; n++) {
          const outcome = await lookup(n);
          if (outcome.name !== "CsrVerificationError") throw new Error("unexpected " + outcome.name + ": " + outcome.message);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        global.gc(); global.gc();
        console.log(JSON.stringify({ retainedMiB: (process.memoryUsage().heapUsed - before) / 1048576 }));
        server.close(); process.exit(0);
      });`;
    const outcome = await runChildNode(script, ["--expose-gc", "--max-old-space-size=512"], 120_000);
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: "" });
    const { retainedMiB } = JSON.parse(outcome.stdout) as { retainedMiB: number };
    expect(retainedMiB).toBeLessThan(4);
  },
  150_000,
);

// ---- the event loop keeps moving ---------------------------------------------------------------------------------

scenario(
  "getCustomCsrs over 1,000 records lets the event loop turn between slices of records",
  async () => {
    const records = Array.from({ length: 1000 }, (_, i) => {
      const name = `w${i}.acme.dev`;
      return record({ id: `csr-${i}`, csr: csrPem(name, [{ dns: name }]), common_name: name, sans: [name] });
    });
    let answered = false;
    await withHostileServer(
      () => {
        answered = true;
        return {
          status: 200,
          body: envelope(records, { page: 1, per_page: 1000, count: 1000, total_count: 1000, total_pages: 1 }),
        };
      },
      async (server) => {
        let ticks = 0;
        let stop = false;
        const tick = () => {
          if (stop) return;
          if (answered) ticks++;
          setImmediate(tick);
        };
        setImmediate(tick);
        try {
          const results = await getCustomCsrs({ zoneId: ZONE }, options(server.baseUrl));
          expect(results).toHaveLength(1000);
        } finally {
          stop = true;
        }
        // One turn at least every 32 records once the page is in (the page's own parse is one turn).
        expect(ticks).toBeGreaterThanOrEqual(1000 / 32);
      },
    );
  },
  60_000,
);

// ---- rate headers without a reset time ---------------------------------------------------------------------------

scenario("a success with Ratelimit r=0 and no reset time invents no window: the next lookups go out", async () => {
  const pem = csrPem("www.acme.dev", [{ dns: "www.acme.dev" }]);
  const variants: Record<string, string>[] = [{ Ratelimit: '"default";r=0' }, { "x-ratelimit-remaining": "0" }];
  for (const headers of variants) {
    await withHostileServer(
      () => ({
        status: 200,
        headers,
        body: envelope(record({ csr: pem, common_name: "www.acme.dev", sans: ["www.acme.dev"] })),
      }),
      async (server) => {
        for (let i = 0; i < 3; i++) {
          const opts = { ...options(server.baseUrl), timeoutMs: 2000 };
          await expect(getCustomCsr({ customCsrId: CSR_ID, zoneId: ZONE }, opts)).resolves.toMatchObject({
            customCsrId: CSR_ID,
          });
        }
        expect(server.requests).toHaveLength(3);
      },
    );
  }
});

// ---- files the CLI reads -----------------------------------------------------------------------------------------

async function cliChild(args: string[], stdin?: "endless"): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ["--max-old-space-size=128", CLI, ...args], {
    env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" },
    stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (stdin === "endless" && child.stdin !== null) {
    const chunk = Buffer.alloc(64 * 1024, "A");
    const pump = () => {
      while (child.stdin!.write(chunk));
    };
    child.stdin.on("drain", pump);
    child.stdin.on("error", () => undefined);
    pump();
  }
  return finishedWithin(child);
}

/** The child's exit code and stderr; a child still running after 25 s is killed (a hang fails the scenario). */
async function finishedWithin(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  const killer = setTimeout(() => child.kill("SIGKILL"), 25_000);
  const result = await finished(child);
  clearTimeout(killer);
  return { code: result.code, stderr: result.stderr };
}

scenario(
  "verify --cert /dev/zero ends with exit 2 saying the file is too large",
  async () => {
    const { code, stderr } = await cliChild(["verify", CSR_ID, "--zone", ZONE, "--cert", "/dev/zero"]);
    expect({ code }).toEqual({ code: 2 });
    expect(stderr).toMatch(/larger than/);
  },
  30_000,
);

scenario(
  "verify --cert on a FIFO with no writer ends with exit 2, no hang",
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-fifo-"));
    const fifo = path.join(dir, "cert.pem");
    execFileSync("mkfifo", [fifo]);
    try {
      const { code, stderr } = await cliChild(["verify", CSR_ID, "--zone", ZONE, "--cert", fifo]);
      expect({ code }).toEqual({ code: 2 });
      expect(stderr).toMatch(/--cert/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
  30_000,
);

scenario(
  "verify --cert - (stdin) fed without end ends with exit 2 at the size limit",
  async () => {
    const { code, stderr } = await cliChild(["verify", CSR_ID, "--zone", ZONE, "--cert", "-"], "endless");
    expect({ code }).toEqual({ code: 2 });
    expect(stderr).toMatch(/larger than/);
  },
  30_000,
);

scenario(
  "yes | verify --cert /dev/stdin (a real pipe) ends with exit 2 at the size limit",
  async () => {
    const cli = [process.execPath, CLI, "verify", CSR_ID, "--zone", ZONE, "--cert", "/dev/stdin"];
    const command = `yes | ${cli.map((word) => JSON.stringify(word)).join(" ")}`;
    const child = spawn("bash", ["-c", command], {
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { code, stderr } = await finishedWithin(child);
    expect({ code }).toEqual({ code: 2 });
    expect(stderr).toMatch(/larger than/);
  },
  30_000,
);

scenario(
  "emulator --seed /dev/zero ends with exit 2 saying the file is too large",
  async () => {
    const { code, stderr } = await cliChild(["emulator", "--seed", "/dev/zero"]);
    expect({ code }).toEqual({ code: 2 });
    expect(stderr).toMatch(/larger than/);
  },
  30_000,
);

// ---- the emulator's admin endpoints ------------------------------------------------------------------------------

function rawRequest(port: number, host: string, method: string, target: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method, path: target, headers: { Host: host, Authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

scenario("the emulator binds to loopback and its admin endpoints refuse a foreign Host (DNS rebinding)", async () => {
  const emulator = await startEmulator();
  try {
    expect(new URL(emulator.baseUrl).hostname).toBe("127.0.0.1");
    const subject = { country: "US", state: "CA", locality: "SF", organization: "Acme" };
    const input = { ...subject, common_name: "www.acme.dev", sans: ["www.acme.dev"], key_type: "p256v1" as const };
    const created = await emulator.createCsr({ accountId: emulator.accountId }, input);
    const target = `/__emulator/accounts/${emulator.accountId}/custom_csrs/${created.id}`;
    expect(await rawRequest(emulator.port, "rebound.attacker.example", "DELETE", target, emulator.token)).toBe(403);
    expect(await rawRequest(emulator.port, `attacker.example:${emulator.port}`, "DELETE", target, emulator.token)).toBe(
      403,
    );
    expect(emulator.listCsrs({ accountId: emulator.accountId })).toHaveLength(1);
    expect(await rawRequest(emulator.port, `localhost:${emulator.port}`, "DELETE", target, emulator.token)).toBe(200);
    expect(emulator.listCsrs({ accountId: emulator.accountId })).toHaveLength(0);
  } finally {
    await emulator.stop();
  }
});
