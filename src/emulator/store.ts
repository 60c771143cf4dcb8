import type { KeyObject } from "node:crypto";
import { scopePath, type CsrScope } from "./wire";
import type { ApiCustomCsr } from "./wire";
import { EmulatorOptionError } from "./errors";

/** Sort keys the list endpoint accepts. */
export type ListOrder = "name" | "account_tag" | "created_at";

/** Sort directions the list endpoint accepts. */
export type ListDirection = "asc" | "desc";

/** A stored CSR: the API record plus what never leaves the emulator. */
export interface StoredCsr {
  record: ApiCustomCsr;
  /** The private key Cloudflare keeps for the certificate it will later issue. Never serialized. */
  privateKey: KeyObject;
  /** Insertion counter; breaks ties so that ordering is total and stable. */
  seq: number;
}

/**
 * In-memory CSRs, one namespace per account and per zone (a zone does not see its account's CSRs), keyed by the
 * scope's API path. Hands out its live entries: {@link CsrService} does the copying.
 */
export class CsrStore {
  private readonly scopes = new Map<string, Map<string, StoredCsr>>();
  private seq = 0;

  /** Adds a CSR; throws when the id is taken in that scope. */
  insert(scope: CsrScope, record: ApiCustomCsr, privateKey: KeyObject): void {
    const csrs = this.csrsOf(scope);
    if (csrs.has(record.id)) {
      throw new EmulatorOptionError(`custom CSR id "${record.id}" is already taken in ${scopePath(scope)}`);
    }
    csrs.set(record.id, { record, privateKey, seq: this.seq++ });
  }

  /** The live stored entry (not a copy), or `undefined`. */
  get(scope: CsrScope, id: string): StoredCsr | undefined {
    return this.scopes.get(scopePath(scope))?.get(id);
  }

  /** Removes a CSR and its key; `false` when it did not exist. */
  delete(scope: CsrScope, id: string): boolean {
    return this.scopes.get(scopePath(scope))?.delete(id) ?? false;
  }

  /**
   * Every CSR of a scope, sorted. Absent values sort as the empty string (first when ascending); ties fall back to
   * insertion order, and `desc` reverses the whole order so that paging stays consistent either way.
   */
  list(scope: CsrScope, order: ListOrder = "created_at", direction: ListDirection = "asc"): StoredCsr[] {
    const sign = direction === "asc" ? 1 : -1;
    return [...(this.scopes.get(scopePath(scope))?.values() ?? [])].sort((a, b) => {
      const left = a.record[order] ?? "";
      const right = b.record[order] ?? "";
      const byKey = left < right ? -1 : left > right ? 1 : 0;
      return sign * (byKey !== 0 ? byKey : a.seq - b.seq);
    });
  }

  private csrsOf(scope: CsrScope): Map<string, StoredCsr> {
    const key = scopePath(scope);
    let csrs = this.scopes.get(key);
    if (csrs === undefined) {
      csrs = new Map();
      this.scopes.set(key, csrs);
    }
    return csrs;
  }
}
