import { createHash } from "node:crypto";
import { CloudflareClient, type ClientConfig } from "../cloudflare/client";
import { RequestLimiter } from "../cloudflare/limiter";
import { scopeKey, type CsrScope } from "../cloudflare/scope";
import type { ApiCustomCsr } from "../cloudflare/types";
import { parseLookupArgs } from "./args";
import { ListBatcher } from "./batcher";
import { resultFromRecord } from "./lookup";
import type { CustomCsrResult } from "./result";

/** How a session looks CSRs up. */
export interface SessionOptions {
  /** How long a successful result (and a record seen on a list page) is reused; 0 for coalescing only. */
  readonly resultTtlMs: number;
  /** Serve concurrent lookups of one scope from the list endpoint (see `ListBatcher`). Default true. */
  readonly batching?: boolean;
  /** Time source, replaceable in tests. */
  readonly now?: () => number;
}

/** What a session keeps per connection. */
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
 * limiter (bounded concurrency, Cloudflare's rate budget) over keep-alive sockets. With `resultTtlMs` > 0,
 * results and the other records of fetched list pages are reused for that long. Failures are never cached.
 * Created lazily by whoever needs it, never captured into serialized code.
 */
export class LookupSession {
  private readonly results = new Map<string, Expiring<Promise<CustomCsrResult>>>();
  private readonly records = new Map<string, Expiring<ApiCustomCsr>>();
  /** One client (limiter, sockets) and batcher per connection: base URL, credential and client options. */
  private readonly connections = new Map<string, Connection>();
  private readonly now: () => number;

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Looks a CSR up: from the cache, by joining a request in flight, or with a new (possibly batched) request. */
  async lookup(args: unknown, config: ClientConfig): Promise<CustomCsrResult> {
    const { customCsrId, scope } = parseLookupArgs(args);
    const connectionKey = keyOf(config);
    const key = cacheKey(connectionKey, scope, customCsrId);
    const cached = this.results.get(key);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.value;

    const promise = this.fetch(key, customCsrId, scope, connectionKey, config);
    // Until it settles the entry never expires, so concurrent callers always join the request in flight.
    this.results.set(key, { value: promise, expiresAt: Infinity });
    try {
      const result = await promise;
      if (this.results.get(key)?.value === promise) {
        if (this.options.resultTtlMs > 0) this.results.set(key, { value: promise, expiresAt: this.now() + this.options.resultTtlMs });
        else this.results.delete(key);
      }
      return result;
    } catch (error) {
      if (this.results.get(key)?.value === promise) this.results.delete(key);
      throw error;
    }
  }

  private async fetch(key: string, customCsrId: string, scope: CsrScope, connectionKey: string, config: ClientConfig): Promise<CustomCsrResult> {
    const listed = this.records.get(key);
    const record =
      listed !== undefined && listed.expiresAt > this.now()
        ? listed.value
        : await this.batcherFor(connectionKey, config).get(scope, customCsrId);
    return resultFromRecord(customCsrId, scope, record);
  }

  /**
   * The client of a connection, shared with the lookups (one limiter, one set of sockets), for requests the
   * session does not make itself, such as a list lookup's page walk.
   */
  clientFor(config: ClientConfig): CloudflareClient {
    return this.connectionFor(keyOf(config), config).client;
  }

  private batcherFor(connectionKey: string, config: ClientConfig): ListBatcher {
    return this.connectionFor(connectionKey, config).batcher;
  }

  private connectionFor(connectionKey: string, config: ClientConfig): Connection {
    let connection = this.connections.get(connectionKey);
    if (connection === undefined) {
      const client = new CloudflareClient({ ...config, limiter: new RequestLimiter() });
      const batcher = new ListBatcher(client, {
        threshold: this.options.batching === false ? Infinity : 2,
        remember: this.options.resultTtlMs > 0,
        onListed: (scope, records) => this.remember(connectionKey, scope, records),
      });
      connection = { client, batcher };
      this.connections.set(connectionKey, connection);
    }
    return connection;
  }

  /** Keeps the records of a list page for later lookups of this deployment (only when results are cached). */
  private remember(connectionKey: string, scope: CsrScope, records: readonly ApiCustomCsr[]): void {
    if (this.options.resultTtlMs <= 0) return;
    const expiresAt = this.now() + this.options.resultTtlMs;
    for (const record of records) this.records.set(cacheKey(connectionKey, scope, record.id), { value: record, expiresAt });
  }
}

/** The key of one CSR of one connection, shared by the result and record caches. */
function cacheKey(connectionKey: string, scope: CsrScope, customCsrId: string): string {
  return `${connectionKey} ${scopeKey(scope)} ${customCsrId}`;
}

/** Identifies a connection without keeping a credential in a key: the credential is hashed. */
function keyOf(config: ClientConfig): string {
  const secret = createHash("sha256").update(JSON.stringify(config.credentials)).digest("hex").slice(0, 16);
  return `${config.baseUrl} ${config.credentials.scheme}:${secret} ${config.timeoutMs ?? ""} ${config.retry?.maxRetries ?? ""}`;
}
