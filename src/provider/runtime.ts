/**
 * The CustomCsr provider's implementation. It runs only inside the Pulumi provider process, loaded by the
 * one-line serialized provider (`./provider.ts`) through `require("pulumi-cloudflare-custom-csr/provider-runtime")`,
 * so none of this code, its caches or its credentials are ever written into state.
 *
 * Drift. A lookup has no desired state of its own, so the stack's record of the CSR plays that part:
 * - `check` looks the CSR up and puts a digest of what it saw in the input `observed` (`observedRecord`: a
 *   SHA-256 over every API field and the PEM, then 4 hex digits per field, instead of a copy of the fields);
 * - `create` and `update` write the outputs and record the same digest in the output `observed`;
 * - `read` (refresh) refreshes every output field but keeps the recorded `observed`, so the record
 *   changes only with `pulumi up`;
 * - `diff` reports a change when the new digest differs from the recorded one, or from the digest of the
 *   output fields themselves.
 * Since engine 3.120 a refresh is diffed as `diff(refreshed outputs, stored inputs)`, and `preview --refresh`
 * diffs the program's fresh inputs against the refreshed outputs; with the rules above a remote change
 * shows in both (and in a plain `preview`), naming the changed fields, while an unchanged CSR never diffs.
 * A definitive not-found in `read` removes the resource, which the engine always reports.
 */
import type * as pulumi from "@pulumi/pulumi";
import { CustomCsrNotFoundError, InvalidCustomCsrArgsError } from "../errors";
import { findArgumentProblems, isGiven, parseLookupArgs, requestOf } from "../lookup/args";
import {
  DEFAULT_CONFIG_NAMESPACE,
  findConfigNamespaceProblem,
  resolveClientConfig,
} from "../lookup/connection-settings";
import { storedResultOf } from "../lookup/result";
import { LookupSession } from "../lookup/session";
import type { CustomCsrResult, LookupOptions } from "../public-types";
import { observedDigest, observedRecord, recordedDigest } from "./drift-digest";
import { currentStackConfig, keepStackConfig, UNKNOWN, withoutStackTrace } from "./process";

export { certificateProvider } from "./certificate-runtime";
export { UNKNOWN } from "./process";

type Inputs = Record<string, unknown>;
type Outputs = Record<string, unknown>;

/** Inputs whose change means a different CSR, hence a replace. */
const IDENTITY_FIELDS = ["customCsrId", "accountId", "zoneId"] as const;

/**
 * The input naming the stack-config namespace of the credentials (`CustomCsrArgs.configNamespace`). It is kept in
 * the outputs too, since `read` (refresh) sees only those. A change is an update, never a replace: the same CSR,
 * re-read through the other namespace's connection.
 */
const NAMESPACE_FIELD = "configNamespace";

/** How long a lookup is reused in the provider process: long enough to span one deployment's check, create and read. */
const RESULT_TTL_MS = 60_000;

let session: LookupSession | undefined;

/**
 * Keeps the stack config (secrets arrive decrypted) for this process; only `cloudflare:*` keys are read.
 * The engine configures a provider once per deployment, so this also starts a fresh lookup cache.
 */
async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  keepStackConfig(req);
  session = undefined;
}

/** Validates the inputs, then (when they are known) looks the CSR up and records what it saw. */
async function check(_olds: Inputs, news: Inputs): Promise<pulumi.dynamic.CheckResult> {
  const inputs = { ...identityOf(news), ...namespaceOf(news) };
  const problems = findArgumentProblems(news, (v) => v === UNKNOWN);
  const namespace = inputs[NAMESPACE_FIELD];
  const namespaceProblem = namespace === UNKNOWN ? undefined : findConfigNamespaceProblem(namespace);
  if (namespaceProblem !== undefined) problems.push(namespaceProblem);
  if (problems.length > 0) {
    return { inputs, failures: problems.map((p) => ({ property: p.field, reason: p.reason })) };
  }
  if ([...IDENTITY_FIELDS, NAMESPACE_FIELD].some((field) => news[field] === UNKNOWN)) return { inputs };
  try {
    const result = await lookups().lookup(requestOf(news), connection(inputs));
    return { inputs: { ...inputs, observed: observedRecord(result) } };
  } catch (error) {
    if (error instanceof CustomCsrNotFoundError)
      return { inputs, failures: [{ property: "customCsrId", reason: error.message }] };
    throw withoutStackTrace(error);
  }
}

/**
 * Replaces when the CSR's identity changes; reports an update when what Cloudflare holds differs from what
 * was recorded (see the module comment); no change otherwise, so there are no perpetual diffs.
 */
