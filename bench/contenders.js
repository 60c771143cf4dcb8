"use strict";
// The ways of looking up one custom CSR that the benchmarks compare. Each factory loads only its own
// dependencies when called, so a child process that runs one contender pays (in time and peak RSS) for that
// contender's modules and nothing else.

const http = require("node:http");

/** What every contender needs to reach the emulator. */
/** @typedef {{ baseUrl: string, token: string, accountId: string }} Target */

const contenders = {
  /** The package as Pulumi programs call it (main entry): options resolved per call, coalescing, PEM verified. */
  shipped(target) {
    const { getCustomCsr } = require("../dist/sdk");
    const options = { apiToken: target.token, baseUrl: target.baseUrl };
    return (id) => getCustomCsr({ customCsrId: id, accountId: target.accountId }, options);
  },

  /** The same through the plain-lookup entry (`pulumi-cloudflare-custom-csr/lookup`), which never loads Pulumi. */
  plain(target) {
    const { getCustomCsr } = require("../dist/sdk/lookup");
    const options = { apiToken: target.token, baseUrl: target.baseUrl };
    return (id) => getCustomCsr({ customCsrId: id, accountId: target.accountId }, options);
  },

  /**
   * (c) Our HTTP path alone: the client as LookupSession builds it (shared keep-alive agent, limiter, retries,
   * shape checks) without the session and without verifying the CSR.
   */
  unverified(target) {
    const { CloudflareClient } = require("../dist/src/cloudflare/client");
    const { RequestLimiter } = require("../dist/src/cloudflare/limiter");
    const { resolveClientConfig } = require("../dist/src/lookup/connection-settings");
    const config = resolveClientConfig({ apiToken: target.token, baseUrl: target.baseUrl });
    const limiter = new RequestLimiter();
    const client = new CloudflareClient({ ...config, limiter: () => limiter });
    const scope = { accountId: target.accountId };
    return (id) => client.getCustomCsr(scope, id);
  },

  /** (d) Cloudflare's official SDK with its defaults (fetch, 2 retries, Retry-After honoured without a cap). */
  officialSdk(target) {
    const Cloudflare = require("cloudflare").default;
    const client = new Cloudflare({ apiToken: target.token, baseURL: target.baseUrl });
    return (id) => client.customCsrs.get(id, { account_id: target.accountId });
  },

  /** (e) The floor: one keep-alive socket, read the body, JSON.parse. No checks, no retries. */
  bareHttp(target) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const base = `${target.baseUrl}/accounts/${target.accountId}/custom_csrs/`;
    const headers = { Authorization: `Bearer ${target.token}`, Accept: "application/json" };
    return (id) =>
      new Promise((resolve, reject) => {
        http
          .get(base + id, { agent, headers }, (res) => {
            const chunks = [];
            res.on("data", (chunk) => chunks.push(chunk));
            res.on("end", () => {
              try {
                resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")).result);
              } catch (error) {
                reject(error);
              }
            });
            res.on("error", reject);
          })
          .on("error", reject);
      });
  },

  /** Diagnostic: a plain `axios.get` over a keep-alive agent, to tell axios's share of (c) from ours. */
  axiosGet(target) {
    const axios = require("axios");
    const client = axios.create({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
      headers: { Authorization: `Bearer ${target.token}`, Accept: "application/json" },
    });
    const base = `${target.baseUrl}/accounts/${target.accountId}/custom_csrs/`;
    return async (id) => (await client.get(base + id)).data.result;
  },

  /** Diagnostic: our HTTP client (as `unverified`), then the PEM decoded, as `custom-csr`'s decoder does it. */
  clientDecode(target) {
    const fetch = contenders.unverified(target);
    const { decodeCsrPem } = require("../dist/src/csr/decode");
    return async (id) => decodeCsrPem((await fetch(id)).csr);
  },

  /** Diagnostic: our HTTP client, then the whole verification (memo key, decode, comparison with the API's fields). */
  clientVerify(target) {
    const fetch = contenders.unverified(target);
    const { verifyCustomCsr } = require("../dist/src/csr/verify");
    return async (id) => verifyCustomCsr(await fetch(id));
  },

  /** Ours with list batching off: the shipped session (coalescing, limiter, verification) doing one GET per CSR. */
  unbatched(target) {
    const { LookupSession } = require("../dist/src/lookup/session");
    const { resolveClientConfig } = require("../dist/src/lookup/connection-settings");
    const session = new LookupSession({ resultTtlMs: 0, batching: false });
    const config = resolveClientConfig({ apiToken: target.token, baseUrl: target.baseUrl });
    const scope = { accountId: target.accountId };
    return (id) => session.lookup({ customCsrId: id, scope }, config);
  },
};

module.exports = { contenders };
