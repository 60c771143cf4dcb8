import { request as httpsRequest } from "node:https";
import { rootCertificates } from "node:tls";
import { AcmeOrderError } from "../errors";
import { userAgent } from "../version";
import { externalAccountBinding, signRequest, type AccountKey } from "./jws";

/**
 * A small RFC 8555 client on `node:https` and `node:crypto`: the directory, nonces (a `badNonce` is retried with the
 * fresh nonce the refusal carries), accounts (with External Account Binding), orders, authorizations, challenges,
 * finalization with a CSR, and the certificate download. Every request carries a `User-Agent`, has a deadline and
 * a size limit, and follows no redirect; TLS is verified by Node's trust store (`NODE_EXTRA_CA_CERTS` adds a test
 * CA's root), never turned off. A CA's problem document becomes an `AcmeOrderError` with its type and detail.
 */

/** An ACME problem document (RFC 8555, 6.7; RFC 7807). */
export interface AcmeProblem {
  readonly type?: string;
  readonly detail?: string;
  readonly subproblems?: readonly { type?: string; detail?: string; identifier?: { value?: string } }[];
}

/** An authorization (RFC 8555, 7.1.4), as far as this package reads it. */
export interface AcmeAuthorization {
  readonly url: string;
  readonly status: string;
  readonly identifier: { type: string; value: string };
  readonly wildcard?: boolean;
  readonly challenges: readonly { type: string; url: string; token: string; status: string; error?: AcmeProblem }[];
}

/** An order (RFC 8555, 7.1.3), as far as this package reads it. */
export interface AcmeOrder {
  readonly url: string;
  readonly status: string;
  readonly identifiers: readonly { type: string; value: string }[];
  readonly authorizations: readonly string[];
  readonly finalize: string;
  readonly certificate?: string;
  readonly error?: AcmeProblem;
}

interface Response {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Largest ACME response read (a certificate chain is a few KiB). */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Deadline of one HTTP exchange with the CA. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * `badNonce` refusals retried in a row before giving up (RFC 8555, 6.5: clients SHOULD retry). Each retry costs one
 * round trip, and even a CA refusing half of all nonces lets 10 retries through but once in two thousand.
 */
const MAX_BAD_NONCE_RETRIES = 10;
const BAD_NONCE = "urn:ietf:params:acme:error:badNonce";

/** What {@link AcmeClient} needs to run. */
export interface AcmeClientOptions {
  readonly directoryUrl: string;
  readonly key: AccountKey;
  /** Polling: the first wait and the most any wait lasts, in ms; a CA's `Retry-After` is honoured within them. */
  readonly pollMs?: { readonly first: number; readonly max: number };
  /** How long an order may take from first poll to certificate, in ms. */
  readonly pollTimeoutMs?: number;
  /** Roots trusted for the CA's HTTPS besides Node's own (a private or test CA), PEM. */
  readonly caCertificatesPem?: string;
}

/** See the file comment. One instance serves one order. */
export class AcmeClient {
  private directory: Record<string, string> | undefined;
  private nonce: string | undefined;
  private accountUrl: string | undefined;

  private readonly ca: string[] | undefined;

  constructor(private readonly options: AcmeClientOptions) {
    this.ca = options.caCertificatesPem === undefined ? undefined : [...rootCertificates, options.caCertificatesPem];
  }

  /** Creates the account, or finds the existing one of this key (RFC 8555, 7.3). */
  async account(contact: string | undefined, binding?: { kid: string; hmacKey: string }): Promise<string> {
    const url = await this.resource("newAccount");
    const payload: Record<string, unknown> = { termsOfServiceAgreed: true };
    if (contact !== undefined) payload.contact = [`mailto:${contact}`];
    if (binding !== undefined) payload.externalAccountBinding = externalAccountBinding(this.options.key, binding, url);
    const response = await this.post(url, payload, "the ACME account", { useJwk: true });
    const location = header(response, "location");
    if (location === undefined) throw this.failure("the ACME account", "the CA returned no account URL");
    this.accountUrl = location;
    return location;
  }

  /** Places an order for these DNS identifiers (RFC 8555, 7.4). */
  async newOrder(names: readonly string[]): Promise<AcmeOrder> {
    const identifiers = names.map((value) => ({ type: "dns", value }));
    const response = await this.post(await this.resource("newOrder"), { identifiers }, names.join(", "));
    const location = header(response, "location");
    if (location === undefined) throw this.failure(names.join(", "), "the CA returned no order URL");
    return { ...(parseJson(response.body) as AcmeOrder), url: location };
  }

  /** Reads an authorization (POST-as-GET). */
  async authorization(url: string): Promise<AcmeAuthorization> {
    const response = await this.post(url, "", "an authorization");
    return { ...(parseJson(response.body) as AcmeAuthorization), url };
  }

  /** Tells the CA a challenge is ready (RFC 8555, 7.5.1). */
  async respond(challengeUrl: string, identifier: string): Promise<void> {
    await this.post(challengeUrl, {}, identifier);
  }

  /**
   * Polls an authorization until it is no longer pending: resolves when valid, throws an `AcmeOrderError` with the
   * challenge's problem when invalid (or when the poll deadline passes).
   */
  async waitForAuthorization(url: string, identifier: string): Promise<void> {
    await this.poll(identifier, async () => {
      const authorization = await this.authorization(url);
      if (authorization.status === "valid") return true;
      if (authorization.status === "pending") return false;
      const problem = authorization.challenges.find((challenge) => challenge.error !== undefined)?.error;
      throw problemError(identifier, problem, `the authorization is ${authorization.status}`);
    });
  }