async function diff(_id: string, olds: Outputs, news: Inputs): Promise<pulumi.dynamic.DiffResult> {
  const replaces = IDENTITY_FIELDS.filter((field) => (olds[field] ?? "") !== (news[field] ?? ""));
  const namespaceOr = (values: Inputs) => values[NAMESPACE_FIELD] ?? DEFAULT_CONFIG_NAMESPACE;
  const namespaceChanged = namespaceOr(olds) !== namespaceOr(news);
  const wanted = recordedDigest(news.observed);
  const stored = storedResultOf(olds);
  const current = stored === undefined ? undefined : observedDigest(stored);
  const recorded = recordedDigest(olds.observed);
  const observedChanged =
    wanted !== undefined && (recorded !== wanted || (current !== undefined && current !== wanted));
  return { changes: replaces.length > 0 || observedChanged || namespaceChanged, replaces, deleteBeforeReplace: false };
}

/** Fetches the CSR; no remote write happens. */
async function create(inputs: Inputs): Promise<pulumi.dynamic.CreateResult> {
  const result = await lookups().lookup(parseLookupArgs(identityOf(inputs)), connection(inputs));
  return { id: result.customCsrId, outs: { ...outputsOf(result), ...namespaceOf(inputs) } };
}

/**
 * Re-fetches the CSR for `pulumi refresh` and for `CustomCsr.get`. A definitive not-found removes a
 * resource that was read before; for an adoption (`get`) it is an error, since there is nothing to adopt.
 * Any other failure throws, so state is never dropped on a transient error.
 */
async function read(id: string, props: Outputs = {}): Promise<pulumi.dynamic.ReadResult> {
  const identity = identityOf({ ...props, customCsrId: id });
  const problems = findArgumentProblems(identity);
  if (problems.length > 0) throw withoutStackTrace(new InvalidCustomCsrArgsError(problems));
  try {
    // Within one provider process (one deployment) a result up to a minute old counts as current.
    const result = await lookups().lookup(requestOf(identity), connection(props));
    const outs = { ...outputsOf(result), ...namespaceOf(props) };
    // Keep the snapshot recorded by the last create/update; `CustomCsr.get` has none yet and records this one.
    if (props.observed !== undefined && props.observed !== null) outs.observed = props.observed;
    return { id: result.customCsrId, props: outs };
  } catch (error) {
    if (error instanceof CustomCsrNotFoundError && wasReadBefore(props)) return {};
    throw withoutStackTrace(error);
  }
}

/** Re-fetches the CSR so that the outputs follow the new inputs. */
async function update(_id: string, _olds: Outputs, news: Inputs): Promise<pulumi.dynamic.UpdateResult> {
  const result = await lookups().lookup(parseLookupArgs(identityOf(news)), connection(news));
  return { outs: { ...outputsOf(result), ...namespaceOf(news) } };
}

/**
 * Whether stored outputs come from an earlier successful lookup, as opposed to the bare arguments of a
 * `CustomCsr.get`: the provider records `observed` with every lookup it stores (`outputsOf`, and `read` keeps or
 * sets it). States written before `observed` existed hold the looked-up fields instead, so a `createdAt` (a field
 * the API always sends) counts too.
 */
function wasReadBefore(outputs: Outputs): boolean {
  const recorded = outputs.observed !== undefined && outputs.observed !== null;
  return recorded || typeof outputs.createdAt === "string";
}

/** The identifying inputs only, without `undefined` values (the engine rejects them). */
function identityOf(values: Inputs): Inputs {
  const identity: Inputs = {};
  for (const field of IDENTITY_FIELDS) {
    const value = values[field];
    if (isGiven(value)) identity[field] = value;
  }
  return identity;
}

/** The resource outputs: every result field that is present, plus the digest `observed` records. */
function outputsOf(result: CustomCsrResult): Outputs {
  const outs: Outputs = {};
  for (const [key, value] of Object.entries(result)) if (value !== undefined) outs[key] = value;
  outs.observed = observedRecord(result);
  return outs;
}

function lookups(): LookupSession {
  session ??= new LookupSession({ resultTtlMs: RESULT_TTL_MS });
  return session;
}

/** The connection of a resource: the stack config of its `configNamespace` (default `cloudflare`), then env. */
function connection(values: Inputs) {
  return resolveClientConfig(namespaceOf(values) as LookupOptions, currentStackConfig());
}

/**
 * `{ configNamespace }` when the resource names one (blank counts as none, like a blank `zoneId`), else nothing:
 * state stays as before for everyone else.
 */
function namespaceOf(values: Inputs): Inputs {
  const value = values[NAMESPACE_FIELD];
  return isGiven(value) ? { [NAMESPACE_FIELD]: value } : {};
}

/**
 * The provider that the serialized `__provider` text hands to Pulumi's dynamic provider. There is no `delete`:
 * a missing one means "forget the resource", which is exactly what deleting a lookup means (the CSR belongs to
 * Cloudflare, not to the stack).
 */
export const provider = { configure, check, diff, create, read, update } satisfies pulumi.dynamic.ResourceProvider;
