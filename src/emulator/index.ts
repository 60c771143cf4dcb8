/**
 * A local, faithful Cloudflare Custom CSRs API (`/client/v4/{accounts|zones}/{id}/custom_csrs`) on loopback, for
 * tests, demos and benchmarks: real keys and PKCS#10 requests, Cloudflare's status and error codes, both credential
 * schemes, rate-limit headers, fault injection and a request log.
 *
 * Public subpath: `pulumi-cloudflare-custom-csr/emulator`.
 *
 * @packageDocumentation
 */
export { startEmulator } from "./emulator";
export { loadSeedFile } from "./seed-file";
export { EXAMPLE_SEED } from "./example-seed";
export { ADMIN_PATH } from "./admin";
export { EmulatorCsrNotFoundError, EmulatorInputError, EmulatorOptionError, SeedFileError } from "./errors";
export { ErrorCodes } from "./codes";
export {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_EMULATOR_API_KEY,
  DEFAULT_EMULATOR_EMAIL,
  DEFAULT_EMULATOR_TOKEN,
  DEFAULT_RATE_LIMIT,
  DEFAULT_ZONE_ID,
} from "./defaults";
export { LIST_DEFAULTS, PER_PAGE_RANGE, type ListQuery } from "./list-query";
export { BASE_PATH } from "./routes";
export type { AuthScheme } from "../errors";
export type { CsrScope } from "./wire";
// Every type of ./types is part of the public surface (options, faults, the emulator handle, seeds).
export type * from "./types";
