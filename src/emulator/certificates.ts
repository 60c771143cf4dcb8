import { randomUUID } from "node:crypto";
import { Errors } from "./codes";
import { failure, success, type ApiResponse } from "./envelope";
import { paginate } from "./list-query";
import type { EmulatedCertificate } from "./types";
import type { ApiRequest } from "./wire";

/**
 * The certificates that serve a zone's hostnames, as Cloudflare ties them to custom CSRs: custom certificates
 * (`GET /zones/{zone_id}/custom_certificates`: `id`, `hosts`, `issuer`, `status`, `expires_on`, `custom_csr_id`) and
 * custom hostnames (`GET /zones/{zone_id}/custom_hostnames`: `id`, `hostname`, `ssl` with the same fields). Both are
 * read-only over the API here; the test's hand adds, expires and detaches them (`addCertificate`, `updateCertificate`,
 * `removeCertificate`, and the admin endpoints under `/__emulator/zones/{zone_id}/certificates`).
 */

const LIST_PER_PAGE = { default: 20, max: 50 };

/** See the file comment. */
export class CertificateStore {
  private readonly byZone = new Map<string, Map<string, EmulatedCertificate>>();

  /** Whether an active certificate of any zone was uploaded for this custom CSR (Cloudflare then refuses its delete). */
  hasActiveFor(customCsrId: string): boolean {
    for (const zone of this.byZone.values()) {
      for (const certificate of zone.values()) {
        if (certificate.custom_csr_id === customCsrId && certificate.status === "active") return true;
      }
    }
    return false;
  }

  /** Stores a certificate of a zone; returns it with its id. */
  add(zoneId: string, certificate: EmulatedCertificate): EmulatedCertificate {
    const stored = { status: "active", ...structuredClone(certificate), id: certificate.id ?? randomUUID() };
    const zone = this.byZone.get(zoneId) ?? new Map<string, EmulatedCertificate>();
    zone.set(stored.id, stored);
    this.byZone.set(zoneId, zone);
    return structuredClone(stored);
  }

  /** Changes fields in place (`null` removes one, e.g. `custom_csr_id` to detach); `undefined` for an unknown id. */
  update(zoneId: string, id: string, changes: Record<string, unknown>): EmulatedCertificate | undefined {
    const stored = this.byZone.get(zoneId)?.get(id);
    if (stored === undefined) return undefined;
    for (const [field, value] of Object.entries(changes)) {
      if (field === "id" || field === "kind") continue;
      if (value === null) delete (stored as unknown as Record<string, unknown>)[field];
      else (stored as unknown as Record<string, unknown>)[field] = structuredClone(value);
    }
    return structuredClone(stored);
  }

  /** Removes a certificate; `false` when it did not exist. */
  remove(zoneId: string, id: string): boolean {
    return this.byZone.get(zoneId)?.delete(id) ?? false;
  }

  /** Copies of a zone's certificates of one kind, in the order they were added. */
  list(zoneId: string, kind?: EmulatedCertificate["kind"]): EmulatedCertificate[] {
    const all = [...(this.byZone.get(zoneId)?.values() ?? [])].map((certificate) => structuredClone(certificate));
    return kind === undefined ? all : all.filter((certificate) => certificate.kind === kind);
  }

  /** Answers `GET /zones/{id}/custom_certificates` and `GET /zones/{id}/custom_hostnames` (auth already checked). */
  handle(zoneId: string, resource: "custom_certificates" | "custom_hostnames", request: ApiRequest): ApiResponse {
    if (request.method !== "GET") return failure(405, [Errors.methodNotAllowed(request.method)]);
    const page = Number(request.query.page ?? "1");
    const perPage = Number(request.query.per_page ?? String(LIST_PER_PAGE.default));
    if (!(
      Number.isInteger(page) &&
      page >= 1 &&
      Number.isInteger(perPage) &&
      perPage >= 5 &&
      perPage <= LIST_PER_PAGE.max
    )) {
      return failure(400, [Errors.invalidListParameter("page/per_page", "page >= 1, per_page 5..50")]);
    }
    const kind = resource === "custom_certificates" ? "custom_ssl" : "custom_hostname";
    const wire = this.list(zoneId, kind).map((certificate) => toWire(zoneId, certificate));
    const { items, info } = paginate(wire, page, perPage);
    return success(200, items, info);
  }

  /** The admin endpoints: `POST .../certificates`, `PATCH|DELETE .../certificates/{id}` (the test's hand). */
  admin(zoneId: string, id: string | undefined, request: ApiRequest): ApiResponse {
    let body: Record<string, unknown> = {};
    if (request.body.trim() !== "") {
      try {
        body = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        return failure(400, [Errors.invalidJson()]);
      }
    }
    if (id === undefined) {
      if (request.method !== "POST") return failure(405, [Errors.methodNotAllowed(request.method)]);
      const kind = body.kind === "custom_hostname" ? "custom_hostname" : "custom_ssl";
      const hosts = Array.isArray(body.hosts) ? body.hosts.filter((h): h is string => typeof h === "string") : [];
      return success(200, this.add(zoneId, { ...(body as object), kind, hosts } as EmulatedCertificate));
    }
    if (request.method === "DELETE") {
      return this.remove(zoneId, id) ? success(200, { id }) : failure(404, [Errors.certificateNotFound()]);
    }
    if (request.method !== "PATCH") return failure(405, [Errors.methodNotAllowed(request.method)]);
    const updated = this.update(zoneId, id, body);
    return updated === undefined ? failure(404, [Errors.certificateNotFound()]) : success(200, updated);
  }
}

/** The API's shape of each kind. */
function toWire(zoneId: string, certificate: EmulatedCertificate): Record<string, unknown> {
  const facts = {
    ...(certificate.issuer !== undefined ? { issuer: certificate.issuer } : {}),
    ...(certificate.status !== undefined ? { status: certificate.status } : {}),
    ...(certificate.expires_on !== undefined ? { expires_on: certificate.expires_on } : {}),
    ...(certificate.custom_csr_id !== undefined ? { custom_csr_id: certificate.custom_csr_id } : {}),
  };
  if (certificate.kind === "custom_ssl") {
    return { id: certificate.id, zone_id: zoneId, hosts: certificate.hosts, ...facts };
  }
  return {
    id: certificate.id,
    hostname: certificate.hosts[0] ?? "",
    status: "active",
    ssl: { id: certificate.id, ...facts },
  };
}
