import type { CloudflareClient } from "../cloudflare/client";
import { MAX_PER_PAGE } from "../cloudflare/client";
import { scopePath, type CsrScope } from "../cloudflare/scope";
import type { ApiCustomCsr } from "../cloudflare/types";

/**
 * Serves concurrent lookups of one scope from the paged list endpoint instead of one GET each.
 *
 * Lookups that arrive in the same turn of the event loop (an engine's parallel provider calls, a
 * `Promise.all`) are gathered per account or zone; a lookup that is still alone once the code that made it has run
 * goes at once (see `goAloneIfStillAlone`). With `threshold` or more of them, page 1 of the list
 * (50 CSRs) is fetched: it answers every id it holds, and its `result_info` tells how many pages there are.
 * The remaining pages are fetched only when there are fewer of them than ids still unanswered; otherwise, and
 * for every id the list did not return, a plain GET follows, which also gives the definitive "not found".
 * So a batch costs at most one request more than GETs alone, and reading N CSRs of a scope costs about
 * ceil(N / 50) requests instead of N.
 *
 * With `remember` (a provider process, which serves one deployment), the batcher also counts every CSR a
 * scope was asked for so far and never fetches a page twice. The engine checks resources one at a time, so
 * "concurrent" is rare there; the demand so far predicts what is still to come instead. A stack of N CSRs of
 * one account then costs one GET plus the scope's pages, about 1 + ceil(N / 50) requests.
 *
 * Every record is shape-checked exactly like a GET's, and the caller verifies it the same way. The page count a
 * list claims is untrusted: it is checked against `MAX_LIST_PAGES` before anything is planned for it, further
 * pages are fetched a few at a time, and a page that brings nothing not seen before ends the walk.
 */
export interface BatcherOptions {
  /** Fewest lookups of one scope that go through the list (default 2; `Infinity` disables it). */
  readonly threshold: number;
  /** Count demand across batches and remember fetched pages (see above). Default false. */
  readonly remember?: boolean;
  /** Called with every record a list page returned, so a cache can keep the ones nobody asked for yet. */
  readonly onListed?: (scope: CsrScope, records: readonly ApiCustomCsr[]) => void;
  /** Called when the last batch in progress has settled and none is pending, so an owner may drop the batcher. */
  readonly onIdle?: () => void;
}

/** List pages requested at once after page 1; the limiter bounds the total anyway, this bounds the waste. */
const PAGES_AT_ONCE = 4;

interface Waiter {
  resolve(record: ApiCustomCsr): void;
  reject(error: unknown): void;
}

interface PendingScope {
  readonly scope: CsrScope;
  readonly waiters: Map<string, Waiter[]>;
}

/** What the batcher knows of one scope's list. */
interface ScopeListing {
  /** CSRs of the scope asked for so far. */
  demand: number;
  /** Page count from the last `result_info`, once a page was fetched. */
  pages?: number;
  /** Pages already fetched. */
  readonly fetched: Set<number>;
  /** Ids the fetched pages held, to notice a server that repeats a page. */
  readonly seen: Set<string>;
}

/** See {@link BatcherOptions}. */
export class ListBatcher {
  private readonly pending = new Map<string, PendingScope>();
  /** Scopes whose first batch of this turn went alone (see `goAloneIfStillAlone`). */
  private readonly wentAlone = new Set<string>();
  private readonly listings = new Map<string, ScopeListing>();
  /** Batches being answered. */
  private flushing = 0;

  constructor(
    private readonly client: CloudflareClient,
    private readonly options: BatcherOptions = { threshold: 2 },
  ) {}

