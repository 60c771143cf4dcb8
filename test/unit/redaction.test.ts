import * as util from "node:util";
import { CloudflareApiError, CsrVerificationError, InvalidCustomCsrArgsError } from "../../src/errors";
import { REDACTED, redactorFor } from "../../src/errors/redaction";

const TOKEN = "tok-Secret-7f3a9c1e5b2d";
const EMAIL = "ops+cf@acme.dev";

describe("redactorFor: text", () => {
  const redact = redactorFor([TOKEN, EMAIL]).text;

  it("replaces every occurrence of every secret", () => {
    const redacted = redact(`Bearer ${TOKEN} for ${EMAIL}, again ${TOKEN}`);
    expect(redacted).toBe(`Bearer ${REDACTED} for ${REDACTED}, again ${REDACTED}`);
  });

  it("matches any letter case and the URL-encoded form", () => {
    expect(redact(`${TOKEN.toUpperCase()} ${encodeURIComponent(EMAIL)}`)).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("treats secrets as text, not as patterns", () => {
    expect(redactorFor(["a.b*c+d"]).text("aXbbbcd a.b*c+d")).toBe(`aXbbbcd ${REDACTED}`);
  });

  it("replaces a secret that contains another one whole", () => {
    expect(redactorFor(["abcd", "abcdefgh"]).text("abcdefgh")).toBe(REDACTED);
  });

  it("ignores values too short to be credentials, and leaves text alone without secrets", () => {
    expect(redactorFor(["abc", ""]).text("abc abc")).toBe("abc abc");
    expect(redactorFor([]).text("plain")).toBe("plain");
  });
});

describe("redactorFor: errors", () => {
  const redactor = redactorFor([TOKEN, EMAIL]);
  const renderings = (error: Error) => [error.message, String(error.stack), JSON.stringify(error), util.inspect(error)];

  it("rewrites message, stack and the errors list of a CloudflareApiError in place", () => {
    const error = new CloudflareApiError(`echoed ${TOKEN}`, 400, [{ code: 6003, message: `bad ${EMAIL}` }]);
    expect(redactor.error(error)).toBe(error);
    for (const text of renderings(error)) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(EMAIL);
    }
    expect(error.errors).toEqual([{ code: 6003, message: `bad ${REDACTED}` }]);
    expect(error).toBeInstanceOf(CloudflareApiError);
  });

  it("reaches strings in arrays of strings and of plain objects (mismatches, problems)", () => {
    const verification = redactor.error(new CsrVerificationError([`common_name "${TOKEN}"`, "other"], "csr-1"));
    expect(verification.mismatches).toEqual([`common_name "${REDACTED}"`, "other"]);
    const invalid = redactor.error(new InvalidCustomCsrArgsError([{ field: "x", reason: `was ${EMAIL}` }]));
    expect(invalid.problems).toEqual([{ field: "x", reason: `was ${REDACTED}` }]);
    expect(util.inspect(invalid)).not.toContain(EMAIL);
  });

  it("returns anything that is not an Error unchanged", () => {
    expect(redactor.error(TOKEN)).toBe(TOKEN);
    expect(redactor.error(undefined)).toBeUndefined();
  });
});
