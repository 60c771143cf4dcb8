import * as pulumi from "@pulumi/pulumi";
import { pulumiConfigGetter } from "../../src/lookup/stack-config";

describe("pulumiConfigGetter", () => {
  afterEach(() => {
    jest.restoreAllMocks();
    pulumi.runtime.setAllConfig({});
  });

  it("reads the stack config as Pulumi's getConfig does, parsing it once per getter", () => {
    pulumi.runtime.setAllConfig({ "cloudflare:config:apiToken": "t", "cloudflare:baseUrl": "http://127.0.0.1:1" });
    const parses = jest.spyOn(pulumi.runtime, "allConfig");
    const config = pulumiConfigGetter(pulumi);
    for (const key of ["cloudflare:apiToken", "cloudflare:baseUrl", "cloudflare:email"]) {
      expect(config(key)).toBe(pulumi.runtime.getConfig(key));
    }
    expect(config("cloudflare:apiToken")).toBe("t");
    // Stricter than Pulumi's getConfig, which answers inherited names such as "toString" with a function.
    expect(config("toString")).toBeUndefined();
    expect(parses).toHaveBeenCalledTimes(1);
  });

  it("sees config set after an earlier getter was made (one getter per call)", () => {
    pulumi.runtime.setAllConfig({ "cloudflare:apiToken": "first" });
    expect(pulumiConfigGetter(pulumi)("cloudflare:apiToken")).toBe("first");
    pulumi.runtime.setAllConfig({ "cloudflare:apiToken": "second" });
    expect(pulumiConfigGetter(pulumi)("cloudflare:apiToken")).toBe("second");
  });
});
