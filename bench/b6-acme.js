"use strict";
// B6: ordering a certificate for a custom CSR from an ACME CA (Let's Encrypt's Pebble, on loopback), DNS-01 records
// written through the Cloudflare API (the emulator, mirrored into Pebble's DNS): our orderCertificate (DNS records,
// propagation check, the leaf checked against the CSR, cleanup) side by side with a bare `acme-client` order
// (`client.auto`, its own verification skipped, records written through the same API). One order at a time, then 10
// at once; requests to the DNS API per order. Each contender gets a fresh account per order, so no authorization
// is reused and both do the full DNS-01 work.

const { startPebble } = require("../scripts/pebble");
const { startEmulator } = require("../dist/src/emulator");
const { orderCertificate } = require("../dist/sdk/acme");
const { medianOf, ms, ratio } = require("./stats");

const SUBJECT = { country: "US", state: "California", locality: "San Francisco", organization: "Bench" };

/** A bare acme-client order of `csrPem`, TXT records created and deleted through the emulator's Cloudflare API. */
async function bareOrder(acme, pebble, emulator, csrPem) {
  const client = new acme.Client({
    directoryUrl: pebble.directoryUrl,
    accountKey: await acme.crypto.createPrivateEcdsaKey(),
    backoffMin: 50,
    backoffMax: 1000,
  });
  const api = `${emulator.baseUrl}/zones/${emulator.zoneId}/dns_records`;
  const headers = { Authorization: `Bearer ${emulator.token}`, "Content-Type": "application/json" };
  const created = new Map();
  return client.auto({
    csr: csrPem,
    termsOfServiceAgreed: true,
    challengePriority: ["dns-01"],
    skipChallengeVerification: true,
    challengeCreateFn: async (authz, _challenge, keyAuthorization) => {
      const name = `_acme-challenge.${authz.identifier.value}`;
      const response = await fetch(api, {
        method: "POST",
        headers,
        body: JSON.stringify({ type: "TXT", name, content: keyAuthorization, ttl: 60 }),
      });
      created.set(keyAuthorization, (await response.json()).result.id);
    },
    challengeRemoveFn: async (_authz, _challenge, keyAuthorization) => {
      await fetch(`${api}/${created.get(keyAuthorization)}`, { method: "DELETE", headers });
    },
  });
}

async function runB6({ quick }) {
  const runs = quick ? 3 : 11;
  const concurrent = 10;
  // acme-client loads @peculiar/x509 and reflect-metadata (a global Reflect patch): only here, never in the package.
  const acme = require("acme-client");
  const pebble = await startPebble();
  // acme-client's HTTP client has no CA option: it trusts Pebble through Node's own store, set for this process.
  const tls = require("node:tls");
  const defaultCa = tls.rootCertificates;
  const https = require("node:https");
  https.globalAgent.options.ca = [...defaultCa, pebble.listenerRootPem];
  const emulator = await startEmulator({ dnsMirror: { url: pebble.challtestsrvUrl } });
  const zone = { zoneId: emulator.zoneId };
  const csrs = [];
  for (let i = 0; i < runs * 2 + concurrent * 2; i++) {
    const name = `b${i}.bench.acme.dev`;
    const created = await emulator.createCsr(zone, { ...SUBJECT, common_name: name, sans: [name], key_type: "p256v1" });
    csrs.push(created.csr);
  }
  const ours = (csrPem) =>
    orderCertificate(
      { csrPem, zoneId: emulator.zoneId, directoryUrl: pebble.directoryUrl },
      { apiToken: emulator.token, baseUrl: emulator.baseUrl, caCertificatesPem: pebble.listenerRootPem },
    );
  const bare = (csrPem) => bareOrder(acme, pebble, emulator, csrPem);
  const timed = async (order, csrPem) => {
    const started = process.hrtime.bigint();
    await order(csrPem);
    return { wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
  };
  const results = { ours: [], bare: [], oursConcurrent: [], bareConcurrent: [] };
  let dnsRequests;
  try {
    await timed(ours, csrs.pop()); // warm-up, both
    await timed(bare, csrs.pop());
    for (let run = 0; run < runs - 1; run++) {
      emulator.clearRequests();
      results.ours.push(await timed(ours, csrs.pop()));
      dnsRequests ??= emulator.requests.filter((r) => r.path.includes("/zones/")).length;
      results.bare.push(await timed(bare, csrs.pop()));
    }
    const batch = async (order) => {
      const started = process.hrtime.bigint();
      await Promise.all(Array.from({ length: concurrent }, () => order(csrs.pop())));
      return { wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    results.oursConcurrent.push(await batch(ours));
    results.bareConcurrent.push(await batch(bare));
  } finally {
    https.globalAgent.options.ca = undefined;
    await emulator.stop();
    await pebble.stop();
  }
  const m = Object.fromEntries(Object.entries(results).map(([key, runs]) => [key, medianOf(runs, "wallMs")]));
  const rows = [
    {
      id: "B6a",
      case: "ACME order of one CSR: orderCertificate (checked, cleaned up)",
      runs: String(runs - 1),
      time: ms(m.ours),
      ratio: `${ratio(m.ours, m.bare)} bare`,
      requests: `${dnsRequests} DNS API`,
    },
    {
      id: "B6b",
      case: "ACME order of one CSR: bare acme-client auto()",
      runs: String(runs - 1),
      time: ms(m.bare),
      ratio: "1.00x (bare)",
    },
    {
      id: "B6c",
      case: `${concurrent} orders at once: orderCertificate`,
      runs: "1",
      time: ms(m.oursConcurrent),
      ratio: `${ratio(m.oursConcurrent, m.bareConcurrent)} bare`,
    },
    {
      id: "B6d",
      case: `${concurrent} orders at once: bare acme-client auto()`,
      runs: "1",
      time: ms(m.bareConcurrent),
      ratio: "1.00x (bare)",
    },
  ];
  const notes = [
    "B6 setup: Pebble (validation without sleep) and pebble-challtestsrv on loopback, the emulator's DNS API mirrored " +
      "into it; a fresh ACME account and CSR per order; `DNS API` counts GET /zones and the dns_records calls of one order.",
  ];
  const targets = [
    {
      row: "B6a",
      target: "B6: one order no slower than 1.2x a bare acme-client order (median), verification and cleanup included",
      measured: `${ms(m.ours)} vs ${ms(m.bare)} = ${ratio(m.ours, m.bare)}`,
      pass: m.ours <= 1.2 * m.bare,
    },
    {
      row: "B6c",
      target: `B6: ${concurrent} concurrent orders no slower than 1.2x bare acme-client`,
      measured: `${ms(m.oursConcurrent)} vs ${ms(m.bareConcurrent)} = ${ratio(m.oursConcurrent, m.bareConcurrent)}`,
      pass: m.oursConcurrent <= 1.2 * m.bareConcurrent,
    },
  ];
  return { rows, notes, targets };
}

module.exports = { runB6 };
