/**
 * What every provider of this package shares in the provider process: the stack config `configure` received (read
 * at call time, never stored in state), the engine's placeholder for unknown values, and how errors are shown.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  AcmeOrderError,
  CertificateMismatchError,
  CloudflareApiError,
  CsrVerificationError,
  InvalidCustomCsrArgsError,
} from "../errors";
import type { ConfigGetter } from "../lookup/connection-settings";

/** The engine's placeholder for a value not known yet (in a preview); `@pulumi/pulumi/runtime/rpc` `unknownValue`. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

let stackConfig: ConfigGetter | undefined;

/** Keeps the stack config (secrets arrive decrypted) for this process; only `cloudflare:*`-style keys are read. */
export function keepStackConfig(req: pulumi.dynamic.ConfigureRequest): void {
  const config = req.config;
  stackConfig = (key) => config.get(key);
}

/** The stack config `configure` received, or nothing (then only the environment holds credentials). */
export function currentStackConfig(): ConfigGetter {
  return stackConfig ?? (() => undefined);
}

/**
 * Pulumi's dynamic provider prints `${error}: ${error.stack}` for a failed `read` (e.g. `CustomCsr.get` of a CSR
 * that does not exist). For the package's own errors the message says everything, and a trace through its
 * modules only reads like a crash, so their stack is cut to a pointer back at the message. Other errors (bugs)
 * keep their trace.
 */
export function withoutStackTrace(error: unknown): unknown {
  const ours =
    error instanceof CloudflareApiError ||
    error instanceof CsrVerificationError ||
    error instanceof InvalidCustomCsrArgsError ||
    error instanceof AcmeOrderError ||
    error instanceof CertificateMismatchError;
  const stack = "(no stack trace: the message says it all)";
  if (ours) Object.defineProperty(error, "stack", { value: stack, writable: true, configurable: true });
  return error;
}
