import { Errors } from "./codes";
import type { ApiEnvelope, ApiMessage, ApiResultInfo } from "./wire";

/** A response before it is written: the HTTP status and the envelope. */
export interface ApiResponse {
  status: number;
  body: ApiEnvelope<unknown>;
}

/** A successful envelope; `result_info` only for lists. */
export function success(status: number, result: unknown, resultInfo?: ApiResultInfo): ApiResponse {
  const body: ApiEnvelope<unknown> = { success: true, errors: [], messages: [], result };
  if (resultInfo !== undefined) body.result_info = resultInfo;
  return { status, body };
}

/** A failed envelope with `result: null`, as Cloudflare sends it. */
export function failure(status: number, errors: ApiMessage[]): ApiResponse {
  return { status, body: { success: false, errors, messages: [], result: null } };
}

/** A request body parsed as JSON, or the 400 / 1400 answer Cloudflare gives a body that does not parse. */
export function jsonBody(body: string): { ok: true; value: unknown } | { ok: false; response: ApiResponse } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, response: failure(400, [Errors.invalidJson()]) };
  }
}
