import {
  errorFromResponse,
  MAX_RELAYED_ERRORS,
  MAX_RELAYED_MESSAGE,
  summarize,
  type RequestContext,
} from "../../src/cloudflare/error-mapping";
import type { CsrScope } from "../../src/cloudflare/scope";
import type { ApiMessage } from "../../src/cloudflare/types";
import { CloudflareApiError, CloudflareAuthError, CustomCsrNotFoundError } from "../../src/errors";

const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const ZONE = "9a7806061c88ada191ed06f989cc3dac";
const CSR_ID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";

function context(overrides: Partial<RequestContext> & { scope?: CsrScope } = {}): RequestContext {
  const scope = overrides.scope ?? { accountId: ACCOUNT };
  const path = `/${scope.accountId !== undefined ? `accounts/${scope.accountId}` : `zones/${scope.zoneId}`}/custom_csrs/${CSR_ID}`;
  return { description: `GET ${path}`, scope, customCsrId: CSR_ID, scheme: "api-token", attempts: 1, ...overrides };
}

const notFound: ApiMessage[] = [{ code: 1419, message: "Custom CSR not found" }];
const authFailure: ApiMessage[] = [{ code: 10000, message: "Authentication error" }];

describe("errorFromResponse: not found", () => {
  it("a 404 with code 1419 for one CSR is CustomCsrNotFoundError naming the id and the account", () => {
    const error = errorFromResponse(404, notFound, context());
    expect(error).toBeInstanceOf(CustomCsrNotFoundError);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error.status).toBe(404);
    expect(error.errors).toEqual([{ code: 1419, message: "Custom CSR not found" }]);
    expect(error.message).toContain(CSR_ID);
    expect(error.message).toContain(`account ${ACCOUNT}`);
    const notFoundError = error as CustomCsrNotFoundError;
    expect(notFoundError.customCsrId).toBe(CSR_ID);
    expect(notFoundError.accountId).toBe(ACCOUNT);
    expect(notFoundError.zoneId).toBeUndefined();
  });

  it("a 404 with code 1419 in a zone names the zone", () => {
    const error = errorFromResponse(404, notFound, context({ scope: { zoneId: ZONE } })) as CustomCsrNotFoundError;
    expect(error).toBeInstanceOf(CustomCsrNotFoundError);
    expect(error.message).toContain(`zone ${ZONE}`);
    expect(error.zoneId).toBe(ZONE);
    expect(error.accountId).toBeUndefined();
  });

  it("a bare 404 (a proxy or a wrong base URL) is a CloudflareApiError but never CustomCsrNotFoundError", () => {
    const error = errorFromResponse(404, [], context());
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).not.toBeInstanceOf(CustomCsrNotFoundError);
    expect(error.status).toBe(404);
    expect(error.errors).toEqual([]);
    expect(error.message).toContain("HTTP 404");
  });

  it("a 404 with another Cloudflare code is not CustomCsrNotFoundError", () => {
    expect(errorFromResponse(404, [{ code: 7000, message: "No route for that URI" }], context())).not.toBeInstanceOf(
      CustomCsrNotFoundError,
    );
  });

  it("code 1419 with a status other than 404 is not CustomCsrNotFoundError", () => {
    expect(errorFromResponse(500, notFound, context())).not.toBeInstanceOf(CustomCsrNotFoundError);
  });

  it("a 404 with code 1419 on a request for no particular CSR (a list) is not CustomCsrNotFoundError", () => {
    const error = errorFromResponse(
      404,
      notFound,
      context({ customCsrId: undefined, description: `GET /accounts/${ACCOUNT}/custom_csrs` }),
    );
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).not.toBeInstanceOf(CustomCsrNotFoundError);
  });
});

