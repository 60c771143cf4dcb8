import { createHash } from "node:crypto";
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { canonicalJson } from "../json";
import { storedResultOf } from "../lookup/result";
import { fieldsChangedSince } from "../provider/drift-digest";
import { CUSTOM_CSR_TYPE } from "../provider/provider";
import { escapeForTerminal } from "./escape";
import { formatTable, shortHex } from "./format";
import type { CiFinding, CiReport } from "./ci-formats";
import type { Style } from "./terminal";

/** One field that differs between what the stack recorded and what Cloudflare holds now. */
export interface FieldChange {
  readonly field: string;
  /** The recorded value; `null` when the field was absent. A PEM is given as `sha256:<hex>`. */
  readonly old: unknown;
  /** The value Cloudflare holds now; `null` when absent. A PEM is given as `sha256:<hex>`. */
  readonly new: unknown;
}

/** A `CustomCsr` whose refresh would change the stack. */
export interface DriftedResource {
  readonly urn: string;
  /** The Pulumi resource name (the last part of the URN). */
  readonly name: string;
  readonly customCsrId: string | null;
  readonly status: "changed" | "deleted";
  /** For `changed`: every field that differs; empty for `deleted`. */
  readonly changes: readonly FieldChange[];
}

/** What `custom-csr drift --json` prints (documented in the README; keep it stable). */
export interface DriftReport {
  readonly stack: string;
  /** Whether any `CustomCsr` drifted (the exit code is 1 exactly when this is true). */
  readonly drifted: boolean;
  /** How many `CustomCsr` resources the refresh looked at. */
  readonly checked: number;
  readonly resources: readonly DriftedResource[];
  /** Steps the refresh would take on other resource types, counted by operation, e.g. `{ "update": 1 }`. */
  readonly otherChanges: Readonly<Record<string, number>>;
}

/** Operations that change nothing. A refresh announces every resource with `refresh`, then reports the outcome. */
const NO_CHANGE_OPS = new Set(["same", "refresh", "read"]);
/** Operations by which a refresh drops a resource from the stack. */
const DELETE_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced"]);
/** Bookkeeping outputs of the provider, not facts about the CSR (see `src/provider/runtime.ts`). */
const INTERNAL_OUTPUTS = new Set(["observed", "__provider"]);

/**
 * Collects a refresh preview's engine events (`resourcePreEvent` / `resOutputsEvent`, whose metadata carry the
 * recorded state as `old` and the refreshed one as `new`) and turns them into a {@link DriftReport}.
 */
export class DriftCollector {
  private readonly steps = new Map<string, StepEventMetadata>();
  private readonly customCsrs = new Set<string>();

  /** Pass this as the Automation API's `onEvent`. */
  readonly onEvent = (event: EngineEvent): void => {
    const metadata = event.resOutputsEvent?.metadata ?? event.resourcePreEvent?.metadata;
    if (metadata === undefined) return;
    if (metadata.type === CUSTOM_CSR_TYPE) this.customCsrs.add(metadata.urn);
    if (NO_CHANGE_OPS.has(metadata.op)) return;
    this.steps.set(metadata.urn, metadata);
  };

  /** The names of every `CustomCsr` the refresh looked at, sorted. */
  checkedNames(): string[] {
    return [...this.customCsrs].map((urn) => urn.slice(urn.lastIndexOf("::") + 2)).sort();
  }

  /** The report for the events seen so far. */
  report(stack: string): DriftReport {
    const resources: DriftedResource[] = [];
    const otherChanges: Record<string, number> = {};
    for (const step of this.steps.values()) {
      if (step.type === CUSTOM_CSR_TYPE) resources.push(driftOf(step));
      else otherChanges[step.op] = (otherChanges[step.op] ?? 0) + 1;
    }
    resources.sort((a, b) => a.urn.localeCompare(b.urn));
    return { stack, drifted: resources.length > 0, checked: this.customCsrs.size, resources, otherChanges };
  }
}

function driftOf(step: StepEventMetadata): DriftedResource {
  const oldOutputs: Record<string, unknown> = step.old?.outputs ?? {};
  const customCsrId = typeof oldOutputs.customCsrId === "string" ? oldOutputs.customCsrId : step.old?.id || null;
  const base = { urn: step.urn, name: step.urn.slice(step.urn.lastIndexOf("::") + 2), customCsrId };
  if (DELETE_OPS.has(step.op) || step.new === undefined) return { ...base, status: "deleted", changes: [] };
  const newOutputs: Record<string, unknown> = step.new.outputs ?? {};
  let changes = fieldChanges(oldOutputs, newOutputs);
  // After a plain `pulumi refresh` the outputs are current already, and only the snapshot recorded by the last
  // `up` (the input `observed`) still differs: name the fields that changed since then.
  const current = storedResultOf(newOutputs);
  if (changes.length === 0 && current !== undefined) {
    const recorded = step.old?.inputs?.observed ?? oldOutputs.observed;
    if (typeof recorded === "string") {
      // Only digests were recorded: the old value is shown as its digest, the new one as Cloudflare holds it now.
      changes = fieldsChangedSince(recorded, current).map(({ field, recordedDigest }) => ({
        field,
        old: recordedDigest,
        new: field === "pem" ? pemDigest(current.pem) : (current[field as keyof typeof current] ?? null),
      }));
    }
  }
  return { ...base, status: "changed", changes };
}

