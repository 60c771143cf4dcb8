/**
 * The CustomCsrCertificate provider: orders a certificate for a custom CSR from an ACME CA (`orderCertificate`) and
 * renews it declaratively. Loaded in the provider process only, like the CustomCsr provider, by a one-line
 * serialized provider; credentials are read there, at call time, from the stack config `configure` received.
 *
 * - `check` validates the inputs and fills in `renewBeforeDays` (30).
 * - `diff` replaces when the CSR's key changes (a certificate for the old key is useless), updates when an input
 *   of the order changes (the CSR, zone, CA, contact, EAB, aliases) or when fewer than `renewBeforeDays` days remain
 *   before `notAfter` (so `preview` shows the renewal and `up` performs it), and reports nothing otherwise: a new
 *   `renewBeforeDays`, resolver list or credentials namespace alone never re-orders. A renewal that is due also
 *   shows in `pulumi refresh` (the certificate needs an `up`).
 * - `create` and `update` order (an update reuses the ACME account, so valid authorizations are reused too).
 * - `read` (refresh) keeps the stored certificate: there is nothing remote to re-read, and a refresh must never
 *   drop a valid certificate.
 * - There is no `delete`: destroying forgets the certificate (ACME certificates expire by themselves).
 */
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { orderCertificateWith, type OrderCertificateArgs, type OrderedCertificate } from "../acme/order";
import { decodeCsrPem } from "../csr/decode";
import { CLOUDFLARE_ID_PATTERN } from "../cloudflare/ids";
import { findConfigNamespaceProblem } from "../lookup/connection-settings";
import type { LookupOptions } from "../public-types";
import { currentStackConfig, keepStackConfig, UNKNOWN, withoutStackTrace } from "./process";

type Inputs = Record<string, unknown>;
type Outputs = Record<string, unknown>;

/** Default days before `notAfter` at which a renewal is due. */
export const DEFAULT_RENEW_BEFORE_DAYS = 30;
const DAY_MS = 86_400_000;
/** Every input, as stored. */
const ORDER_INPUTS = [
  "csrPem",
  "zoneId",
  "directoryUrl",
  "email",
  "externalAccountBinding",
  "renewBeforeDays",
  "configNamespace",
  "dnsResolvers",
  "propagationTimeoutMs",
  "challengeAliases",
] as const;
/** Inputs whose change re-orders (an update); a change of the CSR's key replaces instead. */
const REORDER_INPUTS = ["csrPem", "zoneId", "directoryUrl", "email", "externalAccountBinding", "challengeAliases"];

/** Keeps the stack config for this process (shared with the CustomCsr provider). */
async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  keepStackConfig(req);
}

/** Checks the inputs the provider can check without a request; fills in `renewBeforeDays`. */
async function check(_olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult> {
  const inputs: Inputs = { renewBeforeDays: DEFAULT_RENEW_BEFORE_DAYS };
  for (const field of ORDER_INPUTS) if (news[field] !== undefined && news[field] !== null) inputs[field] = news[field];
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const known = (field: string) => inputs[field] !== undefined && inputs[field] !== UNKNOWN;
  if (known("zoneId") && !(typeof inputs.zoneId === "string" && CLOUDFLARE_ID_PATTERN.test(inputs.zoneId))) {
    failures.push({ property: "zoneId", reason: "must be a Cloudflare zone id (32 hex characters)" });
  }
  if (inputs.zoneId === undefined) failures.push({ property: "zoneId", reason: "is required" });
  if (inputs.csrPem === undefined) failures.push({ property: "csrPem", reason: "give csrPem or customCsr" });
  if (known("directoryUrl") && !String(inputs.directoryUrl).startsWith("https://")) {
    failures.push({ property: "directoryUrl", reason: "must be an https:// URL (RFC 8555, 6.1)" });
  }
  const days = inputs.renewBeforeDays;
  if (days !== UNKNOWN && !(typeof days === "number" && Number.isFinite(days) && days >= 0 && days <= 3650)) {
    failures.push({ property: "renewBeforeDays", reason: "must be a number of days from 0 to 3650" });
  }
  const namespace = inputs.configNamespace;
  const namespaceProblem = namespace === UNKNOWN ? undefined : findConfigNamespaceProblem(namespace);
  if (namespaceProblem !== undefined)
    failures.push({ property: namespaceProblem.field, reason: namespaceProblem.reason });
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

/** See the module comment. */
async function diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
  const keyOfNews = csrKey(news.csrPem);
  const replaces = keyOfNews !== undefined && keyOfNews !== olds.publicKeySha256 ? ["csrPem"] : [];
  const changed = REORDER_INPUTS.filter((field) => JSON.stringify(olds[field]) !== JSON.stringify(news[field]));
  return { changes: replaces.length > 0 || changed.length > 0 || renewalDue(olds, news), replaces };
}

/** Orders the certificate. */
async function create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
  const ordered = await order(inputs);
  return { id: fingerprint(ordered.certificatePem), outs: outputsOf(inputs, ordered) };
}

