/** HTTP helpers of the emulator's tests: raw requests with either credential, and openssl as an independent reader. */
import { spawnSync } from "node:child_process";
import type { ApiEnvelope } from "../../src/cloudflare/types";
import { DEFAULT_ACCOUNT_ID, startEmulator, type CloudflareEmulator, type CreateCsrInput } from "../../src/emulator";

export const OTHER_ACCOUNT = "acc00000000000000000000000000002";
export const UNKNOWN_ACCOUNT = "0123456789abcdef0123456789abcdef";
export const CSR_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const input = (overrides: Partial<CreateCsrInput> = {}): CreateCsrInput => ({
  common_name: "app.acme.dev",
  sans: ["app.acme.dev", "www.acme.dev"],
  country: "US",
  state: "California",
  locality: "San Francisco",
  organization: "Acme, Inc.",
  key_type: "p256v1",
  ...overrides,
});

export type Auth = "token" | "key" | "both" | "none" | Record<string, string>;

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: ApiEnvelope<T>;
}

export function authHeaders(cf: CloudflareEmulator, auth: Auth): Record<string, string> {
  const token = { Authorization: `Bearer ${cf.token}` };
  const key = { "X-Auth-Email": cf.email, "X-Auth-Key": cf.apiKey };
  if (auth === "token") return token;
  if (auth === "key") return key;
  if (auth === "both") return { ...token, ...key };
  if (auth === "none") return {};
  return auth;
}

export async function call<T = unknown>(
  cf: CloudflareEmulator,
  method: string,
  path: string,
  options: { auth?: Auth; body?: unknown; rawBody?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = authHeaders(cf, options.auth ?? "token");
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  }
  const url = path.startsWith("http") ? path : `${cf.baseUrl}${path}`;
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as ApiEnvelope<T> };
}

export const codesOf = (reply: Reply) => reply.body.errors.map((error) => error.code);
export const accountPath = (cf: CloudflareEmulator, suffix = "") => `/accounts/${cf.accountId}/custom_csrs${suffix}`;
export const zonePath = (cf: CloudflareEmulator, suffix = "") => `/zones/${cf.zoneId}/custom_csrs${suffix}`;

export function opensslReq(pem: string): { status: number | null; subject: string; stderr: string } {
  const run = spawnSync("openssl", ["req", "-in", "-", "-noout", "-verify", "-subject"], {
    input: pem,
    encoding: "utf8",
  });
  return { status: run.status, subject: run.stdout.trim(), stderr: run.stderr };
}

/** The SANs as openssl prints them (`DNS:a, DNS:b`), as `dns:a`, `dns:b`. */
export function sansOf(pem: string): string[] {
  const text = spawnSync("openssl", ["req", "-in", "-", "-noout", "-text"], { input: pem, encoding: "utf8" }).stdout;
  const line = /X509v3 Subject Alternative Name:.*\n\s*(.*)/.exec(text)?.[1] ?? "";
  return line === "" ? [] : line.split(", ").map((name) => name.replace(/^DNS:/, "dns:"));
}

/** The CSR's public key, as openssl exports it: equal keys, equal text. */
export function publicKeyOf(pem: string): string {
  return spawnSync("openssl", ["req", "-in", "-", "-noout", "-pubkey"], { input: pem, encoding: "utf8" }).stdout;
}

/**
 * The emulator a suite of `test/integration/emulator/` shares: two accounts and a token without the read
 * permission, started before the suite, stopped after it, its faults and request log cleared before each test.
 */
export function useSuiteEmulator(received: (emulator: CloudflareEmulator) => void): void {
  let emulator: CloudflareEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({
      accounts: [DEFAULT_ACCOUNT_ID, OTHER_ACCOUNT],
      forbiddenTokens: ["read-less-token"],
    });
    received(emulator);
  });
  afterAll(() => emulator?.stop());
  beforeEach(() => {
    emulator?.clearFaults();
    emulator?.clearRequests();
  });
}