describe("errorFromResponse: authentication", () => {
  it.each([401, 403])("HTTP %i is CloudflareAuthError naming the permission and the API token scheme", (status) => {
    const error = errorFromResponse(status, authFailure, context());
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error.status).toBe(status);
    expect(error.errors).toEqual([{ code: 10000, message: "Authentication error" }]);
    expect((error as CloudflareAuthError).scheme).toBe("api-token");
    expect(error.message).toContain('"SSL and Certificates Read"');
    expect(error.message).toContain("API token");
    expect(error.message).toContain(`account ${ACCOUNT}`);
  });

  it("code 10000 under HTTP 400 is still an authentication error", () => {
    const error = errorFromResponse(400, authFailure, context());
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect(error.status).toBe(400);
    expect(error.message).toContain("SSL and Certificates Read");
  });

  it("a 403 without any Cloudflare code is an authentication error", () => {
    const error = errorFromResponse(403, [], context());
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect(error.message).toContain("HTTP 403");
  });

  it("names the API key scheme and asks to check the email for key auth", () => {
    const error = errorFromResponse(403, authFailure, context({ scheme: "api-key" })) as CloudflareAuthError;
    expect(error.scheme).toBe("api-key");
    expect(error.message).toContain("API key and email");
    expect(error.message).toContain("the email matches the key");
  });

  it("asks to check the zone id for a zone-scoped request", () => {
    const error = errorFromResponse(403, authFailure, context({ scope: { zoneId: ZONE } }));
    expect(error.message).toContain(`zone ${ZONE}`);
    expect(error.message).toContain("this zone id is one the credential can access");
  });

  it("reads 400 / 1402 (no Authorization header arrived, e.g. a proxy stripped it) as an auth error", () => {
    const messages: ApiMessage[] = [{ code: 1402, message: "The request has no Authorization header." }];
    expect(errorFromResponse(400, messages, context())).toBeInstanceOf(CloudflareAuthError);
  });

  it("flattens error_chain codes: 6003 with cause 6111 counts as auth, and both codes are kept", () => {
    const messages: ApiMessage[] = [
      {
        code: 6003,
        message: "Invalid request headers",
        error_chain: [{ code: 6111, message: "Invalid format for Authorization header" }],
      },
    ];
    const error = errorFromResponse(400, messages, context());
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect(error.errors).toEqual([
      { code: 6003, message: "Invalid request headers" },
      { code: 6111, message: "Invalid format for Authorization header" },
    ]);
    expect(error.message).toContain(
      'code 6003 "Invalid request headers", code 6111 "Invalid format for Authorization header"',
    );
  });

  it("an auth code found only deep in the error_chain still counts as auth", () => {
    const messages: ApiMessage[] = [
      {
        code: 1000,
        message: "outer",
        error_chain: [
          { code: 1001, message: "middle", error_chain: [{ code: 10000, message: "Authentication error" }] },
        ],
      },
    ];
    const error = errorFromResponse(400, messages, context());
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect(error.errors.map((e) => e.code)).toEqual([1000, 1001, 10000]);
  });
});

describe("errorFromResponse: routing", () => {
  it.each([7003, 7000])("HTTP 400 with code %i says the account id is probably wrong", (code) => {
    const error = errorFromResponse(400, [{ code, message: "Could not route to /accounts/example.com" }], context());
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).not.toBeInstanceOf(CloudflareAuthError);
    expect(error).not.toBeInstanceOf(CustomCsrNotFoundError);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([{ code, message: "Could not route to /accounts/example.com" }]);
    expect(error.message).toContain(`the account id "${ACCOUNT}" is probably wrong`);
    expect(error.message).toContain("32-character hex account id");
  });

  it("HTTP 400 with code 7003 in a zone says the zone id is probably wrong", () => {
    const error = errorFromResponse(
      400,
      [{ code: 7003, message: "Could not route" }],
      context({ scope: { zoneId: ZONE } }),
    );
    expect(error.message).toContain(`the zone id "${ZONE}" is probably wrong`);
  });

  it("a routing code with a status other than 400 is a generic API error", () => {
    const error = errorFromResponse(404, [{ code: 7003, message: "Could not route" }], context());
    expect(error.message).not.toContain("probably wrong");
  });
});

describe("errorFromResponse: other failures", () => {
  it("a single-attempt failure does not mention attempts", () => {
    const error = errorFromResponse(500, [{ code: 10001, message: "Internal error" }], context());
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).not.toBeInstanceOf(CloudflareAuthError);
    expect(error.status).toBe(500);
    expect(error.message).toBe(
      `Cloudflare API GET /accounts/${ACCOUNT}/custom_csrs/${CSR_ID} failed: HTTP 500, code 10001 "Internal error".`,
    );
    expect(error.message).not.toContain("attempt");
  });

  it("a failure after retries says how many attempts were made", () => {
    const error = errorFromResponse(503, [], context({ attempts: 5 }));
    expect(error.message).toContain("failed after 5 attempts: HTTP 503.");
  });
});

