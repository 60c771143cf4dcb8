import { BoundedReadError, readBoundedText } from "../bounded-read";
import { SeedFileError } from "./errors";
import type { SeedCsr } from "./types";

/** Largest seed file read: 10,000 CSRs of a few hundred bytes each, with room to spare. */
export const MAX_SEED_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads a seed file: a JSON array of {@link SeedCsr} objects, e.g.
 * `[{ "scope": { "accountId": "acc00000000000000000000000000001" }, "common_name": "app.acme.dev", "sans": ["app.acme.dev"] }]`.
 * Checks the shape (and says which entry is wrong); field values are validated when the emulator creates the CSRs.
 * Reads at most {@link MAX_SEED_FILE_BYTES} (a pipe for at most 60 s), so `/dev/zero` or an endless pipe ends
 * with an error instead of exhausting memory. Rejects with a {@link SeedFileError}.
 */
export async function loadSeedFile(path: string): Promise<SeedCsr[]> {
  let text: string;
  try {
    text = await readBoundedText(path, { maxBytes: MAX_SEED_FILE_BYTES, timeoutMs: 60_000 });
  } catch (error) {
    if (error instanceof BoundedReadError) throw new SeedFileError(path, ` ${error.message}`, { cause: error });
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SeedFileError(path, ` is not readable JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!Array.isArray(parsed)) throw new SeedFileError(path, " must hold a JSON array of CSRs");
  parsed.forEach((entry: unknown, index) => {
    const problem = seedProblem(entry);
    if (problem !== undefined) throw new SeedFileError(path, `, entry ${index}: ${problem}`);
  });
  return parsed as SeedCsr[];
}

function seedProblem(entry: unknown): string | undefined {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return "must be an object";
  const seed = entry as Record<string, unknown>;
  const scope = seed.scope as Record<string, unknown> | undefined;
  const scopeIds =
    typeof scope === "object" && scope !== null ? [scope.accountId, scope.zoneId].filter((id) => id !== undefined) : [];
  if (scopeIds.length !== 1 || typeof scopeIds[0] !== "string")
    return 'scope must be { "accountId": "..." } or { "zoneId": "..." }';
  if (typeof seed.common_name !== "string") return "common_name must be a string";
  if (!Array.isArray(seed.sans) || !seed.sans.every((san) => typeof san === "string"))
    return "sans must be an array of strings";
  const optional = [
    "id",
    "key_type",
    "name",
    "description",
    "organization",
    "organizational_unit",
    "country",
    "state",
    "locality",
  ];
  const wrong = optional.find((field) => seed[field] !== undefined && typeof seed[field] !== "string");
  return wrong === undefined ? undefined : `${wrong} must be a string`;
}
