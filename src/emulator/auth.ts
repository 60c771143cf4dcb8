import type { IncomingHttpHeaders } from "node:http";
import type { AuthScheme } from "../errors";
import type { ApiMessage } from "./wire";
import { ErrorCodes, Errors } from "./codes";
import type { ApiKeyCredential } from "./types";

/** The outcome of checking a request's credential. */
export type AuthOutcome =
  | { kind: "granted" }
  /** 400: a credential header that cannot be parsed (Cloudflare's 6003 with an `error_chain`). */
  | { kind: "malformed"; error: ApiMessage }
  /** 400: no credential header at all (Cloudflare's 1402). */
  | { kind: "missing" }
  /** 401: a credential the emulator does not know. */
  | { kind: "unauthenticated" }
  /** 403: a known credential without the "SSL and Certificates Read" permission. */
  | { kind: "forbidden" };

const BEARER = /^Bearer +(\S+)$/i;
const HEX = /^[0-9a-f]+$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The credentials an emulator accepts. Values are compared here and nowhere else; they are never logged or echoed.
 */
export class CredentialSet {
  private readonly tokens: Set<string>;
  private readonly forbiddenTokens: Set<string>;
  private readonly keys: Set<string>;

  constructor(tokens: string[], apiKeys: ApiKeyCredential[], forbiddenTokens: string[]) {
    this.tokens = new Set(tokens);
    this.forbiddenTokens = new Set(forbiddenTokens);
    this.keys = new Set(apiKeys.map((pair) => CredentialSet.keyOf(pair.email, pair.key)));
  }

  private static keyOf(email: string, key: string): string {
    return `${email.toLowerCase()}\n${key}`;
  }

  /**
   * Checks the credential headers. With both schemes present the token decides, as it is the scheme Cloudflare
   * recommends; the request log still shows both.
   */
  authenticate(headers: IncomingHttpHeaders): AuthOutcome {
    const authorization = single(headers.authorization);
    if (authorization !== undefined) {
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined) return malformed(ErrorCodes.InvalidAuthorizationHeader, "Authorization");
      if (this.forbiddenTokens.has(token)) return { kind: "forbidden" };
      return this.tokens.has(token) ? { kind: "granted" } : { kind: "unauthenticated" };
    }
    const email = single(headers["x-auth-email"]);
    const key = single(headers["x-auth-key"]);
    if (email === undefined && key === undefined) return { kind: "missing" };
    if (email === undefined || !EMAIL.test(email)) return malformed(ErrorCodes.InvalidEmailHeader, "X-Auth-Email");
    if (key === undefined || !HEX.test(key)) return malformed(ErrorCodes.InvalidKeyHeader, "X-Auth-Key");
    return this.keys.has(CredentialSet.keyOf(email, key)) ? { kind: "granted" } : { kind: "unauthenticated" };
  }
}

/** Which credential schemes a request carries (an `X-Auth-Email` alone counts as the key scheme). */
export function authSchemesOf(headers: IncomingHttpHeaders): AuthScheme[] {
  const schemes: AuthScheme[] = [];
  if (headers.authorization !== undefined) schemes.push("api-token");
  if (headers["x-auth-key"] !== undefined || headers["x-auth-email"] !== undefined) schemes.push("api-key");
  return schemes;
}

function malformed(chainCode: number, header: string): AuthOutcome {
  return { kind: "malformed", error: Errors.malformedHeader(chainCode, header) };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