  /** The API record of one custom CSR, fetched alone or with the other lookups of its scope. */
  get(scope: CsrScope, customCsrId: string): Promise<ApiCustomCsr> {
    const key = scopePath(scope);
    let batch = this.pending.get(key);
    if (batch === undefined) {
      batch = { scope, waiters: new Map() };
      this.pending.set(key, batch);
      if (!this.wentAlone.has(key)) queueMicrotask(() => this.goAloneIfStillAlone(key));
      setImmediate(() => void this.flush(key));
    }
    const waiters = batch.waiters.get(customCsrId) ?? [];
    batch.waiters.set(customCsrId, waiters);
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  /**
   * Once the code that made a lookup has run, a lookup still alone in its scope goes at once: waiting for the next
   * turn of the event loop only pays when others join it, and a `Promise.all` has registered them all by then. Only
   * the first batch of a scope in a turn may go early; later ones (lookups arriving one by one, as `Output`s
   * resolve) wait for the turn to end and share list pages as before, so this costs at most one GET per turn.
   */
  private goAloneIfStillAlone(key: string): void {
    if (this.pending.get(key)?.waiters.size !== 1) return;
    this.wentAlone.add(key);
    setImmediate(() => this.wentAlone.delete(key));
    void this.flush(key);
  }

  /** True when no batch is pending or being answered. */
  get idle(): boolean {
    return this.pending.size === 0 && this.flushing === 0;
  }

  private async flush(key: string): Promise<void> {
    const batch = this.pending.get(key);
    if (batch === undefined) return; // already answered alone (see `get`)
    this.pending.delete(key);
    this.flushing++;
    try {
      const remembered = this.options.remember === true ? this.rememberedListing(key) : undefined;
      const demand = (remembered?.demand ?? 0) + batch.waiters.size;
      if (remembered !== undefined) remembered.demand = demand;
      // Below the threshold (a lone lookup, the usual case) nothing about the list is built.
      const unanswered =
        demand >= this.options.threshold
          ? await this.answerFromList(batch, remembered ?? { demand, fetched: new Set(), seen: new Set() })
          : batch.waiters.keys();
      await Promise.all(Array.from(unanswered, (id) => this.answerWithGet(batch, id)));
    } finally {
      this.flushing--;
      if (this.idle) this.options.onIdle?.();
    }
  }

  /** The scope's lasting listing, when remembering (see {@link BatcherOptions.remember}). */
  private rememberedListing(key: string): ScopeListing {
    let listing = this.listings.get(key);
    if (listing === undefined) {
      listing = { demand: 0, fetched: new Set(), seen: new Set() };
      this.listings.set(key, listing);
    }
    return listing;
  }

  /** Answers what the list can; returns the ids still unanswered. A failed list leaves them all to GET. */
  private async answerFromList(batch: PendingScope, listing: ScopeListing): Promise<Set<string>> {
    const unanswered = new Set(batch.waiters.keys());
    try {
      if (!listing.fetched.has(1)) await this.fetchPages(batch, listing, [1], unanswered);
      // `pages` is at most MAX_LIST_PAGES (checked with the page), so this array is bounded too.
      const rest = Array.from({ length: Math.max((listing.pages ?? 1) - 1, 0) }, (_, i) => i + 2).filter(
        (page) => !listing.fetched.has(page),
      );
      // The rest of the pages only when they cost fewer requests than the GETs they replace.
      if (rest.length > 0 && rest.length < Math.max(unanswered.size, listing.demand)) {
        for (let from = 0; from < rest.length && unanswered.size > 0; from += PAGES_AT_ONCE) {
          const broughtNew = await this.fetchPages(batch, listing, rest.slice(from, from + PAGES_AT_ONCE), unanswered);
          if (!broughtNew) break;
        }
      }
    } catch {
      // The list is an optimisation: whatever it could not answer, a GET per id answers, errors included.
    }
    return unanswered;
  }

  /** Fetches these pages at once; true when every one of them brought a record not seen on an earlier page. */
  private async fetchPages(
    batch: PendingScope,
    listing: ScopeListing,
    pages: number[],
    unanswered: Set<string>,
  ): Promise<boolean> {
    const results = await Promise.all(
      pages.map((page) => this.client.listCustomCsrs(batch.scope, { page, perPage: MAX_PER_PAGE })),
    );
    let allNew = true;
    results.forEach((result, i) => {
      listing.fetched.add(pages[i]);
      listing.pages = result.pages;
      allNew &&= result.items.some((record) => !listing.seen.has(record.id));
      for (const record of result.items) listing.seen.add(record.id);
      this.settle(batch, result.items, unanswered);
    });
    return allNew;
  }

  private settle(batch: PendingScope, records: readonly ApiCustomCsr[], unanswered: Set<string>): void {
    this.options.onListed?.(batch.scope, records);
    for (const record of records) {
      if (!unanswered.delete(record.id)) continue;
      for (const waiter of batch.waiters.get(record.id) ?? []) waiter.resolve(record);
    }
  }

  private async answerWithGet(batch: PendingScope, id: string): Promise<void> {
    const waiters = batch.waiters.get(id) ?? [];
    try {
      const record = await this.client.getCustomCsr(batch.scope, id);
      for (const waiter of waiters) waiter.resolve(record);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}