/** Re-orders (a renewal or a changed input), reusing the ACME account when the CA is the same. */
async function update(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> {
  const sameCa = olds.directoryUrl === news.directoryUrl && typeof olds.accountKeyPem === "string";
  const ordered = await order(news, sameCa ? (olds.accountKeyPem as string) : undefined);
  return { outs: outputsOf(news, ordered) };
}

/** Keeps what is stored: the certificate lives in state, not in Cloudflare or at the CA. */
async function read(id: string, props: Outputs = {}): Promise<pulumi.dynamic.ReadResult> {
  return { id, props };
}

/** The CSR's key fingerprint, or `undefined` when the PEM is not known yet (a preview) or does not parse. */
function csrKey(pem: unknown): string | undefined {
  if (typeof pem !== "string" || pem === UNKNOWN) return undefined;
  try {
    return decodeCsrPem(pem).publicKeySha256;
  } catch {
    return undefined;
  }
}

/** Fewer than `renewBeforeDays` days remain before the stored certificate's `notAfter`. */
function renewalDue(olds: Outputs, news: Inputs): boolean {
  const notAfter = Date.parse(String(olds.notAfter));
  const days = typeof news.renewBeforeDays === "number" ? news.renewBeforeDays : DEFAULT_RENEW_BEFORE_DAYS;
  return Number.isFinite(notAfter) && notAfter - Date.now() < days * DAY_MS;
}

async function order(inputs: Inputs, accountKeyPem?: string): Promise<OrderedCertificate> {
  const args: OrderCertificateArgs = {
    csrPem: inputs.csrPem as string,
    zoneId: inputs.zoneId as string,
    directoryUrl: inputs.directoryUrl as string,
    ...(typeof inputs.email === "string" ? { email: inputs.email } : {}),
    ...(isBinding(inputs.externalAccountBinding) ? { externalAccountBinding: inputs.externalAccountBinding } : {}),
    ...(accountKeyPem !== undefined ? { accountKeyPem } : {}),
    ...(isAliasMap(inputs.challengeAliases) ? { challengeAliases: inputs.challengeAliases } : {}),
  };
  const options = {
    ...(typeof inputs.configNamespace === "string" ? { configNamespace: inputs.configNamespace } : {}),
    ...(Array.isArray(inputs.dnsResolvers) ? { dnsResolvers: inputs.dnsResolvers as string[] } : {}),
    ...(typeof inputs.propagationTimeoutMs === "number" ? { propagationTimeoutMs: inputs.propagationTimeoutMs } : {}),
  } satisfies LookupOptions & { dnsResolvers?: string[]; propagationTimeoutMs?: number };
  try {
    return await orderCertificateWith(args, options, currentStackConfig());
  } catch (error) {
    throw withoutStackTrace(error);
  }
}

function isAliasMap(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string");
}

function isBinding(value: unknown): value is { kid: string; hmacKey: string } {
  const binding = value as { kid?: unknown; hmacKey?: unknown } | undefined;
  return typeof binding?.kid === "string" && typeof binding.hmacKey === "string";
}

/** The outputs: the inputs as given (no `undefined`), and every field of the order's result. */
function outputsOf(inputs: Inputs, ordered: OrderedCertificate): Outputs {
  const outs: Outputs = {};
  for (const field of ORDER_INPUTS) if (inputs[field] !== undefined) outs[field] = inputs[field];
  return { ...outs, ...ordered };
}

/** The leaf's SHA-256 fingerprint: the resource id. */
function fingerprint(pem: string): string {
  const body = pem.replace(/-----[^-]+-----|\s/g, "");
  return createHash("sha256").update(Buffer.from(body, "base64")).digest("hex");
}

/** The provider the serialized `__provider` of every CustomCsrCertificate hands to Pulumi. */
export const certificateProvider = {
  configure,
  check,
  diff,
  create,
  read,
  update,
} satisfies pulumi.dynamic.ResourceProvider;
