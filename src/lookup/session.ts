import { createHash } from "node:crypto";
import { CloudflareClient, type ClientConfig } from "../cloudflare/client";
import { scopeKey } from "../cloudflare/scope";
import { parseLookupArgs } from "./args";
import { lookupCustomCsr } from "./lookup";
import type { CustomCsrResult } from "./result";


interface CacheEntry {
  readonly promise: Promise<CustomCsrResult>;
  readonly expiresAt: number;
}

/**
 * Lookups shared by one process: concurrent lookups of the same CSR share one request (coalescing), and a
 * successful result is reused for `resultTtlMs` (0: coalescing only). Clients (and their keep-alive sockets)
 * are reused per connection. Failures are never cached. Created lazily by whoever needs it, never captured
 * into serialized code.
 */
export class LookupSession {
  private readonly results = new Map<string, CacheEntry>();
  private readonly clients = new Map<string, CloudflareClient>();

  constructor(
    private readonly resultTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Looks up a CSR through the cache. `fresh` skips a cached result but still joins a request in flight. */
  async lookup(args: unknown, config: ClientConfig, options: { fresh?: boolean } = {}): Promise<CustomCsrResult> {
    const { customCsrId, scope } = parseLookupArgs(args);
    const connection = connectionKey(config);
    const key = `${connection} ${scopeKey(scope)} ${customCsrId}`;
    const cached = this.results.get(key);
    const now = this.now();
    if (cached !== undefined && cached.expiresAt > now && !(options.fresh === true && cached.expiresAt !== Infinity)) {
      return cached.promise;
    }
    const client = this.clientFor(connection, config);
    // Until it settles the entry never expires, so concurrent callers always join the request in flight.
    const promise = lookupCustomCsr({ customCsrId, ...scope }, client);
    this.results.set(key, { promise, expiresAt: Infinity });
    try {
      const result = await promise;
      if (this.results.get(key)?.promise === promise) this.results.set(key, { promise, expiresAt: this.now() + this.resultTtlMs });
      return result;
    } catch (error) {
      if (this.results.get(key)?.promise === promise) this.results.delete(key);
      throw error;
    }
  }

  private clientFor(connection: string, config: ClientConfig): CloudflareClient {
    let client = this.clients.get(connection);
    if (client === undefined) {
      client = new CloudflareClient(config);
      this.clients.set(connection, client);
    }
    return client;
  }
}

/** Identifies a connection without keeping a credential in a key: the credential is hashed. */
function connectionKey(config: ClientConfig): string {
  const secret = createHash("sha256").update(JSON.stringify(config.credentials)).digest("hex").slice(0, 16);
  return `${config.baseUrl} ${config.credentials.scheme}:${secret} ${config.timeoutMs ?? ""} ${config.retry?.maxRetries ?? ""}`;
}
