import { randomUUID } from "node:crypto";
import type { ApiDnsRecord } from "./wire";
import { Errors } from "./codes";
import { failure, jsonBody, success, type ApiResponse } from "./envelope";
import type { ApiRequest } from "./wire";

/**
 * The zones the emulator knows, with their names, and their DNS records: what an ACME DNS-01 order needs
 * (`GET /zones/{id}`, `GET|POST /zones/{id}/dns_records`, `DELETE /zones/{id}/dns_records/{record id}`). Only TXT
 * records are accepted, as nothing else in this package writes records.
 *
 * With a `mirror` (the management URL of Let's Encrypt's `pebble-challtestsrv`), TXT record changes are copied
 * into that DNS server (`/set-txt`, `/clear-txt`, see `mirrorName`), after `delayMs`, so that a real ACME CA (Pebble) resolving
 * `_acme-challenge` names sees what the API holds, as it would after Cloudflare's DNS propagated.
 */
export class DnsZones {
  private readonly records = new Map<string, ApiDnsRecord[]>();
  private mirrorDelayMs: number;
  /** Mirror updates run one at a time, in order. */
  private mirrorQueue: Promise<void> = Promise.resolve();
  /** Delayed mirror updates not run yet; {@link DnsZones.stop} cancels them. */
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly names: ReadonlyMap<string, string>,
    private readonly mirror?: { readonly url: string; readonly delayMs?: number },
  ) {
    this.mirrorDelayMs = mirror?.delayMs ?? 0;
  }

  /** The zone's name, or `undefined` for an unknown zone. */
  nameOf(zoneId: string): string | undefined {
    return this.names.get(zoneId);
  }

  /** Copies of a zone's records. */
  list(zoneId: string): ApiDnsRecord[] {
    return (this.records.get(zoneId) ?? []).map((record) => ({ ...record }));
  }

  /** Cancels the delayed mirror updates (the emulator is stopping). */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Delays every later change reaching the mirror by `ms`, as DNS propagation would. */
  setPropagationDelay(ms: number): void {
    this.mirrorDelayMs = ms;
  }

  /** Answers a zone or DNS-records request for a known zone (routing and authentication already done). */
  async handle(zoneId: string, rest: readonly string[], request: ApiRequest): Promise<ApiResponse> {
    const name = this.names.get(zoneId) as string;
    if (rest.length === 0) {
      if (request.method !== "GET") return failure(405, [Errors.methodNotAllowed(request.method)]);
      return success(200, { id: zoneId, name, status: "active" });
    }
    if (rest[0] !== "dns_records" || rest.length > 2) return failure(400, [Errors.noRoute()]);
    if (rest.length === 1) {
      if (request.method === "GET") return success(200, this.query(zoneId, request.query));
      if (request.method === "POST") return this.create(zoneId, name, request.body);
      return failure(405, [Errors.methodNotAllowed(request.method)]);
    }
    if (request.method !== "DELETE") return failure(405, [Errors.methodNotAllowed(request.method)]);
    return this.delete(zoneId, rest[1]);
  }

  private query(zoneId: string, query: Record<string, string>): ApiDnsRecord[] {
    return this.list(zoneId).filter(
      (record) =>
        (query.type === undefined || record.type === query.type) &&
        (query.name === undefined || record.name === query.name.toLowerCase()),
    );
  }

  private async create(zoneId: string, zoneName: string, body: string): Promise<ApiResponse> {
    const parsed = jsonBody(body);
    if (!parsed.ok) return parsed.response;
    const input = parsed.value;
    const fields = input as Record<string, unknown>;
    if (typeof input !== "object" || input === null || fields.type !== "TXT") {
      return failure(400, [Errors.dnsRecord("only TXT records are supported by the emulator")]);
    }
    const { name, content } = fields;
    if (typeof name !== "string" || typeof content !== "string" || content === "" || content.length > 2048) {
      return failure(400, [Errors.dnsRecord("a TXT record needs a name and 1 to 2048 characters of content")]);
    }
    const full = name.toLowerCase().replace(/\.$/, "");
    if (full !== zoneName && !full.endsWith(`.${zoneName}`)) {
      return failure(400, [Errors.dnsRecord(`the record name ${JSON.stringify(name)} is not in zone ${zoneName}`)]);
    }
    const record: ApiDnsRecord = { id: randomUUID().replace(/-/g, ""), type: "TXT", name: full, content };
    this.records.set(zoneId, [...(this.records.get(zoneId) ?? []), record]);
    await this.mirrorName(zoneId, full, content);
    return success(200, { ...record, ttl: typeof fields.ttl === "number" ? fields.ttl : 1, zone_id: zoneId });
  }

  private async delete(zoneId: string, recordId: string): Promise<ApiResponse> {
    const records = this.records.get(zoneId) ?? [];
    const record = records.find((candidate) => candidate.id === recordId);
    if (record === undefined) return failure(404, [Errors.dnsRecordNotFound()]);
    this.records.set(
      zoneId,
      records.filter((candidate) => candidate !== record),
    );
    await this.mirrorName(zoneId, record.name);
    return success(200, { id: recordId });
  }

  /**
   * Copies a change of `name` to the mirror, after the delay: a new value is added; the name is cleared once it has
   * no value left. A deleted value is not removed while others remain (the mirror has no call for one value, and
   * clearing then re-adding would leave a moment with none, failing a validation that happens to look then); a
   * stale extra value never fails a DNS-01 check.
   */
  private async mirrorName(zoneId: string, name: string, added?: string): Promise<void> {
    if (this.mirror === undefined) return;
    const url = this.mirror.url;
    const post = (path: string, payload: object) =>
      fetch(`${url}${path}`, { method: "POST", body: JSON.stringify(payload) }).then((response) => {
        if (!response.ok) throw new Error(`pebble-challtestsrv ${path} answered ${response.status}`);
      });
    const apply = () => {
      const done = this.mirrorQueue.then(async () => {
        const left = (this.records.get(zoneId) ?? []).some((record) => record.name === name);
        if (added !== undefined) await post("/set-txt", { host: `${name}.`, value: added });
        else if (!left) await post("/clear-txt", { host: `${name}.` });
      });
      this.mirrorQueue = done.catch(() => undefined);
      return done;
    };
    if (this.mirrorDelayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void apply().catch(() => undefined);
      }, this.mirrorDelayMs);
      this.timers.add(timer);
    } else await apply();
  }
}
