import { ambientStackConfig } from "../../src/lookup/stack-config";

// Nothing in this file loads @pulumi/pulumi, so the config comes from the PULUMI_CONFIG text alone.
describe("ambientStackConfig without Pulumi loaded", () => {
  it("reads PULUMI_CONFIG, including the legacy `<namespace>:config:<key>` form the language host writes", () => {
    const config = ambientStackConfig({
      PULUMI_CONFIG: JSON.stringify({ "cloudflare:config:apiToken": "t", "cloudflare:baseUrl": "http://127.0.0.1:1" }),
    });
    expect(config("cloudflare:apiToken")).toBe("t");
    expect(config("cloudflare:baseUrl")).toBe("http://127.0.0.1:1");
    expect(config("cloudflare:email")).toBeUndefined();
  });

  it("ignores values that are not strings", () => {
    const config = ambientStackConfig({ PULUMI_CONFIG: JSON.stringify({ "cloudflare:apiToken": 5, "a:b": null }) });
    expect(config("cloudflare:apiToken")).toBeUndefined();
    expect(config("a:b")).toBeUndefined();
  });

  it.each([
    ["unset", undefined],
    ["blank", "  "],
    ["not JSON", "{oops"],
    ["not an object", "[1]"],
    ["null", "null"],
  ])("has no config when PULUMI_CONFIG is %s", (_what, text) => {
    const config = ambientStackConfig(text === undefined ? {} : { PULUMI_CONFIG: text });
    expect(config("cloudflare:apiToken")).toBeUndefined();
  });
});
