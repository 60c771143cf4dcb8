import { orderCertificate, type OrderCertificateOptions } from "../../src/acme/order";
import { checkCertificate } from "../../src/csr/certificate-check";
import { decodeCsrPem } from "../../src/csr";
import { startEmulator, type CloudflareEmulator, type Fault } from "../../src/emulator";
import { AcmeOrderError, CloudflareApiError, CloudflareAuthError, InvalidCustomCsrArgsError } from "../../src/errors";
import { startPebble, type PebbleCa } from "../support/pebble";

/**
 * orderCertificate against a real ACME CA, Let's Encrypt's Pebble, resolving DNS-01 challenges through
 * pebble-challtestsrv, which the emulator's zone mirrors: every record the order writes through the Cloudflare API
 * is what the CA sees.
 */
jest.setTimeout(60_000);

const SUBJECT = { country: "US", state: "California", locality: "San Francisco", organization: "Acme" };
let pebble: PebbleCa;
let emulator: CloudflareEmulator;

beforeAll(async () => {
  pebble = await startPebble();
  emulator = await startEmulator({ dnsMirror: { url: pebble.challtestsrvUrl } });
});

afterAll(async () => {
  await emulator?.stop();
  await pebble?.stop();
});

function options(extra: Partial<OrderCertificateOptions> = {}): OrderCertificateOptions {
  return {
    apiToken: emulator.token,
    baseUrl: emulator.baseUrl,
    dnsResolvers: [pebble.dnsResolver],
    propagationTimeoutMs: 10_000,
    caCertificatesPem: pebble.listenerRootPem,
    ...extra,
  };
}

async function csr(sans: string[], keyType: "rsa2048" | "p256v1"): Promise<string> {
  const created = await emulator.createCsr(
    { zoneId: emulator.zoneId },
    { ...SUBJECT, common_name: sans[0].replace(/^\*\./, ""), sans, key_type: keyType },
  );
  return created.csr as string;
}

const dnsWrites = () => emulator.requests.filter((r) => r.path.includes("/dns_records") && r.method !== "GET");

beforeEach(() => emulator.clearRequests());

afterEach(() => {
  // Whatever a test did, no order leaves a record behind.
  expect(emulator.listDnsRecords(emulator.zoneId)).toEqual([]);
});

