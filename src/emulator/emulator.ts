import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { scopePath, type CsrScope } from "./wire";
import type { ApiCustomCsr, ApiDnsRecord } from "./wire";
import { CredentialSet } from "./auth";
import { CsrFactory } from "./csr-factory";
import { CertificateStore } from "./certificates";
import { DnsZones } from "./dns";
import {
  assertLatency,
  assertRandomFaults,
  assertRateLimit,
  DEFAULT_RATE_LIMIT,
  resolveOptions,
  type ResolvedOptions,
} from "./defaults";
import { EmulatorInputError, EmulatorOptionError } from "./errors";
import { FaultQueue } from "./faults";
import { RateLimiter } from "./rate-limit";
import { copyRequest, RequestLog } from "./request-log";
import { BASE_PATH } from "./routes";
import { createRequestListener } from "./server";
import { CsrService, type CreateRequest } from "./service";
import { CsrStore } from "./store";
import type {
  CloudflareEmulator,
  CreateCsrInput,
  CsrAccessRestriction,
  EmulatedCertificate,
  CsrFieldChanges,
  EmulatorOptions,
  Fault,
  FaultOptions,
  RandomFaults,
  RateLimitPolicy,
  RecordedRequest,
  RegenerateCsrChanges,
  SeedCsr,
} from "./types";
import { validateCreateInput, type ValidCreateInput } from "./validation";

/** Subject fields a seed may leave out. */
const SEED_DEFAULTS = Object.freeze({
  organization: "Emulated Organization",
  country: "US",
  state: "California",
  locality: "San Francisco",
});

/**
 * Starts a Cloudflare Custom CSRs API emulator on loopback and resolves once it accepts connections (and any `seed`
 * CSRs exist). Starting is cheap: keys are generated only when CSRs are created.
 *
 * @example
 * const cf = await startEmulator();
 * const csr = await cf.createCsr({ accountId: cf.accountId }, {
 *   common_name: "app.acme.dev", sans: ["app.acme.dev"], country: "US", state: "CA", locality: "SF", organization: "Acme",
 * });
 * await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/custom_csrs/${csr.id}`, { headers: { Authorization: `Bearer ${cf.token}` } });
 * await cf.stop();
 */
export async function startEmulator(options?: EmulatorOptions): Promise<CloudflareEmulator> {
  const emulator = new Emulator(resolveOptions(options));
  if (options?.seed !== undefined && options.seed.length > 0) await emulator.seed(options.seed);
  await emulator.listen();
  return emulator;
}

/**
 * The running emulator behind {@link CloudflareEmulator}: owns the HTTP server, the store and the test-facing
 * state (faults, latency, rate limit, request log). The programmatic methods check their scope here, then share
 * {@link CsrService} with the HTTP routes so both behave identically.
 */
class Emulator implements CloudflareEmulator {
  readonly token: string;
  readonly email: string;
  readonly apiKey: string;
  readonly accountId: string;
  readonly zoneId: string;

