import { InvalidCustomCsrArgsError } from "../../src/errors";
import { resolveClientConfig, TIMEOUT_SETTING, type ConfigGetter } from "../../src/lookup/connection-settings";

const withToken = { apiToken: "tok-SECRET-timeout" };
const configOf =
  (values: Record<string, string>): ConfigGetter =>
  (key) =>
    values[key];
const inConfig = (value: string) => configOf({ "pulumi-cloudflare-custom-csr:timeoutMs": value });
const inEnv = (value: string) => ({ CLOUDFLARE_CUSTOM_CSR_TIMEOUT_MS: value });

describe("the per-attempt deadline from stack config and environment", () => {
  it("is read from pulumi-cloudflare-custom-csr:timeoutMs, then CLOUDFLARE_CUSTOM_CSR_TIMEOUT_MS", () => {
    expect(resolveClientConfig(withToken, inConfig("1500"), inEnv("2500")).timeoutMs).toBe(1_500);
    expect(resolveClientConfig(withToken, () => undefined, inEnv("2500")).timeoutMs).toBe(2_500);
  });

  it("loses to an explicit timeoutMs", () => {
    expect(resolveClientConfig({ ...withToken, timeoutMs: 700 }, inConfig("1500"), inEnv("2500")).timeoutMs).toBe(700);
  });

  it("counts blank values as unset, leaving the client's default", () => {
    expect(resolveClientConfig(withToken, inConfig("  "), inEnv("")).timeoutMs).toBeUndefined();
    expect(resolveClientConfig(withToken, inConfig(" 900 "), {}).timeoutMs).toBe(900);
  });

  it.each([
    ["config", inConfig("1.5s"), {}, TIMEOUT_SETTING.configKey, '"1.5s"'],
    ["environment", () => undefined, inEnv("0"), TIMEOUT_SETTING.envVar, '"0"'],
    ["environment", () => undefined, inEnv("600001"), TIMEOUT_SETTING.envVar, '"600001"'],
    ["environment", () => undefined, inEnv("-5"), TIMEOUT_SETTING.envVar, '"-5"'],
  ])("refuses a value that is no whole number of ms from 1 to 600000 (%s %s)", (_where, config, env, field, shown) => {
    let error: unknown;
    try {
      resolveClientConfig(withToken, config, env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    expect((error as InvalidCustomCsrArgsError).problems).toEqual([
      { field, reason: `must be a whole number of milliseconds from 1 to 600000, not ${shown}.` },
    ]);
  });
});
