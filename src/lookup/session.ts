import { CloudflareClient, type ClientConfig } from "../cloudflare/client";
import { ConnectionLimiters, connectionKey } from "../cloudflare/connection";
import { secretsOf } from "../cloudflare/credentials";
import { scopePath, type CsrScope } from "../cloudflare/scope";
import type { ApiCustomCsr } from "../cloudflare/types";
import { redactorFor } from "../errors/redaction";
import { ListBatcher } from "./batcher";
import { customCsrCertificates } from "./bindings";
import { listCustomCsrResults } from "./list";
import { fetchCustomCsrRecord, resultFromRecord } from "./record-result";
import type { CustomCsrListRequest, CustomCsrRequest } from "./requests";
import type { CustomCsrCertificates, CustomCsrResult, GetCustomCsrCertificatesArgs } from "../public-types";

/** How a session looks CSRs up. */
export interface SessionOptions {
  /** How long a successful result (and a record seen on a list page) is reused; 0 for coalescing only. */
  readonly resultTtlMs: number;
  /** Serve concurrent lookups of one scope from the list endpoint (see `ListBatcher`). Default true. */
  readonly batching?: boolean;
  /** Time source, replaceable in tests. */
  readonly now?: () => number;
}

/** Idle connections (client and batcher) a session without caching keeps; more are dropped as they go idle. */
const KEPT_IDLE_CONNECTIONS = 8;

/** What a session keeps per connection and client options. */
interface Connection {
  readonly client: CloudflareClient;
  readonly batcher: ListBatcher;
}

interface Expiring<T> {
  readonly value: T;
  readonly expiresAt: number;
}

/**
 * The lookups of one process. Concurrent lookups of the same CSR share one request (coalescing); concurrent
 * lookups of one account or zone share list pages (batching); every request of a connection goes through one
 * limiter (bounded concurrency, Cloudflare's rate budget) over keep-alive sockets; that limiter is the session's
 * one for the base URL and credential, whatever the per-call options. With `resultTtlMs` > 0, results and the
 * other records of fetched list pages are reused for that long. Failures are never cached, and no error leaves
 * with a credential in it. Without caching, a connection (client and batcher) beyond the first few is dropped as
 * soon as it is idle, so lookups with thousands of distinct credentials keep next to nothing. Created lazily by
 * whoever needs it, never captured into serialized code.
 */
export class LookupSession {
  private readonly results = new Map<string, Expiring<Promise<CustomCsrResult>>>();
  private readonly records = new Map<string, Expiring<ApiCustomCsr>>();
  /** One client and batcher per connection and client options (timeout, retries). */
  private readonly connections = new Map<string, Connection>();
  /** One limiter per connection (base URL and credential), whatever the client options. */
  private readonly limiters = new ConnectionLimiters();
  private readonly now: () => number;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Looks a CSR up: from the cache, by joining a request in flight, or with a new (possibly batched) request. */
  lookup(request: CustomCsrRequest, config: ClientConfig): Promise<CustomCsrResult> {
    return redacted(config, this.lookupOnce(request, config));
  }

  /**
   * The API's record of one CSR, fetched through the session's connection but neither cached nor verified: for
   * callers that check the PEM themselves and report each check (`custom-csr verify`).
   */
  record({ customCsrId, scope }: CustomCsrRequest, config: ClientConfig): Promise<ApiCustomCsr> {
    return redacted(config, fetchCustomCsrRecord(customCsrId, scope, this.clientFor(config)));
  }

  /** Every CSR of a scope that matches the filters, each verified (see `listCustomCsrResults`); never cached. */
  list(request: CustomCsrListRequest, config: ClientConfig): Promise<CustomCsrResult[]> {
    return redacted(config, listCustomCsrResults(request, this.clientFor(config)));
  }

  /** The certificates serving each CSR of a zone (see `customCsrCertificates`); never cached. */
  certificates(args: GetCustomCsrCertificatesArgs, config: ClientConfig): Promise<CustomCsrCertificates> {
    return redacted(config, customCsrCertificates(args, this.clientFor(config)));
  }

