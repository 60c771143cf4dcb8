import { CUSTOM_CSR_ID } from "./wire";
import type { CsrScope } from "./wire";
import type { CredentialSet } from "./auth";
import type { CertificateStore } from "./certificates";
import type { DnsZones } from "./dns";
import { Errors } from "./codes";
import { isCloudflareId } from "./defaults";
import { failure, jsonBody, success, type ApiResponse } from "./envelope";
import { LIST_DEFAULTS, paginate, parseListQuery } from "./list-query";
import type { CsrService } from "./service";
import { validateCreateInput } from "./validation";
import type { ApiRequest } from "./wire";
import type { CsrAccessRestriction } from "./types";

export type { ApiRequest } from "./wire";

/** The path prefix of Cloudflare's v4 API. */
export const BASE_PATH = "/client/v4";

/** What the routes need from the emulator. */
export interface RouteContext {
  service: CsrService;
  credentials: CredentialSet;
  /** Whether the credential may use this account or zone (the emulator's known ids). */
  isKnownScope(scope: CsrScope): boolean;
  /** The zones' names and DNS records (`/zones/{id}`, `/zones/{id}/dns_records`). */
  dns: DnsZones;
  /** The zones' custom certificates and custom hostnames. */
  certificates: CertificateStore;
  /** Why an account or zone may not use custom CSRs (1403 or 1404), if it may not. */
  csrAccess(scope: CsrScope): CsrAccessRestriction | undefined;
}

/** Where a request points: an account's or zone's collection, or one CSR in it (its id as sent, still encoded). */
export type Route = { scope: CsrScope; target: { kind: "collection" } | { kind: "item"; rawId: string } };

const METHODS = { collection: ["GET", "POST"], item: ["GET", "DELETE"] } as const;

/**
 * Answers one API request. Checks run in the order Cloudflare's layers apply them: the gateway's routing (7000/7003,
 * then 7001), authentication (6003, 401/10000, 403/10000), access to the account or zone (403/10000), then the custom
 * CSR service (1418, 1419, create validation).
 */
export async function handleApiRequest(context: RouteContext, request: ApiRequest): Promise<ApiResponse> {
  const zone = zoneRoute(request.path);
  if (zone !== undefined) {
    const refused = authorize(context, request, { zoneId: zone.zoneId });
    if (refused !== undefined) return refused;
    const [resource, ...rest] = zone.rest;
    if ((resource === "custom_certificates" || resource === "custom_hostnames") && rest.length === 0) {
      return context.certificates.handle(zone.zoneId, resource, request);
    }
    return context.dns.handle(zone.zoneId, zone.rest, request);
  }
  const matched = matchRoute(request.path);
  if ("status" in matched) return matched;
  const { scope, target } = matched;
  if (!(METHODS[target.kind] as readonly string[]).includes(request.method)) {
    return failure(405, [Errors.methodNotAllowed(request.method)]);
  }

  const refused = authorize(context, request, scope);
  if (refused !== undefined) return refused;
  const restriction = context.csrAccess(scope);
  if (restriction !== undefined) {
    return failure(403, [restriction === "no-quota" ? Errors.noQuota() : Errors.accessNotGranted()]);
  }

  if (target.kind === "collection") {
    return request.method === "GET" ? list(context, scope, request.query) : create(context, scope, request.body);
  }
  const id = decode(target.rawId);
  if (id === undefined || !CUSTOM_CSR_ID.test(id)) return failure(400, [Errors.invalidCsrId()]);
  if (request.method === "GET") {
    const csr = context.service.get(scope, id);
    return csr === undefined ? failure(404, [Errors.csrNotFound()]) : success(200, csr);
  }
  if (context.service.get(scope, id) === undefined) return failure(404, [Errors.csrNotFound()]);
  if (context.certificates.hasActiveFor(id)) return failure(409, [Errors.csrInUse()]);
  context.service.delete(scope, id);
  return success(200, { id });
}

/** Authentication (6003, 401/10000, 403/10000), then access to the account or zone (403/10000). */
function authorize(context: RouteContext, request: ApiRequest, scope: CsrScope): ApiResponse | undefined {
  const auth = context.credentials.authenticate(request.headers);
  if (auth.kind === "malformed") return failure(400, [auth.error]);
  if (auth.kind === "missing") return failure(400, [Errors.authorizationMissing()]);
  if (auth.kind === "unauthenticated") return failure(401, [Errors.authentication()]);
  if (auth.kind === "forbidden" || !context.isKnownScope(scope)) return failure(403, [Errors.authentication()]);
  return undefined;
}

/** A `/zones/{id}` or `/zones/{id}/dns_records[/{record id}]` path: the zone and what follows it. */
function zoneRoute(path: string): { zoneId: string; rest: string[] } | undefined {
  if (!path.startsWith(`${BASE_PATH}/zones/`)) return undefined;
  const [zoneId, ...rest] = path.slice(`${BASE_PATH}/zones/`.length).split("/");
  if (rest.length > 0 && rest[rest.length - 1] === "") rest.pop();
  const served = ["dns_records", "custom_certificates", "custom_hostnames"];
  if (!isCloudflareId(zoneId) || (rest.length > 0 && !served.includes(rest[0]))) return undefined;
  return { zoneId, rest };
}

/** Maps a path under `prefix` to a route, or to the gateway's answer when nothing routes. */
export function matchRoute(path: string, prefix = BASE_PATH): Route | ApiResponse {
  if (!path.startsWith(`${prefix}/`)) return failure(400, [Errors.noRoute()]);
  const relative = path.slice(prefix.length);
  const segments = relative.slice(1).split("/");
  if (segments.length > 1 && segments[segments.length - 1] === "") segments.pop();
  const [kind, id, resource, rawId, ...rest] = segments;
  if ((kind !== "accounts" && kind !== "zones") || id === undefined) return failure(400, [Errors.noRoute()]);
  if (kind === "zones" && id === "" && resource === "custom_csrs") return failure(400, [Errors.zoneIdRequired()]);
  // The gateway routes on the identifier's shape before any service sees the request.
  if (!isCloudflareId(id)) return failure(400, [Errors.couldNotRoute(relative), Errors.noRoute()]);
  if (resource !== "custom_csrs" || rest.length > 0) return failure(400, [Errors.noRoute()]);
  const scope: CsrScope = kind === "accounts" ? { accountId: id } : { zoneId: id };
  return { scope, target: rawId === undefined ? { kind: "collection" } : { kind: "item", rawId } };
}

function list(context: RouteContext, scope: CsrScope, query: Record<string, string>): ApiResponse {
  const parsed = parseListQuery(query, scope);
  if (!parsed.ok) return failure(400, parsed.problems);
  const { page, perPage } = parsed.value;
  // Cloudflare's schema gives `order` and `direction` on an account's list only; a zone's is oldest first.
  const { order, direction } = scope.accountId !== undefined ? parsed.value : LIST_DEFAULTS;
  const { items, info } = paginate(context.service.list(scope, order, direction), page, perPage);
  return success(200, items, info);
}

async function create(context: RouteContext, scope: CsrScope, body: string): Promise<ApiResponse> {
  const parsed = jsonBody(body);
  if (!parsed.ok) return parsed.response;
  const validation = validateCreateInput(parsed.value);
  if (!validation.ok) return failure(400, validation.problems);
  return success(201, await context.service.create({ scope, input: validation.value }));
}

/** A path segment decoded, or `undefined` when its percent-encoding is broken. */
export function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
