import { DEFAULT_BASE_URL, isLoopbackHost, validateBaseUrl } from "../../src/cloudflare/endpoint";
import { resolveBaseUrl } from "../../src/lookup/connection-settings";
import { InvalidCustomCsrArgsError } from "../../src/errors";

function rejection(raw: string): InvalidCustomCsrArgsError {
  try {
    validateBaseUrl(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCustomCsrArgsError);
    return error as InvalidCustomCsrArgsError;
  }
  throw new Error(`expected ${raw} to be refused`);
}

/** Candidates as `resolveBaseUrl` reads them, one getter each. */
const given = (...values: (string | undefined)[]) => values.map((value) => () => value);

describe("resolveBaseUrl", () => {
  it("defaults to Cloudflare's production API", () => {
    expect(DEFAULT_BASE_URL).toBe("https://api.cloudflare.com/client/v4");
    expect(resolveBaseUrl(given())).toBe("https://api.cloudflare.com/client/v4");
    expect(resolveBaseUrl(given(undefined, undefined, undefined))).toBe(DEFAULT_BASE_URL);
  });

  it("the first candidate given wins", () => {
    expect(resolveBaseUrl(given("https://one.example/v4", "https://two.example/v4", "https://three.example/v4"))).toBe(
      "https://one.example/v4",
    );
    expect(resolveBaseUrl(given(undefined, "https://two.example/v4", "https://three.example/v4"))).toBe(
      "https://two.example/v4",
    );
    expect(resolveBaseUrl(given(undefined, undefined, "https://three.example/v4"))).toBe("https://three.example/v4");
  });

  it("blank candidates count as unset", () => {
    expect(resolveBaseUrl(given("", "   ", "https://three.example/v4"))).toBe("https://three.example/v4");
    expect(resolveBaseUrl(given(" \t "))).toBe(DEFAULT_BASE_URL);
  });

  it("reads a candidate only when those before it are unset", () => {
    const read: string[] = [];
    const candidate = (name: string, value: string | undefined) => () => (read.push(name), value);
    resolveBaseUrl([candidate("option", "https://one.example/v4"), candidate("config", "https://two.example/v4")]);
    expect(read).toEqual(["option"]);
  });

  it("trims whitespace around the chosen candidate", () => {
    expect(resolveBaseUrl(given("  https://one.example/v4/  "))).toBe("https://one.example/v4");
  });

  it("validates the chosen candidate instead of falling through to the next one", () => {
    expect(() => resolveBaseUrl(given("http://evil.example/v4", "https://fine.example/v4"))).toThrow(
      InvalidCustomCsrArgsError,
    );
  });
});

describe("validateBaseUrl", () => {
  it("strips a trailing slash", () => {
    expect(validateBaseUrl("https://api.cloudflare.com/client/v4/")).toBe("https://api.cloudflare.com/client/v4");
    expect(validateBaseUrl("https://api.cloudflare.com/client/v4///")).toBe("https://api.cloudflare.com/client/v4");
    expect(validateBaseUrl("https://api.example.com")).toBe("https://api.example.com");
  });

  it("keeps the port and path of an https URL", () => {
    expect(validateBaseUrl("https://proxy.internal:8443/cf/client/v4")).toBe(
      "https://proxy.internal:8443/cf/client/v4",
    );
  });

  it.each([
    ["http://localhost:8787/client/v4", "http://localhost:8787/client/v4"],
    ["http://LOCALHOST/v4/", "http://localhost/v4"],
    ["http://127.0.0.1:9000", "http://127.0.0.1:9000"],
    ["http://127.45.6.7/v4", "http://127.45.6.7/v4"],
    ["http://[::1]:8787/client/v4", "http://[::1]:8787/client/v4"],
  ])("plain http is accepted on the loopback host of %s", (raw, expected) => {
    expect(validateBaseUrl(raw)).toBe(expected);
  });

  it.each([
    "http://api.cloudflare.com/client/v4",
    "http://127.0.0.1.evil.com/v4",
    "http://localhost.evil.com/v4",
    "http://10.0.0.1/v4",
    "http://192.168.1.10:8787",
    "http://0.0.0.0:8787",
    "http://[::2]/v4",
    "http://128.0.0.1/v4",
  ])("plain http is refused for the non-loopback host of %s", (raw) => {
    const error = rejection(raw);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0].field).toBe("baseUrl");
    expect(error.message).toContain("only allowed for loopback hosts");
  });

  it("refuses a user name or password in the URL without echoing it", () => {
    for (const raw of [
      "https://user:pw-SECRET-1@api.example.com/v4",
      "http://tok-SECRET-123@localhost:8787",
      "http://127.0.0.1:80@evil.com",
    ]) {
      const error = rejection(raw);
      expect(error.message).toContain("must not contain a user name or password");
      expect(error.message).not.toContain("SECRET");
    }
  });

  it.each(["https://api.example.com/v4?x=1", "https://api.example.com/v4#frag", "http://localhost:8787/v4?debug"])(
    "refuses the query or fragment in %s",
    (raw) => {
      expect(rejection(raw).message).toContain("must not contain a query string or fragment");
    },
  );

  it.each(["https://api.example.com/v4?", "https://api.example.com/v4#"])(
    "refuses the empty query or fragment marker in %s (it would swallow the request path)",
    (raw) => {
      expect(() => validateBaseUrl(raw)).toThrow(InvalidCustomCsrArgsError);
    },
  );

  it.each([
    "ftp://api.example.com/v4",
    "file:///etc/passwd",
    "ws://localhost:8787",
    "javascript:alert(1)",
    "data:text/plain,hi",
  ])("refuses the non-http scheme of %s", (raw) => {
    const error = rejection(raw);
    expect(error.problems[0].field).toBe("baseUrl");
    expect(error.message).toContain("unsupported scheme");
  });

  it.each(["not a url", "api.cloudflare.com/client/v4", "https://", "://x", ""])("refuses the garbage %j", (raw) => {
    const error = rejection(raw);
    expect(error.problems[0].field).toBe("baseUrl");
    expect(error.message).toContain("is not a URL");
    expect(error.message).toContain(DEFAULT_BASE_URL);
  });

  it.each([
    ["https://deploy:s3cret-pw@[bad/client/v4", "https://[redacted]@[bad/client/v4"],
    ["https://a:b@c:d@host:-1/x", "https://[redacted]@host:-1/x"],
  ])("quotes an unparsable %j without what may be a user name and password", (raw, quoted) => {
    const error = rejection(raw);
    expect(error.message).toContain(`"${quoted}" is not a URL`);
    expect(error.message).not.toMatch(/s3cret|deploy|a:b/);
  });

  it("refuses user:password@host without a scheme as userinfo, never quoting it as a scheme", () => {
    const error = rejection("deploy:s3cret-pw@api.example.com");
    expect(error.message).toContain("must not contain a user name or password");
    expect(error.message).not.toMatch(/s3cret|deploy/);
  });

  it("cuts a long unparsable base URL when quoting it", () => {
    const error = rejection(`https://${"x".repeat(5000)} y`);
    expect(error.message.length).toBeLessThan(400);
  });
});

describe("isLoopbackHost", () => {
  it.each(["localhost", "LocalHost", "127.0.0.1", "127.255.255.254", "::1", "[::1]"])("%s is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    "127.0.0.1.evil.com",
    "localhost.evil.com",
    "evil-localhost",
    "10.0.0.1",
    "127.0.0",
    "127.0.0.256",
    "127.a.0.1",
    "::2",
    "",
  ])("%j is not loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