  private async lookupOnce({ customCsrId, scope }: CustomCsrRequest, config: ClientConfig): Promise<CustomCsrResult> {
    const clientKey = keyOf(config);
    const key = cacheKey(clientKey.text, scope, customCsrId);
    const cached = this.results.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.value;

    const promise = this.fetch(key, customCsrId, scope, clientKey, config);
    // Until it settles the entry never expires, so concurrent callers always join the request in flight.
    this.results.set(key, { value: promise, expiresAt: Infinity });
    try {
      const result = await promise;
      if (this.results.get(key)?.value === promise) {
        if (this.options.resultTtlMs > 0)
          this.results.set(key, { value: promise, expiresAt: this.now() + this.options.resultTtlMs });
        else this.results.delete(key);
      }
      return result;
    } catch (error) {
      if (this.results.get(key)?.value === promise) this.results.delete(key);
      throw error;
    }
  }

  private async fetch(
    key: string,
    customCsrId: string,
    scope: CsrScope,
    clientKey: ClientKey,
    config: ClientConfig,
  ): Promise<CustomCsrResult> {
    const listed = this.records.get(key);
    const record =
      listed !== undefined && listed.expiresAt > this.now()
        ? listed.value
        : await this.batcherFor(clientKey, config).get(scope, customCsrId);
    return resultFromRecord(customCsrId, scope, record);
  }

  /**
   * A client of a connection, sharing the lookups' limiter, for requests the batcher does not make, such as a
   * list lookup's page walk. A client not kept for lookups is built for the call, so nothing accumulates.
   */
  private clientFor(config: ClientConfig): CloudflareClient {
    const clientKey = keyOf(config);
    return this.connections.get(clientKey.text)?.client ?? this.newClient(config, clientKey);
  }

  private batcherFor(clientKey: ClientKey, config: ClientConfig): ListBatcher {
    return this.connectionFor(clientKey, config).batcher;
  }

  private connectionFor(clientKey: ClientKey, config: ClientConfig): Connection {
    let connection = this.connections.get(clientKey.text);
    if (connection === undefined) {
      const remember = this.options.resultTtlMs > 0;
      const client = this.newClient(config, clientKey);
      const batcher: ListBatcher = new ListBatcher(client, {
        threshold: this.options.batching === false ? Infinity : 2,
        remember,
        onListed: (scope, records) => this.remember(clientKey.text, scope, records),
        // A remembering batcher serves one deployment and keeps what it learnt; of the others, a few stay for
        // the next lookup (building a client costs about 0.1 ms), the rest go.
        ...(remember ? {} : { onIdle: () => this.dropIfSurplus(clientKey.text, batcher) }),
      });
      connection = { client, batcher };
      this.connections.set(clientKey.text, connection);
    }
    return connection;
  }

  private newClient(config: ClientConfig, { connection }: ClientKey): CloudflareClient {
    return new CloudflareClient({ ...config, limiter: () => this.limiters.for(connection) });
  }

  private dropIfSurplus(clientKey: string, batcher: ListBatcher): void {
    if (this.connections.size <= KEPT_IDLE_CONNECTIONS || this.connections.get(clientKey)?.batcher !== batcher) return;
    this.connections.delete(clientKey);
  }

  /** Keeps the records of a list page for later lookups of this deployment (only when results are cached). */
  private remember(clientKey: string, scope: CsrScope, records: readonly ApiCustomCsr[]): void {
    if (this.options.resultTtlMs <= 0) return;
    const expiresAt = this.now() + this.options.resultTtlMs;
    for (const record of records) this.records.set(cacheKey(clientKey, scope, record.id), { value: record, expiresAt });
  }
}

/**
 * `work`, with the credentials of `config` removed from whatever error it fails with: errors quote our inputs and
 * records' fields, which a server may have filled with what it was sent.
 */
async function redacted<T>(config: ClientConfig, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw redactorFor(secretsOf(config.credentials)).error(error);
  }
}

/** The key of one CSR of one client, shared by the result and record caches. */
function cacheKey(clientKey: string, scope: CsrScope, customCsrId: string): string {
  return `${clientKey} ${scopePath(scope)} ${customCsrId}`;
}

/** Identifies a client: its connection (base URL and hashed credential) and, with it, its per-call options. */
interface ClientKey {
  /** The {@link connectionKey}: one limiter per connection. */
  readonly connection: string;
  /** The connection and the client options: one client and batcher per distinct value. */
  readonly text: string;
}

/** The key of a client, the credential hashed once per call. */
function keyOf(config: ClientConfig): ClientKey {
  const connection = connectionKey(config.baseUrl, config.credentials);
  return { connection, text: `${connection} ${config.timeoutMs ?? ""} ${config.retry?.maxRetries ?? ""}` };
}