describe("summarize", () => {
  it("describes a bare status", () => {
    expect(summarize(502, [])).toBe("HTTP 502");
  });

  it("lists every code with its message", () => {
    expect(
      summarize(403, [
        { code: 10000, message: "Authentication error" },
        { code: 9109, message: "Unauthorized to access requested resource" },
      ]),
    ).toBe('HTTP 403, code 10000 "Authentication error", code 9109 "Unauthorized to access requested resource"');
  });
});

describe("errorFromResponse: advice", () => {
  it.each([
    ["a 404 without code 1419", 404, []],
    ["a 400 with code 7000", 400, [{ code: 7000, message: "No route for that URI" }]],
  ])("%s from a base URL without /client/v4 says the base URL probably lacks it", (_, status, messages) => {
    const withoutPath = context({ baseUrl: "https://api.cloudflare.com" });
    const error = errorFromResponse(status as number, messages as ApiMessage[], withoutPath);
    expect(error).not.toBeInstanceOf(CustomCsrNotFoundError);
    expect(error.message).toContain("The base URL https://api.cloudflare.com probably lacks /client/v4");
    expect(error.message).not.toContain("probably wrong");
  });

  it("gives no base URL advice when the base URL ends in /client/v4", () => {
    const withPath = context({ baseUrl: "http://127.0.0.1:8787/client/v4" });
    const error = errorFromResponse(400, [{ code: 7003, message: "Could not route" }], withPath);
    expect(error.message).not.toContain("lacks /client/v4");
    expect(error.message).toContain("is probably wrong");
  });

  it("a 404 with code 1419 stays a not-found even from a base URL without /client/v4", () => {
    const withoutPath = context({ baseUrl: "http://127.0.0.1:8787" });
    expect(errorFromResponse(404, notFound, withoutPath)).toBeInstanceOf(CustomCsrNotFoundError);
  });

  it.each([
    [1404, "Access to generating CSRs has not been granted for this zone."],
    [1403, "No quota has been allocated for this zone."],
    [9999, "Custom CSR ENTITLEMENT required"],
  ])("a 403 saying access to custom CSRs was not granted (code %i) gets its own sentence", (code, message) => {
    const error = errorFromResponse(403, [{ code, message }], context());
    expect(error).toBeInstanceOf(CloudflareAuthError);
    expect(error.message).toContain(`account ${ACCOUNT} has not been granted access to custom CSRs`);
    expect(error.message).toContain("Cloudflare for SaaS");
    expect(error.message).not.toContain("permission on");
  });
});

describe("errorFromResponse: relayed text", () => {
  it(`keeps the first ${MAX_RELAYED_ERRORS} error entries and counts the rest`, () => {
    const messages = Array.from({ length: 25 }, (_, i) => ({ code: 2000 + i, message: `problem ${i}` }));
    const error = errorFromResponse(500, messages, context());
    expect(error.errors).toHaveLength(MAX_RELAYED_ERRORS);
    expect(error.message).toContain('code 2009 "problem 9" (15 more)');
    expect(error.message).not.toContain("problem 10");
  });

  it(`cuts each relayed message to ${MAX_RELAYED_MESSAGE} characters, saying so`, () => {
    const error = errorFromResponse(500, [{ code: 1500, message: "y".repeat(10_000) }], context());
    const more = 10_000 - MAX_RELAYED_MESSAGE;
    expect(error.errors[0].message).toBe(`${"y".repeat(MAX_RELAYED_MESSAGE)}... (${more} more characters)`);
  });

  it("removes credentials before cutting, so no part of one survives at the cut", () => {
    const secret = "tok-" + "s".repeat(40);
    const message = `${"x".repeat(MAX_RELAYED_MESSAGE - 10)}${secret}`;
    const redact = (text: string) => text.split(secret).join("[redacted]");
    const error = errorFromResponse(500, [{ code: 1500, message }], context({ redact }));
    expect(error.errors[0].message).toContain("[redacted]");
    expect(error.message).not.toContain("tok-ssss");
  });
});
