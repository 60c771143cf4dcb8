import { DEFAULT_BASE_URL } from "../../src/cloudflare/endpoint";
import { InvalidCustomCsrArgsError } from "../../src/errors";
import type { LookupOptions } from "../../src/public-types";
import { resolveClientConfig, type ConfigGetter } from "../../src/lookup/connection-settings";

const OPTION_TOKEN = "tok-SECRET-options";
const CONFIG_TOKEN = "tok-SECRET-config";
const ENV_TOKEN = "tok-SECRET-env";

function configOf(values: Record<string, string>): ConfigGetter {
  return (key) => values[key];
}

function rejection(
  options: unknown,
  config: ConfigGetter = () => undefined,
  env: NodeJS.ProcessEnv = {},
): InvalidCustomCsrArgsError {
  try {
    resolveClientConfig(options as LookupOptions, config, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    return error as InvalidCustomCsrArgsError;
  }
  throw new Error("expected resolveClientConfig to throw");
}

describe("resolveClientConfig: credentials", () => {
  const config = configOf({ "cloudflare:apiToken": CONFIG_TOKEN });
  const env = { CLOUDFLARE_API_TOKEN: ENV_TOKEN };

  it("explicit options win over stack config and environment", () => {
    expect(resolveClientConfig({ apiToken: OPTION_TOKEN }, config, env).credentials).toEqual({
      scheme: "api-token",
      token: OPTION_TOKEN,
    });
  });

  it("reads no stack config key a lookup with explicit options does not need", () => {
    const read: string[] = [];
    const spying: ConfigGetter = (key) => (read.push(key), undefined);
    resolveClientConfig({ apiToken: OPTION_TOKEN, baseUrl: "https://api.example/v4", timeoutMs: 5 }, spying, env);
    expect(read).toEqual([]);
    resolveClientConfig({ apiToken: OPTION_TOKEN }, spying, env);
    expect(read).toEqual(["cloudflare:baseUrl", "pulumi-cloudflare-custom-csr:timeoutMs"]);
  });

  it("stack config wins over the environment", () => {
    expect(resolveClientConfig({}, config, env).credentials).toEqual({ scheme: "api-token", token: CONFIG_TOKEN });
  });

  it("the environment is used when nothing else is set", () => {
    expect(resolveClientConfig({}, () => undefined, env).credentials).toEqual({
      scheme: "api-token",
      token: ENV_TOKEN,
    });
  });

  it("blank explicit options fall through to stack config", () => {
    expect(resolveClientConfig({ apiToken: "   ", apiKey: "", email: " " }, config, env).credentials).toEqual({
      scheme: "api-token",
      token: CONFIG_TOKEN,
    });
  });

  it("an explicit key pair wins over a token in config", () => {
    expect(resolveClientConfig({ apiKey: "key-SECRET", email: "me@example.com" }, config, env).credentials).toEqual({
      scheme: "api-key",
      key: "key-SECRET",
      email: "me@example.com",
    });
  });

  it("a key pair from the environment is used when it is the only credential", () => {
    const credentials = resolveClientConfig({}, () => undefined, {
      CLOUDFLARE_API_KEY: "key-SECRET",
      CLOUDFLARE_EMAIL: "me@example.com",
    }).credentials;
    expect(credentials).toEqual({ scheme: "api-key", key: "key-SECRET", email: "me@example.com" });
  });

  it("an explicit token and key together is an error naming the lookup options, without the values", () => {
    const error = rejection({ apiToken: OPTION_TOKEN, apiKey: "key-SECRET-x" }, config, env);
    expect(error.message).toContain("lookup options");
    expect(error.message).toContain("both an API token and an API key");
    expect(error.message).not.toContain("SECRET");
  });

  it("an explicit key is not completed by the email in the environment", () => {
    const error = rejection({ apiKey: "key-SECRET-x" }, () => undefined, { CLOUDFLARE_EMAIL: "me@example.com" });
    expect(error.message).toContain("lookup options (apiToken, or apiKey + email) sets an API key without its email");
    expect(error.message).not.toContain("SECRET");
  });

  it("no credentials anywhere names CLOUDFLARE_API_TOKEN and the permission", () => {
    const error = rejection({}, () => undefined, {});
    expect(error.message).toContain("CLOUDFLARE_API_TOKEN");
    expect(error.message).toContain("SSL and Certificates Read");
  });

  it("reads the real process environment when no env object is given", () => {
    const saved = process.env.CLOUDFLARE_API_TOKEN;
    process.env.CLOUDFLARE_API_TOKEN = ENV_TOKEN;
    try {
      expect(resolveClientConfig({}, () => undefined).credentials).toEqual({ scheme: "api-token", token: ENV_TOKEN });
    } finally {
      if (saved === undefined) delete process.env.CLOUDFLARE_API_TOKEN;
      else process.env.CLOUDFLARE_API_TOKEN = saved;
    }
  });
});

describe("resolveClientConfig: base URL", () => {
  const withToken = { apiToken: OPTION_TOKEN };

  it("defaults to the production API", () => {
    expect(resolveClientConfig(withToken, () => undefined, {}).baseUrl).toBe(DEFAULT_BASE_URL);
  });

  it("an explicit baseUrl wins over cloudflare:baseUrl and CLOUDFLARE_BASE_URL", () => {
    const config = configOf({ "cloudflare:baseUrl": "https://config.example/v4" });
    const env = { CLOUDFLARE_BASE_URL: "https://env.example/v4" };
    expect(resolveClientConfig({ ...withToken, baseUrl: "https://option.example/v4/" }, config, env).baseUrl).toBe(
      "https://option.example/v4",
    );
    expect(resolveClientConfig(withToken, config, env).baseUrl).toBe("https://config.example/v4");
    expect(resolveClientConfig(withToken, () => undefined, env).baseUrl).toBe("https://env.example/v4");
  });

  it("CLOUDFLARE_BASE_URL may point at a loopback emulator over http", () => {
    expect(
      resolveClientConfig(withToken, () => undefined, { CLOUDFLARE_BASE_URL: "http://127.0.0.1:8787/client/v4" })
        .baseUrl,
    ).toBe("http://127.0.0.1:8787/client/v4");
  });

  it("refuses plain http to a remote host from any source", () => {
    expect(rejection({ ...withToken, baseUrl: "http://api.example.com" }).problems[0].field).toBe("baseUrl");
    expect(rejection(withToken, configOf({ "cloudflare:baseUrl": "http://api.example.com" })).problems[0].field).toBe(
      "baseUrl",
    );
    expect(
      rejection(withToken, () => undefined, { CLOUDFLARE_BASE_URL: "http://api.example.com" }).problems[0].field,
    ).toBe("baseUrl");
  });
});

describe("resolveClientConfig: timeoutMs and maxRetries", () => {
  const withToken = { apiToken: OPTION_TOKEN };

  it("leaves timeoutMs and retry unset when not given", () => {
    const config = resolveClientConfig(withToken, () => undefined, {});
    expect(config).not.toHaveProperty("timeoutMs");
    expect(config).not.toHaveProperty("retry");
  });

  it("passes timeoutMs through and puts maxRetries into retry.maxRetries", () => {
    const config = resolveClientConfig({ ...withToken, timeoutMs: 5_000, maxRetries: 2 }, () => undefined, {});
    expect(config.timeoutMs).toBe(5_000);
    expect(config.retry).toEqual({ maxRetries: 2 });
  });

  it.each([1, 600_000])("accepts timeoutMs %i at the bounds", (timeoutMs) => {
    expect(resolveClientConfig({ ...withToken, timeoutMs }, () => undefined, {}).timeoutMs).toBe(timeoutMs);
  });

  it.each([0, 10])("accepts maxRetries %i at the bounds", (maxRetries) => {
    expect(resolveClientConfig({ ...withToken, maxRetries }, () => undefined, {}).retry).toEqual({ maxRetries });
  });

  it.each([0, -1, 600_001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses timeoutMs %p with a clear reason",
    (timeoutMs) => {
      const error = rejection({ ...withToken, timeoutMs });
      expect(error.problems).toEqual([
        {
          field: "timeoutMs",
          reason: `must be a whole number of milliseconds from 1 to 600000, not ${String(timeoutMs)}.`,
        },
      ]);
    },
  );

  it.each([-1, 11, 2.5, Number.NaN])("refuses maxRetries %p with a clear reason", (maxRetries) => {
    const error = rejection({ ...withToken, maxRetries });
    expect(error.problems).toEqual([
      { field: "maxRetries", reason: `must be a whole number from 0 to 10, not ${String(maxRetries)}.` },
    ]);
  });

  it("refuses a numeric string for timeoutMs", () => {
    expect(rejection({ ...withToken, timeoutMs: "5000" }).problems[0].field).toBe("timeoutMs");
  });

  it("reports every bad option at once, before looking for credentials", () => {
    const error = rejection({ apiToken: 12345, baseUrl: false, timeoutMs: 0, maxRetries: 99 });
    expect(error.problems.map((p) => p.field)).toEqual(["apiToken", "baseUrl", "timeoutMs", "maxRetries"]);
    expect(error.problems[0].reason).toBe("must be a string.");
    expect(error.message).not.toContain("12345");
  });

  it.each([null, "tok"])("refuses options that are not an object (%j)", (options) => {
    expect(rejection(options).problems).toEqual([
      { field: "options", reason: expect.stringContaining("expected an object") },
    ]);
  });

  it("works with explicit options alone, without a config getter or env object", () => {
    const config = resolveClientConfig({ apiToken: OPTION_TOKEN, baseUrl: "https://option.example/v4" });
    expect(config).toEqual({
      baseUrl: "https://option.example/v4",
      credentials: { scheme: "api-token", token: OPTION_TOKEN },
    });
  });

  it("treats omitted options as empty", () => {
    expect(resolveClientConfig(undefined, () => undefined, { CLOUDFLARE_API_TOKEN: ENV_TOKEN }).credentials).toEqual({
      scheme: "api-token",
      token: ENV_TOKEN,
    });
  });
});

describe("resolveClientConfig: configNamespace", () => {
  const config = configOf({
    "cloudflare:apiToken": CONFIG_TOKEN,
    "cloudflare-prod:apiToken": "tok-SECRET-prod",
    "cloudflare-prod:baseUrl": "https://prod.example/v4",
    "keyed:apiKey": "key-SECRET",
    "keyed:email": "ops@example.com",
  });
  const env = { CLOUDFLARE_API_TOKEN: ENV_TOKEN, CLOUDFLARE_BASE_URL: "https://env.example/v4" };

  it("reads the credentials and base URL of the named namespace", () => {
    expect(resolveClientConfig({ configNamespace: "cloudflare-prod" }, config, env)).toEqual({
      baseUrl: "https://prod.example/v4",
      credentials: { scheme: "api-token", token: "tok-SECRET-prod" },
    });
    expect(resolveClientConfig({ configNamespace: "keyed" }, config, env).credentials).toEqual({
      scheme: "api-key",
      key: "key-SECRET",
      email: "ops@example.com",
    });
  });

  it("explicit options still win over the namespace", () => {
    expect(
      resolveClientConfig({ configNamespace: "cloudflare-prod", apiToken: OPTION_TOKEN }, config, env).credentials,
    ).toEqual({ scheme: "api-token", token: OPTION_TOKEN });
  });

  it("another namespace neither borrows the environment's base URL nor its credentials", () => {
    expect(resolveClientConfig({ configNamespace: "keyed" }, config, env).baseUrl).toBe(DEFAULT_BASE_URL);
    const error = rejection({ configNamespace: "cloudflare-dev" }, config, env);
    expect(error.message).toContain('no Cloudflare credentials in config namespace "cloudflare-dev"');
    expect(error.message).toContain("pulumi config set --secret cloudflare-dev:apiToken <token>");
    expect(error.message).not.toContain("SECRET");
  });

  it("naming the default namespace is the same as naming none, environment fallback included", () => {
    expect(resolveClientConfig({ configNamespace: "cloudflare" }, () => undefined, env)).toEqual(
      resolveClientConfig({}, () => undefined, env),
    );
  });

  it.each([
    ["", "empty"],
    ["cloudflare:prod", "a colon"],
    ["-prod", "a leading dash"],
    ["prod ns", "a space"],
    ["p".repeat(101), "101 characters"],
  ])("refuses the namespace %j (%s), naming the field and an example", (configNamespace) => {
    expect(rejection({ configNamespace }, config, env).problems).toEqual([
      {
        field: "configNamespace",
        reason: expect.stringContaining('e.g. "cloudflare-prod" for cloudflare-prod:apiToken'),
      },
    ]);
  });

  it("refuses a namespace that is not a string", () => {
    expect(rejection({ configNamespace: 7 }, config, env).problems).toEqual([
      { field: "configNamespace", reason: "must be a string, not a number." },
    ]);
  });

  it.each(["cloudflare-prod", "Cloudflare_2", "acme.prod", "p".repeat(100)])(
    "accepts the namespace %j",
    (configNamespace) => {
      expect(() => resolveClientConfig({ configNamespace, apiToken: OPTION_TOKEN }, config, env)).not.toThrow();
    },
  );
});
