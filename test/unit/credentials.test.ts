import { authHeaders } from "../../src/cloudflare/credentials";
import {
  CONFIG_KEYS,
  credentialsFromConfig,
  credentialsFromEnv,
  resolveCredentials,
  type CredentialSource,
  type CredentialValues,
} from "../../src/lookup/connection-settings";
import { InvalidCustomCsrArgsError } from "../../src/errors";

const TOKEN = "tok-SECRET-123";
const KEY = "key-SECRET-456";
const EMAIL = "ops-SECRET@example.com";

function source(name: string, values: CredentialValues): CredentialSource {
  return { name, values };
}

function errorOf(fn: () => unknown): InvalidCustomCsrArgsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    return error as InvalidCustomCsrArgsError;
  }
  throw new Error("expected an InvalidCustomCsrArgsError, but nothing was thrown");
}

function expectNoSecrets(error: Error): void {
  for (const secret of [TOKEN, KEY, EMAIL]) {
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify((error as InvalidCustomCsrArgsError).problems)).not.toContain(secret);
  }
}

describe("resolveCredentials", () => {
  it("the first source with a token wins over later sources", () => {
    const credentials = resolveCredentials([
      source("options", { apiToken: TOKEN }),
      source("config", { apiToken: "other-token" }),
      source("env", { apiKey: KEY, email: EMAIL }),
    ]);
    expect(credentials).toEqual({ scheme: "api-token", token: TOKEN });
  });

  it("the first source with a key wins over a later token", () => {
    const credentials = resolveCredentials([
      source("config", { apiKey: KEY, email: EMAIL }),
      source("env", { apiToken: TOKEN }),
    ]);
    expect(credentials).toEqual({ scheme: "api-key", key: KEY, email: EMAIL });
  });

  it("a source without a token or a key is skipped, even when it has an email", () => {
    const credentials = resolveCredentials([
      source("options", { email: "lonely@example.com" }),
      source("env", { apiToken: TOKEN }),
    ]);
    expect(credentials).toEqual({ scheme: "api-token", token: TOKEN });
  });

  it("sources are never mixed: a key without its email is not completed by a later source's email", () => {
    const error = errorOf(() =>
      resolveCredentials([
        source("lookup options", { apiKey: KEY }),
        source("environment", { apiKey: "k2", email: EMAIL }),
      ]),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].field).toBe("credentials");
    expect(error.message).toContain("lookup options");
    expect(error.message).toContain("without its email");
    expectNoSecrets(error);
  });

  it("a token and a key at the same level is an error naming the source", () => {
    const error = errorOf(() =>
      resolveCredentials([
        source("stack config (cloudflare:apiToken)", { apiToken: TOKEN, apiKey: KEY, email: EMAIL }),
      ]),
    );
    expect(error.problems).toEqual([
      { field: "credentials", reason: expect.stringContaining("stack config (cloudflare:apiToken)") },
    ]);
    expect(error.message).toContain("both an API token and an API key");
    expectNoSecrets(error);
  });

  it("a token and a key at the same level is an error even when a later source is unambiguous", () => {
    expect(() =>
      resolveCredentials([source("options", { apiToken: TOKEN, apiKey: KEY }), source("env", { apiToken: "fine" })]),
    ).toThrow(InvalidCustomCsrArgsError);
  });

  it("a key without an email is an error", () => {
    const error = errorOf(() => resolveCredentials([source("environment", { apiKey: KEY })]));
    expect(error.message).toContain("environment sets an API key without its email");
    expectNoSecrets(error);
  });

  it("an email next to a token is ignored and only the token scheme is used", () => {
    const credentials = resolveCredentials([source("env", { apiToken: TOKEN, email: EMAIL })]);
    expect(credentials).toEqual({ scheme: "api-token", token: TOKEN });
    expect(credentials).not.toHaveProperty("email");
  });

  it("no credentials anywhere is an error that says how to set CLOUDFLARE_API_TOKEN and which permission it needs", () => {
    const error = errorOf(() => resolveCredentials([source("options", {}), source("config", {}), source("env", {})]));
    expect(error.problems[0].field).toBe("credentials");
    expect(error.message).toContain("CLOUDFLARE_API_TOKEN");
    expect(error.message).toContain("SSL and Certificates Read");
    expect(error.message).toContain("cloudflare:apiToken");
  });

  it("an empty list of sources is the same as no credentials", () => {
    expect(() => resolveCredentials([])).toThrow(/no Cloudflare credentials found/);
  });
});