  private readonly service: CsrService;
  private readonly limiter: RateLimiter;
  private readonly faults = new FaultQueue();
  private readonly dns: DnsZones;
  private readonly certificates = new CertificateStore();
  private readonly knownScopes: Set<string>;
  /** Accounts and zones that may not use custom CSRs, by scope path. */
  private readonly csrRestrictions = new Map<string, CsrAccessRestriction>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server: Server;
  private readonly log: RequestLog;
  private latencyMs: number;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: ResolvedOptions) {
    this.token = options.tokens[0];
    this.email = options.apiKeys[0].email;
    this.apiKey = options.apiKeys[0].key;
    this.accountId = options.accounts[0];
    this.zoneId = options.zones[0];
    this.latencyMs = options.latencyMs;
    this.limiter = new RateLimiter(options.rateLimit);
    this.log = new RequestLog(options.requestLogLimit);
    this.knownScopes = new Set([
      ...options.accounts.map((accountId) => scopePath({ accountId })),
      ...options.zones.map((zoneId) => scopePath({ zoneId })),
    ]);
    this.dns = new DnsZones(options.zoneNames, options.dnsMirror);
    this.service = new CsrService(new CsrStore(), new CsrFactory(options.keyPoolSize), this.accountId);
    this.faults.setRandom(options.randomFaults);
    this.server = createServer(
      createRequestListener({
        service: this.service,
        credentials: new CredentialSet(options.tokens, options.apiKeys, options.forbiddenTokens),
        isKnownScope: (scope) => this.knownScopes.has(scopePath(scope)),
        dns: this.dns,
        certificates: this.certificates,
        csrAccess: (scope) => this.csrRestrictions.get(scopePath(scope)),
        limiter: this.limiter,
        faults: this.faults,
        record: (request) => this.log.push(request),
        settled: (request) => this.settled(request),
        maxBodyBytes: options.maxBodyBytes,
        latencyMs: () => this.latencyMs,
        delay: (ms) => this.delay(ms),
      }),
    );
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    const host = this.options.host.includes(":") ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.port}${BASE_PATH}`;
  }

  get requests(): readonly RecordedRequest[] {
    return this.log.snapshot();
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
  }

  async seed(seeds: readonly SeedCsr[]): Promise<void> {
    const requests = seeds.map((seed): CreateRequest => {
      const { scope, id, ...fields } = seed;
      return { scope: this.scopeRef(scope), id, input: validInput({ ...SEED_DEFAULTS, ...fields }) };
    });
    await this.service.createMany(requests);
  }

  async createCsr(scope: CsrScope, input: CreateCsrInput): Promise<ApiCustomCsr> {
    return this.service.create({ scope: this.scopeRef(scope), input: validInput(input) });
  }

  async seedMany(scope: CsrScope, inputs: CreateCsrInput[]): Promise<ApiCustomCsr[]> {
    const ref = this.scopeRef(scope);
    return this.service.createMany(inputs.map((input) => ({ scope: ref, input: validInput(input) })));
  }

  getCsr(scope: CsrScope, id: string): ApiCustomCsr | undefined {
    return this.service.get(this.scopeRef(scope), id);
  }

  listCsrs(scope: CsrScope): ApiCustomCsr[] {
    return this.service.list(this.scopeRef(scope));
  }

  deleteCsr(scope: CsrScope, id: string): boolean {
    return this.service.delete(this.scopeRef(scope), id);
  }

  updateCsr(scope: CsrScope, id: string, changes: CsrFieldChanges): ApiCustomCsr {
    return this.service.update(this.scopeRef(scope), id, changes);
  }

  async regenerateCsr(scope: CsrScope, id: string, changes?: RegenerateCsrChanges): Promise<ApiCustomCsr> {
    return this.service.regenerate(this.scopeRef(scope), id, changes);
  }

  injectFault(fault: Fault, options?: FaultOptions): void {
    this.faults.add(fault, options);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  restrictCsrAccess(scope: CsrScope, restriction: CsrAccessRestriction | undefined): void {
    if (restriction === undefined) this.csrRestrictions.delete(scopePath(scope));
    else this.csrRestrictions.set(scopePath(scope), restriction);
  }

  addCertificate(zoneId: string, certificate: EmulatedCertificate): EmulatedCertificate {
    this.assertKnownZone(zoneId);
    return this.certificates.add(zoneId, certificate);
  }

  updateCertificate(zoneId: string, id: string, changes: Record<string, unknown>): EmulatedCertificate {
    const updated = this.certificates.update(zoneId, id, changes);
    if (updated === undefined) throw new EmulatorOptionError(`no certificate ${id} in zone ${zoneId}`);
    return updated;
  }

  removeCertificate(zoneId: string, id: string): boolean {
    return this.certificates.remove(zoneId, id);
  }

  listCertificates(zoneId: string): EmulatedCertificate[] {
    return this.certificates.list(zoneId);
  }

  private assertKnownZone(zoneId: string): void {
    if (!this.knownScopes.has(scopePath({ zoneId })))
      throw new EmulatorOptionError(`the emulator knows no zone ${zoneId}`);
  }

  listDnsRecords(zoneId: string): ApiDnsRecord[] {
    return this.dns.list(zoneId);
  }

  setDnsPropagationDelay(ms: number): void {
    assertLatency(ms);
    this.dns.setPropagationDelay(ms);
  }

  setRandomFaults(policy?: RandomFaults): void {
    this.faults.setRandom(policy === undefined ? undefined : assertRandomFaults(policy));
  }

  setLatency(ms: number): void {
    assertLatency(ms);
    this.latencyMs = ms;
  }

  setRateLimit(limit?: RateLimitPolicy): void {
    const policy = limit ?? DEFAULT_RATE_LIMIT;
    assertRateLimit(policy);
    this.limiter.reset({ ...policy });
  }

  clearRequests(): void {
    this.log.clear();
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise((resolve) => {
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      this.dns.stop();
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      // Hanging requests and idle keep-alive sockets would otherwise hold close() open.
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  /** Hands a finished request to `onRequest`, whose failure must not reach the server. */
  private settled(request: RecordedRequest): void {
    try {
      this.options.onRequest?.(copyRequest(request));
    } catch {
      // A logger that throws loses its line, not the emulator.
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /**
   * Checks a programmatic scope, which JavaScript callers may get wrong whatever the type says: exactly one of
   * accountId / zoneId, and one the emulator knows. Returns it in its canonical shape.
   */
  private scopeRef(scope: CsrScope): CsrScope {
    const { accountId, zoneId } = scope;
    if ((accountId === undefined) === (zoneId === undefined)) {
      throw new EmulatorOptionError("a custom CSR scope needs exactly one of accountId and zoneId");
    }
    const ref: CsrScope = accountId !== undefined ? { accountId } : { zoneId: zoneId as string };
    if (!this.knownScopes.has(scopePath(ref))) {
      throw new EmulatorOptionError(`the emulator does not know ${scopePath(ref)}`);
    }
    return ref;
  }
}

/** Validates like `POST` does, throwing the errors the HTTP response would carry. */
function validInput(input: unknown): ValidCreateInput {
  const validation = validateCreateInput(input);
  if (!validation.ok) throw new EmulatorInputError(validation.problems);
  return validation.value;
}
