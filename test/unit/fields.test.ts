import type * as pulumi from "@pulumi/pulumi";
import { CSR_FIELDS, csrField } from "../../src/cloudflare/fields";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { RESULT_KEYS } from "../../src/lookup/result";
import type { CustomCsr } from "../../sdk/customCsr";
import type { CustomCsrResult } from "../../src/public-types";

// Compile-time checks (`npm run typecheck` compiles the tests): each fails to compile when the two sides disagree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The outputs `CustomCsr` declares, without those every resource has (`id`, `urn`). */
type DeclaredOutputs = Exclude<
  { [K in keyof CustomCsr]: CustomCsr[K] extends pulumi.Output<unknown> ? K : never }[keyof CustomCsr],
  keyof pulumi.CustomResource
>;
const declaredOutputsAreTheResultKeys: Same<DeclaredOutputs, keyof CustomCsrResult> = true;
const descriptorNamesEveryApiField: Same<(typeof CSR_FIELDS)[number]["api"], keyof ApiCustomCsr> = true;
/** Each declared output's value type is the result property's (absent when the property is optional). */
type ValueOf<O> = O extends pulumi.Output<infer T> ? T : never;
type OutputTypesAgree = {
  [K in keyof CustomCsrResult]-?: Same<ValueOf<CustomCsr[K]>, CustomCsrResult[K]>;
}[keyof CustomCsrResult];
// A union with one `false` is `boolean`, to which `true` is assignable: hence the test for `false`.
const outputTypesAgree: false extends OutputTypesAgree ? never : true = true;

describe("the CSR field table", () => {
  it("agrees with the resource's declared outputs and the API's type (checked when the tests compile)", () => {
    const checks = [declaredOutputsAreTheResultKeys, descriptorNamesEveryApiField, outputTypesAgree];
    expect(checks).toEqual([true, true, true]);
  });

  it("names each API field and each output once", () => {
    expect(new Set(CSR_FIELDS.map((field) => field.api)).size).toBe(CSR_FIELDS.length);
    expect(new Set(CSR_FIELDS.map((field) => field.output)).size).toBe(CSR_FIELDS.length);
  });

  it("makes the result's keys the table's outputs plus the lookup scope and the facts decoded from the PEM", () => {
    const extra = ["accountId", "zoneId", "subject", "publicKeyAlgorithm", "publicKeySha256"];
    expect([...RESULT_KEYS].sort()).toEqual([...CSR_FIELDS.map((field) => field.output), ...extra].sort());
    expect(new Set(RESULT_KEYS).size).toBe(RESULT_KEYS.length);
  });

  it("finds a field by its output name", () => {
    expect(csrField("commonName")).toMatchObject({ api: "common_name", label: "Common name", required: false });
  });
});
