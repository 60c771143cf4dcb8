// The errors the emulator's programmatic API throws (`startEmulator`, the CloudflareEmulator methods,
// `loadSeedFile`). What the HTTP API answers is never an exception: it is a Cloudflare error envelope.
import type { ApiMessage } from "./wire";

/**
 * Thrown for an option or argument that could never work: an empty `tokens` list, a rate outside 0..1, a scope
 * with both or neither of `accountId` and `zoneId`, an account the emulator does not know, a custom CSR id that is
 * malformed or already taken. A programming error in the caller, so it stays a `TypeError` (as the emulator always
 * threw); the message names the option or argument and what it must be.
 */
export class EmulatorOptionError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = "EmulatorOptionError";
  }
}

/**
 * Thrown by `createCsr`, `seedMany`, `regenerateCsr` and seeding for input the HTTP API would answer with 400.
 * `errors` holds exactly the entries the HTTP response would carry (codes 1400-1418), so a test can compare the two.
 */
export class EmulatorInputError extends Error {
  /** The Cloudflare error entries (codes 1400-1418). */
  readonly errors: ApiMessage[];

  constructor(errors: ApiMessage[]) {
    super(`Invalid custom CSR input: ${errors.map((e) => `${e.code} ${e.message}`).join("; ")}`);
    this.name = "EmulatorInputError";
    this.errors = errors;
  }
}

/**
 * Thrown by `updateCsr` and `regenerateCsr` when the scope holds no custom CSR with that id (where the HTTP API
 * would answer 404 / 1419). `customCsrId` and `scope` (`accounts/<id>` or `zones/<id>`) say which one was missing.
 */
export class EmulatorCsrNotFoundError extends Error {
  /** The id that was asked for. */
  readonly customCsrId: string;
  /** The scope searched, as in the API path: `accounts/<id>` or `zones/<id>`. */
  readonly scope: string;

  constructor(customCsrId: string, scope: string) {
    super(`custom CSR ${customCsrId} not found in ${scope}`);
    this.name = "EmulatorCsrNotFoundError";
    this.customCsrId = customCsrId;
    this.scope = scope;
  }
}

/**
 * Thrown by `loadSeedFile` (and so by `custom-csr emulator --seed`) when the file cannot be read, is not JSON, or
 * holds an entry that is not a CSR. `path` is the file; the message says which entry and what is wrong with it.
 */
export class SeedFileError extends Error {
  /** The seed file as given. */
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`seed file ${path}${problem}`, options);
    this.name = "SeedFileError";
    this.path = path;
  }
}
