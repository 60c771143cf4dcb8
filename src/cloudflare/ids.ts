/**
 * The shapes of the ids the Custom CSRs API takes, in one place for the client's argument checks and the CLI (the
 * emulator keeps its own, in `src/emulator/wire.ts`).
 */

/** A custom CSR id: 1 to 36 characters of letters, digits and `-` (Cloudflare issues UUIDs; error 1418 otherwise). */
export const CUSTOM_CSR_ID_PATTERN = /^[A-Za-z0-9-]{1,36}$/;

/**
 * An account or zone id as this package accepts it: up to 32 hex characters of either case. Lenient on purpose:
 * the API decides whether such an id exists, and a clear "not found" beats a local guess.
 */
export const CLOUDFLARE_ID_PATTERN = /^[0-9a-fA-F]{1,32}$/;
