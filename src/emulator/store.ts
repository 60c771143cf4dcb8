import type { KeyObject } from "node:crypto";
import type { ApiCustomCsr } from "../cloudflare/types";

/** Which account or zone a request or call addresses, as it appears in the path. */
export interface ScopeRef {
  kind: "accounts" | "zones";
  id: string;
}

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

/** In-memory CSRs, one namespace per account and per zone (a zone does not see its account's CSRs). */
export class CsrStore {
  private readonly scopes = new Map<string, Map<string, StoredCsr>>();
  private seq = 0;

  /** Adds a CSR; throws when the id is taken in that scope. */
  insert(scope: ScopeRef, record: ApiCustomCsr, privateKey: KeyObject): void {
    const csrs = this.csrsOf(scope);
    if (csrs.has(record.id)) throw new Error(`custom CSR ${record.id} already exists in ${scopeKey(scope)}`);
    csrs.set(record.id, { record, privateKey, seq: this.seq++ });
  }

  /** The live stored entry (not a copy), or `undefined`. */
  get(scope: ScopeRef, id: string): StoredCsr | undefined {
    return this.scopes.get(scopeKey(scope))?.get(id);
  }

  /** Removes a CSR and its key; `false` when it did not exist. */
  delete(scope: ScopeRef, id: string): boolean {
    return this.scopes.get(scopeKey(scope))?.delete(id) ?? false;
  }

  /**
   * Every CSR of a scope, sorted. Absent values sort as the empty string (first when ascending); ties fall back to
   * insertion order, and `desc` reverses the whole order so that paging stays consistent either way.
   */
  list(scope: ScopeRef, order: ListOrder = "created_at", direction: ListDirection = "asc"): StoredCsr[] {
    const sign = direction === "asc" ? 1 : -1;
    return [...(this.scopes.get(scopeKey(scope))?.values() ?? [])].sort((a, b) => {
      const left = a.record[order] ?? "";
      const right = b.record[order] ?? "";
      const byKey = left < right ? -1 : left > right ? 1 : 0;
      return sign * (byKey !== 0 ? byKey : a.seq - b.seq);
    });
  }

  private csrsOf(scope: ScopeRef): Map<string, StoredCsr> {
    const key = scopeKey(scope);
    let csrs = this.scopes.get(key);
    if (csrs === undefined) {
      csrs = new Map();
      this.scopes.set(key, csrs);
    }
    return csrs;
  }
}

/** `accounts/<id>` or `zones/<id>`, the scope part of the API path. */
export function scopeKey(scope: ScopeRef): string {
  return `${scope.kind}/${scope.id}`;
}
