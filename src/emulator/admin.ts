import { CUSTOM_CSR_ID } from "./wire";
import type { CsrScope } from "./wire";
import { Errors } from "./codes";
import { failure, success, type ApiResponse } from "./envelope";
import { EmulatorInputError } from "./errors";
import { decode, matchRoute, type ApiRequest, type RouteContext } from "./routes";
import type { CsrFieldChanges, RegenerateCsrChanges } from "./types";

/** The path prefix of the emulator's own endpoints, outside Cloudflare's `/client/v4`. */
export const ADMIN_PATH = "/__emulator";

const REGENERATE = "/regenerate";
const ACTIONS: Readonly<Record<string, "update" | "delete">> = { PATCH: "update", DELETE: "delete" };

/**
 * The emulator's admin endpoints, over HTTP so that a shell or another process can rehearse drift against a
 * running `custom-csr emulator` (the programmatic `updateCsr`, `regenerateCsr` and `deleteCsr`, one each):
 *
 * - `PATCH  /__emulator/{accounts|zones}/<id>/custom_csrs/<csr id>` with a JSON object of API fields: stores them
 *   as given without re-signing (`null` removes a field), so the PEM may then disagree with the fields;
 * - `POST   /__emulator/{accounts|zones}/<id>/custom_csrs/<csr id>/regenerate` with an optional JSON object of
 *   create fields: a new key and PEM, fields and PEM agreeing (validated like a create, 400 with its codes);
 * - `DELETE /__emulator/{accounts|zones}/<id>/custom_csrs/<csr id>`: the CSR is gone, as a Cloudflare-side delete.
 *
 * They take the same credentials as the API and answer in the same envelope (404 / 1419 for an unknown CSR). They
 * are never rate limited, delayed or given faults: they are the test's hand, not the system under test.
 */
export async function handleAdminRequest(context: RouteContext, request: ApiRequest): Promise<ApiResponse> {
  const regenerate = request.path.endsWith(REGENERATE);
  const matched = matchRoute(regenerate ? request.path.slice(0, -REGENERATE.length) : request.path, ADMIN_PATH);
  if ("status" in matched) return matched;
  if (matched.target.kind !== "item") return failure(400, [Errors.noRoute()]);
  const action = regenerate ? (request.method === "POST" ? "regenerate" : undefined) : ACTIONS[request.method];
  if (action === undefined) return failure(405, [Errors.methodNotAllowed(request.method)]);

  const auth = context.credentials.authenticate(request.headers);
  if (auth.kind === "malformed") return failure(400, [auth.error]);
  if (auth.kind === "missing") return failure(400, [Errors.authorizationMissing()]);
  if (auth.kind !== "granted") return failure(auth.kind === "unauthenticated" ? 401 : 403, [Errors.authentication()]);
  const { scope } = matched;
  if (!context.isKnownScope(scope)) return failure(403, [Errors.authentication()]);
  const id = decode(matched.target.rawId);
  if (id === undefined || !CUSTOM_CSR_ID.test(id)) return failure(400, [Errors.invalidCsrId()]);
  if (context.service.get(scope, id) === undefined) return failure(404, [Errors.csrNotFound()]);

  if (action === "delete") {
    context.service.delete(scope, id);
    return success(200, { id });
  }
  const body = parseObject(request.body, action === "regenerate");
  if (body === undefined) return failure(400, [Errors.invalidJson()]);
  return action === "update" ? success(200, update(context, scope, id, body)) : regenerateCsr(context, scope, id, body);
}

/** Fields to write: `null` removes one (JSON has no `undefined`); `id` is never rewritten. */
function update(context: RouteContext, scope: CsrScope, id: string, body: Record<string, unknown>) {
  const changes = Object.fromEntries(
    Object.entries(body).map(([field, value]) => [field, value === null ? undefined : value]),
  );
  return context.service.update(scope, id, changes as CsrFieldChanges);
}

async function regenerateCsr(
  context: RouteContext,
  scope: CsrScope,
  id: string,
  body: Record<string, unknown>,
): Promise<ApiResponse> {
  try {
    return success(200, await context.service.regenerate(scope, id, body as RegenerateCsrChanges));
  } catch (error) {
    if (error instanceof EmulatorInputError) return failure(400, error.errors);
    throw error;
  }
}

/** The body as a JSON object; an empty body counts as `{}` where the changes are optional. */
function parseObject(text: string, emptyAllowed: boolean): Record<string, unknown> | undefined {
  if (text.trim() === "" && emptyAllowed) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    const isObject = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
    return isObject ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
