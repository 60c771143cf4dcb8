/** Pebble and pebble-challtestsrv for the tests: the same starter the demo and the bench use (scripts/pebble.js). */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script shared with the demo and bench
const { startPebble: start } = require("../../scripts/pebble") as {
  startPebble: (o?: PebbleOptions) => Promise<PebbleCa>;
};

/** Options of {@link startPebble}. */
export interface PebbleOptions {
  /** EAB MAC keys by kid (base64url); when set, Pebble requires External Account Binding. */
  readonly eabKeys?: Record<string, string>;
  /** Certificate lifetime in seconds (Pebble's default profile); default 90 days. */
  readonly validitySeconds?: number;
  /** Percentage of good nonces Pebble rejects as `badNonce` (its own default is 5); default 0. */
  readonly nonceRejectPercent?: number;
}

/** A running Pebble CA and pebble-challtestsrv DNS server, on loopback ports of their own. */
export interface PebbleCa {
  /** `https://127.0.0.1:<port>/dir`. */
  readonly directoryUrl: string;
  /** The root that signs Pebble's HTTPS listener (pass as `caCertificatesPem`, or `NODE_EXTRA_CA_CERTS`). */
  readonly listenerRootPem: string;
  readonly listenerRootPath: string;
  /** pebble-challtestsrv's management URL, for the emulator's `dnsMirror`. */
  readonly challtestsrvUrl: string;
  /** pebble-challtestsrv's DNS server, `127.0.0.1:<port>`, for `dnsResolvers`. */
  readonly dnsResolver: string;
  /** Pebble's management URL (`/roots/0` is the issuing root). */
  readonly managementUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts pebble-challtestsrv (DNS and management only) and Pebble resolving through it. Requires `npm run
 * setup:pebble` (which `npm test` runs): a missing binary is an error, never a skip.
 */
export function startPebble(options: PebbleOptions = {}): Promise<PebbleCa> {
  return start(options);
}
