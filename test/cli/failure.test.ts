import { ExitCode } from "../../src/cli/exit-codes";
import { describeFailure, redactSecrets, UsageError } from "../../src/cli/failure";
import { CloudflareAuthError, CsrVerificationError, CustomCsrNotFoundError, InvalidCustomCsrArgsError } from "../../src/errors";

describe("describeFailure", () => {
  it("usage errors exit 2 with the usage line", () => {
    expect(describeFailure(new UsageError("one of --account or --zone is required"))).toEqual({ message: "one of --account or --zone is required", exitCode: ExitCode.Error, showUsage: true });
  });

  it("names argument problems by their flags; a usage line only for what was typed on the command line", () => {
    const typed = new InvalidCustomCsrArgsError([{ field: "accountId", reason: "is bad." }, { field: "customCsrId", reason: "is worse." }]);
    expect(describeFailure(typed)).toEqual({ message: "invalid arguments:\n  - --account: is bad.\n  - <id>: is worse.", exitCode: ExitCode.Error, showUsage: true });
    const environment = new InvalidCustomCsrArgsError([{ field: "baseUrl", reason: "is not a URL." }]);
    expect(describeFailure(environment)).toEqual({ message: "invalid base URL (--base-url or CLOUDFLARE_BASE_URL): is not a URL.", exitCode: ExitCode.Error, showUsage: false });
    const credentials = new InvalidCustomCsrArgsError([{ field: "credentials", reason: "are confusing." }]);
    expect(describeFailure(credentials)).toMatchObject({ message: "invalid credentials: are confusing.", showUsage: false });
  });

  it("a CSR that fails verification is a failed check (1); API errors exit 2 with their message", () => {
    expect(describeFailure(new CsrVerificationError(["the signature fails"], "c1"))).toMatchObject({ exitCode: ExitCode.CheckFailed, showUsage: false });
    const notFound = new CustomCsrNotFoundError({ customCsrId: "c1", zoneId: "z1" });
    expect(describeFailure(notFound)).toEqual({ message: notFound.message, exitCode: ExitCode.Error, showUsage: false });
    expect(describeFailure(new CloudflareAuthError("denied", 403, [], "api-token"))).toMatchObject({ message: "denied", exitCode: ExitCode.Error });
    expect(describeFailure("a string")).toEqual({ message: "a string", exitCode: ExitCode.Error, showUsage: false });
  });
});

describe("redactSecrets", () => {
  it("removes every credential the environment holds from relayed text", () => {
    const env = { CLOUDFLARE_API_TOKEN: " tok-123456 ", CLOUDFLARE_API_KEY: "key-abcdef", PULUMI_CONFIG_PASSPHRASE: "pass-phrase", CLOUDFLARE_EMAIL: "ops@acme.dev" };
    expect(redactSecrets("a tok-123456 b key-abcdef c pass-phrase d ops@acme.dev tok-123456", env)).toBe("a [redacted] b [redacted] c [redacted] d ops@acme.dev [redacted]");
  });

  it("leaves text alone when there is nothing to hide (and ignores values too short to be credentials)", () => {
    expect(redactSecrets("the word a", { CLOUDFLARE_API_TOKEN: "a" })).toBe("the word a");
    expect(redactSecrets("plain", {})).toBe("plain");
  });
});
