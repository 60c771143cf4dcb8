import { ExitCode } from "../../src/cli/exit-codes";
import {
  CLI_CREDENTIALS_HINT,
  describeFailure,
  failureJson,
  MultiLineError,
  redactSecrets,
  UsageError,
} from "../../src/cli/failure";
import {
  CloudflareAuthError,
  CsrVerificationError,
  CustomCsrNotFoundError,
  InvalidCustomCsrArgsError,
} from "../../src/errors";

describe("describeFailure", () => {
  it("usage errors exit 2 with the usage line", () => {
    const usage = "one of --account or --zone is required";
    expect(describeFailure(new UsageError(usage))).toEqual({
      message: usage,
      lines: [usage],
      exitCode: ExitCode.Error,
      showUsage: true,
    });
  });

  it("names argument problems by their flags; a usage line only for what was typed on the command line", () => {
    const typed = new InvalidCustomCsrArgsError([
      { field: "accountId", reason: "is bad." },
      { field: "customCsrId", reason: "is worse." },
    ]);
    expect(describeFailure(typed)).toEqual({
      message: "invalid arguments:\n  - --account: is bad.\n  - <id>: is worse.",
      lines: ["invalid arguments:", "  - --account: is bad.", "  - <id>: is worse."],
      exitCode: ExitCode.Error,
      showUsage: true,
    });
    const environment = new InvalidCustomCsrArgsError([{ field: "baseUrl", reason: "is not a URL." }]);
    expect(describeFailure(environment)).toMatchObject({
      message: "invalid base URL (--base-url or CLOUDFLARE_BASE_URL): is not a URL.",
      exitCode: ExitCode.Error,
      showUsage: false,
    });
    const credentials = new InvalidCustomCsrArgsError([{ field: "credentials", reason: "are confusing." }]);
    expect(describeFailure(credentials)).toMatchObject({
      lines: ["invalid credentials: are confusing.", CLI_CREDENTIALS_HINT],
      showUsage: false,
    });
  });

  it("a CSR that fails verification is a failed check (1); API errors exit 2 with their message", () => {
    expect(describeFailure(new CsrVerificationError(["the signature fails"], "c1"))).toMatchObject({
      exitCode: ExitCode.CheckFailed,
      showUsage: false,
    });
    expect(describeFailure(new CsrVerificationError(['CN "a\nb" differs', "SANs differ"], "c1")).lines).toEqual([
      "The PEM of custom CSR c1 failed verification:",
      '  - CN "a\nb" differs',
      "  - SANs differ",
    ]);
    const notFound = new CustomCsrNotFoundError({ customCsrId: "c1", zoneId: "z1" });
    expect(describeFailure(notFound)).toEqual({
      message: notFound.message,
      lines: [notFound.message],
      exitCode: ExitCode.Error,
      showUsage: false,
    });
    expect(describeFailure(new CloudflareAuthError("denied", 403, [], "api-token"))).toMatchObject({
      message: "denied",
      exitCode: ExitCode.Error,
    });
    expect(describeFailure("a string")).toEqual({
      message: "a string",
      lines: ["a string"],
      exitCode: ExitCode.Error,
      showUsage: false,
    });
  });

  it("a message from elsewhere is one line, whatever it holds; only a MultiLineError is printed as several", () => {
    expect(describeFailure(new Error("denied\nerror: forged")).lines).toEqual(["denied\nerror: forged"]);
    expect(describeFailure(new MultiLineError(["pulumi failed:", "  error: no stack"])).lines).toEqual([
      "pulumi failed:",
      "  error: no stack",
    ]);
  });
});

describe("failureJson", () => {
  it("gives the error's name, message and data fields, never its stack or cause", () => {
    const error = new CloudflareAuthError(
      "denied",
      403,
      [{ code: 10000, message: "Authentication error" }],
      "api-token",
    );
    const json = failureJson(new Error("wrapped", { cause: error }), describeFailure(new Error("wrapped")));
    expect(json).toEqual({ error: { name: "Error", message: "wrapped" } });
    expect(failureJson(error, describeFailure(error))).toEqual({
      error: {
        name: "CloudflareAuthError",
        message: "denied",
        status: 403,
        errors: [{ code: 10000, message: "Authentication error" }],
        scheme: "api-token",
      },
    });
    expect(failureJson("text", describeFailure("text"))).toEqual({ error: { name: "Error", message: "text" } });
  });
});

describe("redactSecrets", () => {
  it("removes every credential the environment holds from relayed text, the email of a key included", () => {
    const env = {
      CLOUDFLARE_API_TOKEN: " tok-123456 ",
      CLOUDFLARE_API_KEY: "key-abcdef",
      PULUMI_CONFIG_PASSPHRASE: "pass phrase",
      CLOUDFLARE_EMAIL: "ops@acme.dev",
    };
    expect(redactSecrets("a tok-123456 b key-abcdef c pass phrase d ops@acme.dev tok-123456", env)).toBe(
      "a [redacted] b [redacted] c [redacted] d [redacted] [redacted]",
    );
  });

  it("covers any credential-named variable (a backend's secret key), and the value as JSON writes it", () => {
    const env = { AWS_SECRET_ACCESS_KEY: "wJalr/XUtnFEMI+K7MDENG", GITHUB_TOKEN: 'gh"p_0123', HOME: "/home/someone" };
    expect(redactSecrets('{"a":"wJalr/XUtnFEMI+K7MDENG","b":"gh\\"p_0123"} /home/someone', env)).toBe(
      '{"a":"[redacted]","b":"[redacted]"} /home/someone',
    );
  });

  it("a credential containing another is replaced whole", () => {
    expect(redactSecrets("x abcdef12-long-tail y", { A_TOKEN: "abcdef12", B_TOKEN: "abcdef12-long-tail" })).toBe(
      "x [redacted] y",
    );
  });

  it.each([
    ["shorter than 8 characters", "pulumi", "pulumi refresh --preview-only of stack dev failed"],
    ["a plain word", "Passphrase", "the Passphrase is wrong"],
    ["a plain lower-case word", "refreshing", "refreshing the stack"],
  ])("never rewrites ordinary text: a passphrase %s is left alone", (_what, passphrase, text) => {
    expect(redactSecrets(text, { PULUMI_CONFIG_PASSPHRASE: passphrase })).toBe(text);
  });

  it("leaves text alone when there is nothing to hide", () => {
    expect(redactSecrets("plain", {})).toBe("plain");
  });
});
