import { randomUUID } from "node:crypto";
import { CUSTOM_CSR_ID } from "./wire";
import { scopePath, type CsrScope } from "./wire";
import type { ApiCustomCsr } from "./wire";
import type { CsrFactory } from "./csr-factory";
import { EmulatorCsrNotFoundError, EmulatorInputError, EmulatorOptionError } from "./errors";
import type { CsrStore, ListDirection, ListOrder } from "./store";
import type { CreateCsrInput, CsrFieldChanges } from "./types";
import { validateCreateInput, type ValidCreateInput } from "./validation";

/** One CSR to create: where, what, and optionally a fixed id. */
export interface CreateRequest {
  scope: CsrScope;
  input: ValidCreateInput;
  id?: string;
}

/**
 * The custom CSR operations, shared by the HTTP routes and the programmatic API so both behave identically.
 * Returns deep copies; stored records are never handed out.
 */
export class CsrService {
  constructor(
    private readonly store: CsrStore,
    private readonly factory: CsrFactory,
    /** The account that owns every zone, reported as `account_tag` for zone-scoped CSRs. */
    private readonly zoneOwner: string,
  ) {}

  /** Creates one CSR with a real key and PEM. */
  async create(request: CreateRequest): Promise<ApiCustomCsr> {
    const [created] = await this.createMany([request]);
    return created;
  }

  /**
   * Creates CSRs with keys generated concurrently, then stores them in the order given (so `created_at` order matches
   * the input). Ids are checked before any key is generated.
   */
  async createMany(requests: readonly CreateRequest[]): Promise<ApiCustomCsr[]> {
    const ids = requests.map((request) => request.id ?? randomUUID());
    ids.forEach((id, index) => {
      if (!CUSTOM_CSR_ID.test(id)) {
        throw new EmulatorOptionError(`custom CSR id "${id}" must be 1..36 characters of [A-Za-z0-9-]`);
      }
      const duplicate = ids.indexOf(id) !== index || this.store.get(requests[index].scope, id) !== undefined;
      if (duplicate) throw new EmulatorOptionError(`custom CSR id "${id}" is already taken`);
    });
    const generated = await Promise.all(
      requests.map(({ input }) => this.factory.generate(input, input.sans, input.key_type)),
    );
    return requests.map(({ scope, input }, index) => {
      const record: ApiCustomCsr = {
        id: ids[index],
        account_tag: scope.accountId ?? this.zoneOwner,
        created_at: new Date().toISOString(),
        csr: generated[index].pem,
        key_type: input.key_type,
        ...subjectFieldsOf(input),
      };
      this.store.insert(scope, record, generated[index].privateKey);
      return structuredClone(record);
    });
  }

  /** A copy of one CSR, or `undefined`. */
  get(scope: CsrScope, id: string): ApiCustomCsr | undefined {
    const stored = this.store.get(scope, id);
    return stored === undefined ? undefined : structuredClone(stored.record);
  }

  /** Copies of a scope's CSRs, sorted as the list endpoint sorts them. */
  list(scope: CsrScope, order?: ListOrder, direction?: ListDirection): ApiCustomCsr[] {
    return this.store.list(scope, order, direction).map((stored) => structuredClone(stored.record));
  }

  /** Deletes a CSR and its key. */
  delete(scope: CsrScope, id: string): boolean {
    return this.store.delete(scope, id);
  }

  /** Overwrites or removes stored fields as given, without re-signing. */
  update(scope: CsrScope, id: string, changes: CsrFieldChanges): ApiCustomCsr {
    const record = this.require(scope, id).record as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(changes)) {
      if (field === "id") continue;
      if (value === undefined) delete record[field];
      else record[field] = structuredClone(value);
    }
    return structuredClone(record as unknown as ApiCustomCsr);
  }

  /** A new key and PEM for a stored CSR, with its fields (and `changes`) validated like a create body. */
  async regenerate(scope: CsrScope, id: string, changes: Partial<CreateCsrInput> = {}): Promise<ApiCustomCsr> {
    const { record } = this.require(scope, id);
    const validation = validateCreateInput({ ...record, ...changes });
    if (!validation.ok) throw new EmulatorInputError(validation.problems);
    const input = validation.value;
    const generated = await this.factory.generate(input, input.sans, input.key_type);
    const stored = this.require(scope, id);
    stored.record = {
      id,
      account_tag: record.account_tag,
      created_at: record.created_at,
      csr: generated.pem,
      key_type: input.key_type,
      ...subjectFieldsOf(input),
    };
    stored.privateKey = generated.privateKey;
    return structuredClone(stored.record);
  }

  private require(scope: CsrScope, id: string) {
    const stored = this.store.get(scope, id);
    if (stored === undefined) throw new EmulatorCsrNotFoundError(id, scopePath(scope));
    return stored;
  }
}

/** The fields a create body sets, with absent optional ones left out (never invented). */
function subjectFieldsOf(input: ValidCreateInput): Omit<ApiCustomCsr, "id" | "created_at" | "key_type"> {
  const fields: Omit<ApiCustomCsr, "id" | "created_at" | "key_type"> = {
    common_name: input.common_name,
    country: input.country,
    locality: input.locality,
    organization: input.organization,
    state: input.state,
    sans: [...input.sans],
  };
  if (input.organizational_unit !== undefined) fields.organizational_unit = input.organizational_unit;
  if (input.description !== undefined) fields.description = input.description;
  if (input.name !== undefined) fields.name = input.name;
  return fields;
}