/** Fields whose values differ, sorted by name; the PEM is shown as `sha256:<hex>`. */
function fieldChanges(olds: Record<string, unknown>, news: Record<string, unknown>): FieldChange[] {
  const fields = new Set([...Object.keys(olds), ...Object.keys(news)].filter((field) => !INTERNAL_OUTPUTS.has(field)));
  const changes: FieldChange[] = [];
  for (const field of [...fields].sort()) {
    const [oldValue, newValue] = [olds[field], news[field]];
    if (canonicalJson(oldValue) === canonicalJson(newValue)) continue;
    if (field === "pem") changes.push({ field, old: pemDigest(oldValue), new: pemDigest(newValue) });
    else changes.push({ field, old: oldValue ?? null, new: newValue ?? null });
  }
  return changes;
}

function pemDigest(value: unknown): string | null {
  if (typeof value !== "string") return null;
  return `sha256:${createHash("sha256").update(value).digest("hex")}`;
}

const CHANGED = { id: "drift/changed", description: "a CustomCsr differs in Cloudflare from what the stack recorded" };
const DELETED = { id: "drift/deleted", description: "a CustomCsr the stack records no longer exists in Cloudflare" };

/** The report as a CI report: one case per `CustomCsr` checked, a finding for each that drifted. */
export function driftCiReport(report: DriftReport, checkedNames: readonly string[]): CiReport {
  const drifted = new Map(report.resources.map((resource) => [resource.name, resource]));
  const names = [...new Set([...checkedNames, ...drifted.keys()])].sort();
  return {
    command: "drift",
    title: `custom-csr drift of stack ${report.stack}`,
    cases: names.map((name) => {
      const resource = drifted.get(name);
      const id = resource?.customCsrId ?? "?";
      const findings: CiFinding[] =
        resource === undefined
          ? []
          : resource.status === "deleted"
            ? [{ rule: DELETED, level: "error", message: `custom CSR ${id} was deleted in Cloudflare` }]
            : [
                {
                  rule: CHANGED,
                  level: "error",
                  message:
                    `custom CSR ${id} changed in Cloudflare: ` +
                    (resource.changes.map((change) => change.field).join(", ") || "its recorded snapshot differs"),
                },
              ];
      return { name, group: `custom-csr.drift.${report.stack}`, findings };
    }),
  };
}

/**
 * The human report: each drifted `CustomCsr` with its changed fields side by side, other resources in one line.
 * Names, ids and values come from the stack's state and from Cloudflare, so every one of them is escaped.
 */
export function formatDriftReport(report: DriftReport, style: Style): string {
  const lines: string[] = [];
  const count = `${report.checked} CustomCsr resource${report.checked === 1 ? "" : "s"}`;
  const stack = escapeForTerminal(report.stack);
  if (!report.drifted) {
    lines.push(style.green(`Stack ${stack}: no drift in ${count}.`));
  } else {
    lines.push(style.red(`Stack ${stack}: ${report.resources.length} of ${count} drifted.`), "");
    for (const resource of report.resources) {
      const id = resource.customCsrId === null ? "" : ` (custom CSR ${escapeForTerminal(resource.customCsrId)})`;
      const name = style.bold(escapeForTerminal(resource.name));
      if (resource.status === "deleted") {
        lines.push(`  ${style.red("-")} ${name}${id}: deleted in Cloudflare`);
        continue;
      }
      lines.push(`  ${style.yellow("~")} ${name}${id}: changed in Cloudflare`);
      if (resource.changes.length === 0) {
        lines.push(
          "      the provider reports a change but no output differs; run `pulumi preview --refresh --diff` for details",
        );
        continue;
      }
      const table = formatTable(
        resource.changes,
        [
          { heading: "FIELD", value: (change) => change.field },
          { heading: "STACK", value: (change) => displayValue(change.old) },
          { heading: "CLOUDFLARE", value: (change) => displayValue(change.new) },
        ],
        style,
        "      ",
      );
      lines.push(table.trimEnd());
    }
    lines.push("", ...advice(report.resources));
  }
  const others = Object.entries(report.otherChanges).sort(([a], [b]) => a.localeCompare(b));
  lines.push(
    others.length === 0
      ? style.dim("Other resources: no changes.")
      : `Other resources: ${others.map(([op, n]) => `${n} ${escapeForTerminal(op)}`).join(", ")} ` +
          "(not CustomCsr; not counted as drift here).",
  );
  return `${lines.join("\n")}\n`;
}

/**
 * What to do next. A change can be accepted with `pulumi up`; a deletion cannot: `up` looks the CSR up again and
 * fails while the program still names it, so the program has to change first.
 */
function advice(resources: readonly DriftedResource[]): string[] {
  const lines: string[] = [];
  if (resources.some((resource) => resource.status === "changed")) {
    lines.push("Changed: run `pulumi up` to accept what Cloudflare holds now, or fix the CSR in Cloudflare.");
  }
  if (resources.some((resource) => resource.status === "deleted")) {
    lines.push(
      "Deleted: `pulumi up` alone fails while the program names a CSR that no longer exists. Remove that CustomCsr",
      "from the program, or point its customCsrId at an existing CSR (`custom-csr list` shows them), " +
        "then run `pulumi up`.",
    );
  }
  return lines;
}

/** A value for the side-by-side view: JSON for strings and lists, SHA-256 digests shortened, `(absent)` for none. */
function displayValue(value: unknown): string {
  if (value === null || value === undefined) return "(absent)";
  if (typeof value === "string" && value.startsWith("sha256:")) return `sha256:${shortHex(value.slice(7), 12)}`;
  if (typeof value === "string" && /^[0-9a-f]{64}$/.test(value)) return shortHex(value, 12);
  return JSON.stringify(value);
}