describe("credentialsFromEnv", () => {
  it("reads CLOUDFLARE_API_TOKEN, CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL from the given env object", () => {
    const env = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_KEY: KEY, CLOUDFLARE_EMAIL: EMAIL, UNRELATED: "x" };
    const read = credentialsFromEnv(env);
    expect(read.values).toEqual({ apiToken: TOKEN, apiKey: KEY, email: EMAIL });
    expect(read.name).toContain("CLOUDFLARE_API_TOKEN");
    expect(read.name).toContain("CLOUDFLARE_API_KEY");
    expect(read.name).toContain("CLOUDFLARE_EMAIL");
  });

  it("blank and whitespace-only values count as unset", () => {
    const read = credentialsFromEnv({ CLOUDFLARE_API_TOKEN: "", CLOUDFLARE_API_KEY: "   ", CLOUDFLARE_EMAIL: "\t\n" });
    expect(read.values).toEqual({ apiToken: undefined, apiKey: undefined, email: undefined });
  });

  it("surrounding whitespace is trimmed from values", () => {
    expect(credentialsFromEnv({ CLOUDFLARE_API_TOKEN: `  ${TOKEN}\n` }).values.apiToken).toBe(TOKEN);
  });

  it("a blank token next to a real key pair is not a token-and-key conflict", () => {
    const credentials = resolveCredentials([
      credentialsFromEnv({ CLOUDFLARE_API_TOKEN: " ", CLOUDFLARE_API_KEY: KEY, CLOUDFLARE_EMAIL: EMAIL }),
    ]);
    expect(credentials).toEqual({ scheme: "api-key", key: KEY, email: EMAIL });
  });

  it("a token and a key both set in the environment is an error naming the environment", () => {
    const error = errorOf(() =>
      resolveCredentials([credentialsFromEnv({ CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_KEY: KEY })]),
    );
    expect(error.message).toContain("environment (CLOUDFLARE_API_TOKEN");
    expectNoSecrets(error);
  });

  it("reads process.env when no env object is given", () => {
    const saved = process.env.CLOUDFLARE_API_TOKEN;
    process.env.CLOUDFLARE_API_TOKEN = TOKEN;
    try {
      expect(credentialsFromEnv().values.apiToken).toBe(TOKEN);
    } finally {
      if (saved === undefined) delete process.env.CLOUDFLARE_API_TOKEN;
      else process.env.CLOUDFLARE_API_TOKEN = saved;
    }
  });
});

describe("credentialsFromConfig", () => {
  it("reads cloudflare:apiToken, cloudflare:apiKey and cloudflare:email through the getter", () => {
    const config: Record<string, string> = {
      "cloudflare:apiToken": TOKEN,
      "cloudflare:apiKey": KEY,
      "cloudflare:email": EMAIL,
    };
    const asked: string[] = [];
    const read = credentialsFromConfig((key) => {
      asked.push(key);
      return config[key];
    });
    expect(read.values).toEqual({ apiToken: TOKEN, apiKey: KEY, email: EMAIL });
    expect(asked.sort()).toEqual(["cloudflare:apiKey", "cloudflare:apiToken", "cloudflare:email"]);
    expect(read.name).toContain("stack config");
    expect(read.name).toContain("cloudflare:apiToken");
  });

  it("blank config values count as unset", () => {
    const read = credentialsFromConfig((key) => (key === CONFIG_KEYS.apiToken ? "  " : undefined));
    expect(read.values.apiToken).toBeUndefined();
  });

  it("a key pair in config wins over a token in the environment", () => {
    const config: Record<string, string> = { "cloudflare:apiKey": KEY, "cloudflare:email": EMAIL };
    const credentials = resolveCredentials([
      credentialsFromConfig((k) => config[k]),
      credentialsFromEnv({ CLOUDFLARE_API_TOKEN: TOKEN }),
    ]);
    expect(credentials).toEqual({ scheme: "api-key", key: KEY, email: EMAIL });
  });
});

describe("authHeaders", () => {
  it("a token is sent as a Bearer Authorization header and nothing else", () => {
    expect(authHeaders({ scheme: "api-token", token: TOKEN })).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it("a key is sent as X-Auth-Email and X-Auth-Key, without an Authorization header", () => {
    const headers = authHeaders({ scheme: "api-key", key: KEY, email: EMAIL });
    expect(headers).toEqual({ "X-Auth-Email": EMAIL, "X-Auth-Key": KEY });
    expect(headers).not.toHaveProperty("Authorization");
  });
});