  /** Finalizes the order with the CSR (DER) and waits until the certificate is issued; returns its URL. */
  async finalize(order: AcmeOrder, csrDer: Buffer, what: string): Promise<string> {
    await this.post(order.finalize, { csr: csrDer.toString("base64url") }, what);
    let certificate: string | undefined;
    await this.poll(what, async () => {
      const current = parseJson((await this.post(order.url, "", what)).body) as AcmeOrder;
      if (current.status === "valid" && current.certificate !== undefined) {
        certificate = current.certificate;
        return true;
      }
      if (current.status === "processing" || current.status === "ready" || current.status === "pending") return false;
      throw problemError(what, current.error, `the order is ${current.status}`);
    });
    return certificate as string;
  }

  /** Downloads the certificate chain (PEM, leaf first). */
  async certificate(url: string, what: string): Promise<string> {
    const response = await this.post(url, "", what, { accept: "application/pem-certificate-chain" });
    return response.body;
  }

  /** Polls `check` until it returns true, waiting as the CA asks (bounded) between tries; never forever. */
  private async poll(what: string, check: () => Promise<boolean>): Promise<void> {
    const { first, max } = this.options.pollMs ?? { first: 250, max: 5_000 };
    const deadline = Date.now() + (this.options.pollTimeoutMs ?? 120_000);
    for (let wait = first; ; wait = Math.min(max, wait * 2)) {
      if (await check()) return;
      if (Date.now() + wait > deadline) throw this.failure(what, "the CA did not finish in time");
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async resource(name: string): Promise<string> {
    if (this.directory === undefined) {
      const response = await exchange(this.ca, "GET", this.options.directoryUrl);
      if (response.status !== 200) {
        throw this.failure("the ACME directory", `${this.options.directoryUrl} answered HTTP ${response.status}`);
      }
      this.directory = parseJson(response.body) as Record<string, string>;
    }
    const url = this.directory[name];
    if (typeof url !== "string") throw this.failure("the ACME directory", `it names no ${name} URL`);
    return url;
  }

  private async freshNonce(): Promise<string> {
    if (this.nonce !== undefined) {
      const nonce = this.nonce;
      this.nonce = undefined;
      return nonce;
    }
    const response = await exchange(this.ca, "HEAD", await this.resource("newNonce"));
    const nonce = header(response, "replay-nonce");
    if (nonce === undefined) throw this.failure("the ACME directory", "the CA gave no nonce");
    return nonce;
  }

  /** A signed POST (RFC 8555, 6.2); retries a `badNonce` refusal with the nonce it carries. */
  private async post(
    url: string,
    payload: unknown,
    identifier: string,
    options: { useJwk?: boolean; accept?: string } = {},
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const kid = options.useJwk === true ? undefined : this.accountUrl;
      const body = signRequest(this.options.key, payload, { url, nonce: await this.freshNonce(), kid });
      const response = await exchange(this.ca, "POST", url, body, options.accept);
      this.nonce = header(response, "replay-nonce");
      if (response.status < 400) return response;
      const problem = parseProblem(response.body);
      if (problem?.type === BAD_NONCE && attempt < MAX_BAD_NONCE_RETRIES) continue;
      throw problemError(identifier, problem, `the CA answered HTTP ${response.status}`);
    }
  }

  private failure(identifier: string, detail: string): AcmeOrderError {
    return new AcmeOrderError({ identifier, detail });
  }
}

/** An `AcmeOrderError` from a problem document, naming the identifier a subproblem names when there is one. */
function problemError(identifier: string, problem: AcmeProblem | undefined, fallback: string): AcmeOrderError {
  const sub = problem?.subproblems?.[0];
  return new AcmeOrderError({
    identifier: sub?.identifier?.value ?? identifier,
    ...(problem?.type !== undefined ? { problemType: sub?.type ?? problem.type } : {}),
    detail: sub?.detail ?? problem?.detail ?? fallback,
  });
}

function parseProblem(text: string): AcmeProblem | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? (value as AcmeProblem) : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AcmeOrderError({ identifier: "the ACME CA", detail: "it answered with a body that is not JSON" });
  }
}

function header(response: Response, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** One HTTPS exchange with the CA: a deadline, a size limit, no redirects. */
function exchange(
  ca: string[] | undefined,
  method: string,
  url: string,
  body?: string,
  accept?: string,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "User-Agent": userAgent(), Accept: accept ?? "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/jose+json";
    const options = { method, headers, timeout: REQUEST_TIMEOUT_MS, ...(ca === undefined ? {} : { ca }) };
    const req = httpsRequest(url, options, (res) => {
      const chunks: Buffer[] = [];
      let length = 0;
      res.on("data", (chunk: Buffer) => {
        length += chunk.length;
        if (length > MAX_RESPONSE_BYTES) {
          req.destroy();
          reject(
            new AcmeOrderError({ identifier: "the ACME CA", detail: `a response over ${MAX_RESPONSE_BYTES} bytes` }),
          );
        } else chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", (error) =>
      reject(new AcmeOrderError({ identifier: "the ACME CA", detail: `${method} ${url} failed: ${error.message}` })),
    );
    req.end(body);
  });
}
