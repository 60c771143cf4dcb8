import { createHash } from "node:crypto";
import type { EngineEvent, OpType, StepEventMetadata } from "@pulumi/pulumi/automation";
import { DriftCollector, formatDriftReport, type DriftReport } from "../../src/cli/drift-report";
import { CUSTOM_CSR_TYPE } from "../../src/provider/provider";
import { styleFor } from "../../src/cli/terminal";
import { observedRecord } from "../../src/provider/drift-digest";
import type { CustomCsrResult } from "../../src/public-types";

const plain = styleFor({ write: () => true, isTTY: false }, {});
const urn = (type: string, name: string) => `urn:pulumi:dev::proj::${type}::${name}`;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Outputs as the provider writes them: the result fields, `observed`, and the serialized provider. */
function outputs(
  fields: Partial<CustomCsrResult> & { pem: string },
  observed?: Record<string, unknown> | string,
): Record<string, unknown> {
  return {
    __provider: "exports.handler = ...",
    customCsrId: "c1",
    accountId: "a1",
    keyType: "rsa2048",
    ...fields,
    observed: observed ?? observedRecord({ customCsrId: "c1", keyType: "rsa2048", createdAt: "t", ...fields }),
  };
}

function step(
  op: OpType,
  type: string,
  name: string,
  olds?: Record<string, unknown>,
  news?: Record<string, unknown>,
  oldInputs: Record<string, unknown> = {},
): StepEventMetadata {
  const state = (outs: Record<string, unknown>, inputs: Record<string, unknown>) => ({
    type,
    urn: urn(type, name),
    id: String(outs.customCsrId ?? "id"),
    parent: "",
    inputs,
    outputs: outs,
    provider: "p",
  });
  return {
    op,
    urn: urn(type, name),
    type,
    provider: "p",
    ...(olds !== undefined ? { old: state(olds, oldInputs) } : {}),
    ...(news !== undefined ? { new: state(news, {}) } : {}),
  };
}

/** A refresh announces each resource (`refresh`), then reports its outcome in a `resOutputsEvent`. */
function refreshEvents(...steps: StepEventMetadata[]): EngineEvent[] {
  return steps.flatMap((metadata) => [
    { sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { ...metadata, op: "refresh" as OpType } } },
    { sequence: 0, timestamp: 0, resOutputsEvent: { metadata } },
  ]);
}

function reportOf(events: EngineEvent[]): DriftReport {
  const collector = new DriftCollector();
  events.forEach(collector.onEvent);
  return collector.report("dev");
}

describe("DriftCollector", () => {
  const before = outputs({
    customCsrId: "c1",
    pem: "PEM-1",
    sans: ["a.acme.dev"],
    commonName: "a.acme.dev",
    publicKeySha256: "k1",
  });

  it("reports no drift when every step is `same`, and counts the CustomCsrs it saw", () => {
    const report = reportOf(
      refreshEvents(
        step("same", CUSTOM_CSR_TYPE, "web", before, before),
        step("same", "pulumi:pulumi:Stack", "proj-dev", {}, {}),
      ),
    );
    expect(report).toEqual({ stack: "dev", drifted: false, checked: 1, resources: [], otherChanges: {} });
  });

  it("lists changed fields with old and new values, the PEM as its digest, bookkeeping left out", () => {
    const after = outputs({
      customCsrId: "c1",
      pem: "PEM-2",
      sans: ["a.acme.dev", "b.acme.dev"],
      commonName: "a.acme.dev",
      publicKeySha256: "k2",
      name: "renamed",
    });
    const report = reportOf(refreshEvents(step("update", CUSTOM_CSR_TYPE, "web", before, after)));
    expect(report.drifted).toBe(true);
    expect(report.resources).toEqual([
      {
        urn: urn(CUSTOM_CSR_TYPE, "web"),
        name: "web",
        customCsrId: "c1",
        status: "changed",
        changes: [
          { field: "name", old: null, new: "renamed" },
          { field: "pem", old: `sha256:${sha256("PEM-1")}`, new: `sha256:${sha256("PEM-2")}` },
          { field: "publicKeySha256", old: "k1", new: "k2" },
          { field: "sans", old: ["a.acme.dev"], new: ["a.acme.dev", "b.acme.dev"] },
        ],
      },
    ]);
  });

  it("reports a CSR the refresh would remove as deleted", () => {
    const report = reportOf(refreshEvents(step("delete", CUSTOM_CSR_TYPE, "gone", before)));
    expect(report.resources).toEqual([
      { urn: urn(CUSTOM_CSR_TYPE, "gone"), name: "gone", customCsrId: "c1", status: "deleted", changes: [] },
    ]);
  });

  it("after a plain `pulumi refresh`, names the fields changed since the digests the last `up` recorded", () => {
    const base = { customCsrId: "c1", keyType: "rsa2048", createdAt: "t", accountId: "a1" };
    const recorded = observedRecord({ ...base, pem: "PEM-1", sans: ["a.acme.dev"], name: "web" });
    const current = outputs({ pem: "PEM-2", sans: ["a.acme.dev"], name: "renamed", createdAt: "t" }, recorded);
    const report = reportOf(
      refreshEvents(step("update", CUSTOM_CSR_TYPE, "web", current, current, { observed: recorded })),
    );
    const digest = (value: unknown) => `sha256:${sha256(JSON.stringify(value)).slice(0, 4)}`;
    expect(report.resources[0].changes).toEqual([
      { field: "name", old: digest("web"), new: "renamed" },
      {
        field: "pem",
        old: `sha256:${sha256(JSON.stringify(sha256("PEM-1"))).slice(0, 4)}`,
        new: `sha256:${sha256("PEM-2")}`,
      },
    ]);
  });

  it("counts other resource types by operation without calling them drift", () => {
    const report = reportOf(
      refreshEvents(
        step("update", "cloudflare:index/record:Record", "a", { x: 1 }, { x: 2 }),
        step("update", "cloudflare:index/record:Record", "b", { x: 1 }, { x: 2 }),
        step("delete", "random:index/randomId:RandomId", "c", { x: 1 }),
      ),
    );
    expect(report).toMatchObject({ drifted: false, checked: 0, otherChanges: { update: 2, delete: 1 } });
  });

  it("ignores events that are not resource steps", () => {
    expect(
      reportOf([
        {
          sequence: 0,
          timestamp: 0,
          summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: {}, policyPacks: {} },
        },
      ]).checked,
    ).toBe(0);
  });
});