test("orders an RSA-2048 CSR's certificate: checked leaf, chain, PKCS#8 account key, records cleaned up", async () => {
  const csrPem = await csr(["www.acme.dev", "api.acme.dev"], "rsa2048");
  const ordered = await orderCertificate(
    { csrPem, zoneId: emulator.zoneId, directoryUrl: pebble.directoryUrl, email: "ops@acme.dev" },
    options(),
  );
  const decoded = await decodeCsrPem(csrPem);
  expect(ordered.sans.sort()).toEqual(["api.acme.dev", "www.acme.dev"]);
  expect(ordered.publicKeySha256).toBe(decoded.publicKeySha256);
  expect(ordered.issuer).toMatch(/Pebble Intermediate/);
  expect(ordered.chainPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  expect(ordered.accountKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  expect(new Date(ordered.notAfter).getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
  const csrFacts = { customCsrId: "x", pem: csrPem, sans: [...decoded.sans], publicKeySha256: decoded.publicKeySha256 };
  expect(checkCertificate(csrFacts, ordered.certificatePem).sans).toHaveLength(2);
  expect(dnsWrites().map((r) => r.method)).toEqual(["POST", "POST", "DELETE", "DELETE"]);
});

test("a wildcard and its base name share one TXT name with two values (P-256)", async () => {
  const csrPem = await csr(["*.shop.acme.dev", "shop.acme.dev"], "p256v1");
  const ordered = await orderCertificate(
    { csrPem, zoneId: emulator.zoneId, directoryUrl: pebble.directoryUrl },
    options(),
  );
  expect(ordered.sans.sort()).toEqual(["*.shop.acme.dev", "shop.acme.dev"]);
  expect(dnsWrites().filter((r) => r.method === "POST")).toHaveLength(2);
});

test("an account key passed back reuses the account and its valid authorizations: no new DNS records", async () => {
  const csrPem = await csr(["reuse.acme.dev"], "p256v1");
  const args = { csrPem, zoneId: emulator.zoneId, directoryUrl: pebble.directoryUrl };
  const first = await orderCertificate(args, options());
  emulator.clearRequests();
  const second = await orderCertificate({ ...args, accountKeyPem: first.accountKeyPem }, options());
  expect(second.accountKeyPem).toBe(first.accountKeyPem);
  expect(second.certificatePem).not.toBe(first.certificatePem);
  expect(dnsWrites()).toEqual([]);
});

test("a challenge the CA cannot validate fails with AcmeOrderError naming the identifier and the CA's problem", async () => {
  const unmirrored = await startEmulator({ zones: [emulator.zoneId] });
  try {
    const created = await unmirrored.createCsr(
      { zoneId: unmirrored.zoneId },
      { ...SUBJECT, common_name: "lost.acme.dev", sans: ["lost.acme.dev"], key_type: "p256v1" },
    );
    const error = await orderCertificate(
      { csrPem: created.csr as string, zoneId: unmirrored.zoneId, directoryUrl: pebble.directoryUrl },
      { ...options(), apiToken: unmirrored.token, baseUrl: unmirrored.baseUrl, dnsResolvers: [] },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AcmeOrderError);
    const failed = error as AcmeOrderError;
    expect(failed.identifier).toBe("lost.acme.dev");
    expect(failed.problemType).toMatch(/^urn:ietf:params:acme:error:/);
    expect(failed.message).toContain("lost.acme.dev");
    expect(failed.message).toContain(failed.detail);
    expect(unmirrored.listDnsRecords(unmirrored.zoneId)).toEqual([]);
  } finally {
    await unmirrored.stop();
  }
});

test("records that never become visible end the order with AcmeOrderError once propagationTimeoutMs passes", async () => {
  const csrPem = await csr(["slow.acme.dev"], "p256v1");
  emulator.setDnsPropagationDelay(60_000);
  try {
    const error = await orderCertificate(
      { csrPem, zoneId: emulator.zoneId, directoryUrl: pebble.directoryUrl },
      options({ propagationTimeoutMs: 1_000 }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AcmeOrderError);
    expect((error as AcmeOrderError).identifier).toBe("slow.acme.dev");
    expect((error as AcmeOrderError).message).toMatch(/not visible to the DNS resolver .* within 1000 ms/);
  } finally {
    emulator.setDnsPropagationDelay(0);
  }
});

test("delegated DNS-01 (Custom Hostnames): a customer's _acme-challenge CNAME to a name in the zone validates", async () => {
  const created = await emulator.createCsr(
    { accountId: emulator.accountId },
    { ...SUBJECT, common_name: "shop.customer.dev", sans: ["shop.customer.dev"], key_type: "p256v1" },
  );
  const alias = "shop-customer-dev.challenges.acme.dev";
  // What the SaaS customer sets up once in their own DNS.
  const cname = { host: "_acme-challenge.shop.customer.dev.", target: `${alias}.` };
  await fetch(`${pebble.challtestsrvUrl}/set-cname`, { method: "POST", body: JSON.stringify(cname) });
  const ordered = await orderCertificate(
    {
      csrPem: created.csr as string,
      zoneId: emulator.zoneId,
      directoryUrl: pebble.directoryUrl,
      challengeAliases: { "shop.customer.dev": alias },
    },
    options(),
  );
  expect(ordered.sans).toEqual(["shop.customer.dev"]);
  const writes = dnsWrites().filter((r) => r.method === "POST");
  expect(writes).toHaveLength(1);
});

test("a SAN outside the zone is refused after GET /zones alone: nothing written, nothing sent to the CA", async () => {
  const created = await emulator.createCsr(
    { accountId: emulator.accountId },
    { ...SUBJECT, common_name: "www.other.dev", sans: ["www.other.dev", "www.acme.dev"], key_type: "p256v1" },
  );
  const error = await orderCertificate(
    { csrPem: created.csr as string, zoneId: emulator.zoneId, directoryUrl: "https://127.0.0.1:1/dir" },
    options(),
  ).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
  expect((error as Error).message).toMatch(/www\.other\.dev is outside zone acme\.dev/);
  expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /client/v4/zones/${emulator.zoneId}`]);
});

test.each([
  ["a plain-http directory", { directoryUrl: "http://127.0.0.1:14000/dir" }, /directoryUrl/],
  [
    "a CSR that does not parse",
    { csrPem: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----" },
    /csrPem/,
  ],
  ["a zone id that is not one", { zoneId: "example.com" }, /zoneId/],
  ["an account key that is not one", { accountKeyPem: "nope" }, /accountKeyPem/],
])("%s is refused before any request", async (_what, change, field) => {
  const csrPem = await csr(["args.acme.dev"], "p256v1");
  emulator.clearRequests();
  const args = { csrPem, zoneId: emulator.zoneId, directoryUrl: pebble.directoryUrl, ...change };
  const error = await orderCertificate(args, options()).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
  expect((error as Error).message).toMatch(field);
  expect(emulator.requests).toEqual([]);
});

/**
 * An emulator mirrored into Pebble's DNS whose DNS API answers the second record create, and every retry of it,
 * with `fault`: the first record exists by then, so the order must delete it on its way out.
 */
async function emulatorFailingSecondRecord(fault: Fault): Promise<CloudflareEmulator> {
  let creates = 0;
  const failing: CloudflareEmulator = await startEmulator({
    dnsMirror: { url: pebble.challtestsrvUrl },
    onRequest: (request) => {
      const create = request.method === "POST" && request.path.endsWith("/dns_records");
      if (create && ++creates === 1)
        failing.injectFault(fault, { method: "POST", pathIncludes: "/dns_records", count: 5 });
    },
  });
  return failing;
}

test.each([
  [
    "a 403",
    {
      kind: "response",
      status: 403,
      body: { success: false, errors: [{ code: 10000, message: "Authentication error" }], messages: [], result: null },
    },
    CloudflareAuthError,
  ],
  ["a 503 on every try", { kind: "server-error", status: 503 }, CloudflareApiError],
] as const)(
  "%s from the DNS API mid-order fails the order with the lookup's error; the first record is deleted",
  async (_what, fault, type) => {
    const failing = await emulatorFailingSecondRecord(fault as Fault);
    try {
      const created = await failing.createCsr(
        { zoneId: failing.zoneId },
        { ...SUBJECT, common_name: "a.mid.acme.dev", sans: ["a.mid.acme.dev", "b.mid.acme.dev"], key_type: "p256v1" },
      );
      const error = await orderCertificate(
        { csrPem: created.csr as string, zoneId: failing.zoneId, directoryUrl: pebble.directoryUrl },
        { ...options({ maxRetries: 1 }), apiToken: failing.token, baseUrl: failing.baseUrl },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      const writes = failing.requests.filter((r) => r.path.includes("/dns_records") && r.method !== "GET");
      expect(writes.filter((r) => r.method === "POST" && r.status === 200)).toHaveLength(1);
      expect(writes.filter((r) => r.method === "DELETE" && r.status === 200)).toHaveLength(1);
      expect(failing.listDnsRecords(failing.zoneId)).toEqual([]);
    } finally {
      await failing.stop();
    }
  },
);

test("badNonce refusals (Pebble rejecting 30% of all nonces) are retried and the order succeeds", async () => {
  const noisy = await startPebble({ nonceRejectPercent: 30 });
  const mirrored = await startEmulator({ dnsMirror: { url: noisy.challtestsrvUrl } });
  try {
    const created = await mirrored.createCsr(
      { zoneId: mirrored.zoneId },
      { ...SUBJECT, common_name: "nonce.acme.dev", sans: ["nonce.acme.dev"], key_type: "p256v1" },
    );
    const ordered = await orderCertificate(
      { csrPem: created.csr as string, zoneId: mirrored.zoneId, directoryUrl: noisy.directoryUrl },
      {
        apiToken: mirrored.token,
        baseUrl: mirrored.baseUrl,
        dnsResolvers: [noisy.dnsResolver],
        caCertificatesPem: noisy.listenerRootPem,
      },
    );
    expect(ordered.sans).toEqual(["nonce.acme.dev"]);
    expect(mirrored.listDnsRecords(mirrored.zoneId)).toEqual([]);
  } finally {
    await mirrored.stop();
    await noisy.stop();
  }
});

test("External Account Binding: refused without it, issued with it", async () => {
  const hmacKey = Buffer.from("a-test-mac-key-of-32-bytes-long!").toString("base64url");
  const bound = await startPebble({ eabKeys: { "kid-1": hmacKey } });
  const mirrored = await startEmulator({ dnsMirror: { url: bound.challtestsrvUrl } });
  try {
    const created = await mirrored.createCsr(
      { zoneId: mirrored.zoneId },
      { ...SUBJECT, common_name: "eab.acme.dev", sans: ["eab.acme.dev"], key_type: "p256v1" },
    );
    const args = { csrPem: created.csr as string, zoneId: mirrored.zoneId, directoryUrl: bound.directoryUrl };
    const opts = {
      apiToken: mirrored.token,
      baseUrl: mirrored.baseUrl,
      dnsResolvers: [bound.dnsResolver],
      caCertificatesPem: bound.listenerRootPem,
    };
    const refused = await orderCertificate(args, opts).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AcmeOrderError);
    expect((refused as AcmeOrderError).problemType).toBe("urn:ietf:params:acme:error:externalAccountRequired");
    const ordered = await orderCertificate({ ...args, externalAccountBinding: { kid: "kid-1", hmacKey } }, opts);
    expect(ordered.sans).toEqual(["eab.acme.dev"]);
    expect(JSON.stringify(refused)).not.toContain(hmacKey);
  } finally {
    await mirrored.stop();
    await bound.stop();
  }
});