describe("formatDriftReport", () => {
  it("says there is no drift, and how many CSRs were checked", () => {
    expect(
      formatDriftReport({ stack: "dev", drifted: false, checked: 1, resources: [], otherChanges: {} }, plain),
    ).toBe("Stack dev: no drift in 1 CustomCsr resource.\nOther resources: no changes.\n");
  });

  it("shows each drifted CSR, its changes side by side, and the other resources in one line", () => {
    const text = formatDriftReport(
      {
        stack: "prod",
        drifted: true,
        checked: 3,
        resources: [
          {
            urn: "u1",
            name: "api",
            customCsrId: "c2",
            status: "changed",
            changes: [
              { field: "pem", old: `sha256:${"a".repeat(64)}`, new: `sha256:${"b".repeat(64)}` },
              { field: "publicKeySha256", old: "c".repeat(64), new: "d".repeat(64) },
              { field: "name", old: "api", new: null },
            ],
          },
          { urn: "u2", name: "odd", customCsrId: null, status: "changed", changes: [] },
          { urn: "u3", name: "web", customCsrId: "c1", status: "deleted", changes: [] },
        ],
        otherChanges: { update: 2, delete: 1 },
      },
      plain,
    );
    expect(text).toBe(
      [
        "Stack prod: 3 of 3 CustomCsr resources drifted.",
        "",
        "  ~ api (custom CSR c2): changed in Cloudflare",
        "      FIELD            STACK                 CLOUDFLARE",
        `      pem              sha256:${"a".repeat(12)}…  sha256:${"b".repeat(12)}…`,
        `      publicKeySha256  ${"c".repeat(12)}…         ${"d".repeat(12)}…`,
        '      name             "api"                 (absent)',
        "  ~ odd: changed in Cloudflare",
        "      the provider reports a change but no output differs; run `pulumi preview --refresh --diff` for details",
        "  - web (custom CSR c1): deleted in Cloudflare",
        "",
        "Changed: run `pulumi up` to accept what Cloudflare holds now, or fix the CSR in Cloudflare.",
        "Deleted: `pulumi up` alone fails while the program names a CSR that no longer exists. Remove that CustomCsr",
        "from the program, or point its customCsrId at an existing CSR (`custom-csr list` shows them), " +
          "then run `pulumi up`.",
        "Other resources: 1 delete, 2 update (not CustomCsr; not counted as drift here).",
        "",
      ].join("\n"),
    );
  });

  it("advises only `pulumi up` when nothing was deleted, and never that alone for a deleted CSR", () => {
    const reportWith = (status: "changed" | "deleted"): DriftReport => ({
      stack: "dev",
      drifted: true,
      checked: 1,
      resources: [{ urn: "u", name: "a", customCsrId: "c", status, changes: [] }],
      otherChanges: {},
    });
    const changed = formatDriftReport(reportWith("changed"), plain);
    expect(changed).toContain("Changed: run `pulumi up`");
    expect(changed).not.toContain("Deleted:");
    const deleted = formatDriftReport(reportWith("deleted"), plain);
    expect(deleted).not.toContain("Changed:");
    expect(deleted).toContain("Remove that CustomCsr\nfrom the program, or point its customCsrId at an existing CSR");
  });

  it("escapes names, ids, values and operations from the state and from Cloudflare", () => {
    const text = formatDriftReport(
      {
        stack: "dev\u001b]0;t\u0007",
        drifted: true,
        checked: 2,
        resources: [
          {
            urn: "u1",
            name: "api\nforged",
            customCsrId: "c\u202e2",
            status: "changed",
            changes: [{ field: "name", old: "a\u001b[2K", new: "b\u009b" }],
          },
          { urn: "u2", name: "web\r", customCsrId: null, status: "deleted", changes: [] },
        ],
        otherChanges: { "up\u001bdate": 1 },
      },
      plain,
    );
    // eslint-disable-next-line no-control-regex -- looking for control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(text).toContain("  ~ api\\nforged (custom CSR c\\u202e2): changed in Cloudflare\n");
    expect(text).toContain("  - web\\r: deleted in Cloudflare\n");
    expect(text).toContain("1 up\\x1bdate");
  });
});
