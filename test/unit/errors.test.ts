import {
  CertificateMismatchError,
  CloudflareApiError,
  CloudflareAuthError,
  CsrVerificationError,
  CustomCsrNotFoundError,
  InvalidCustomCsrArgsError,
} from "../../src/errors";

describe("CloudflareApiError", () => {
  it("is an Error carrying the status and Cloudflare's errors", () => {
    const error = new CloudflareApiError("boom", 502, [{ code: 10001, message: "Internal" }]);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("CloudflareApiError");
    expect(error.message).toBe("boom");
    expect(error.status).toBe(502);
    expect(error.errors).toEqual([{ code: 10001, message: "Internal" }]);
  });

  it("defaults to no Cloudflare errors and keeps a cause", () => {
    const cause = new Error("socket hang up");
    const error = new CloudflareApiError("no response", 0, undefined, { cause });
    expect(error.status).toBe(0);
    expect(error.errors).toEqual([]);
    expect(error.cause).toBe(cause);
  });
});

describe("CloudflareAuthError", () => {
  it("is a CloudflareApiError and an Error carrying the scheme", () => {
    const error = new CloudflareAuthError("denied", 403, [{ code: 10000, message: "Authentication error" }], "api-key");
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).not.toBeInstanceOf(CustomCsrNotFoundError);
    expect(error.name).toBe("CloudflareAuthError");
    expect(error.status).toBe(403);
    expect(error.scheme).toBe("api-key");
    expect(error.errors).toEqual([{ code: 10000, message: "Authentication error" }]);
  });
});

describe("CustomCsrNotFoundError", () => {
  it("is a CloudflareApiError with status 404 naming the id and the account", () => {
    const error = new CustomCsrNotFoundError({ customCsrId: "csr-1", accountId: "abc123" });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect(error).not.toBeInstanceOf(CloudflareAuthError);
    expect(error.name).toBe("CustomCsrNotFoundError");
    expect(error.status).toBe(404);
    expect(error.errors).toEqual([]);
    expect(error.message).toContain("Custom CSR csr-1 was not found in account abc123");
    expect(error.message).toContain("`custom-csr list --account abc123`");
    expect(error.customCsrId).toBe("csr-1");
    expect(error.accountId).toBe("abc123");
    expect(error.zoneId).toBeUndefined();
  });

  it("names the zone for a zone-scoped lookup", () => {
    const error = new CustomCsrNotFoundError({ customCsrId: "csr-2", zoneId: "def456" }, [
      { code: 1419, message: "not found" },
    ]);
    expect(error.message).toContain("Custom CSR csr-2 was not found in zone def456");
    expect(error.message).toContain("`custom-csr list --zone def456`");
    expect(error.zoneId).toBe("def456");
    expect(error.accountId).toBeUndefined();
    expect(error.errors).toEqual([{ code: 1419, message: "not found" }]);
  });
});

describe("InvalidCustomCsrArgsError", () => {
  it("is an Error but not a CloudflareApiError", () => {
    const error = new InvalidCustomCsrArgsError([{ field: "customCsrId", reason: "is required." }]);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(CloudflareApiError);
    expect(error.name).toBe("InvalidCustomCsrArgsError");
  });

  it("a single problem reads as one sentence naming the field", () => {
    const error = new InvalidCustomCsrArgsError([{ field: "customCsrId", reason: "is required." }]);
    expect(error.message).toBe("Invalid customCsrId: is required.");
    expect(error.problems).toEqual([{ field: "customCsrId", reason: "is required." }]);
  });

  it("several problems are listed one per line", () => {
    const error = new InvalidCustomCsrArgsError([
      { field: "customCsrId", reason: "is required." },
      { field: "accountId", reason: "is not hex." },
    ]);
    expect(error.message).toBe("Invalid arguments:\n  - customCsrId: is required.\n  - accountId: is not hex.");
    expect(error.problems).toHaveLength(2);
  });
});

describe("CsrVerificationError", () => {
  it("is an Error but not a CloudflareApiError", () => {
    const error = new CsrVerificationError(["the signature does not verify"]);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(CloudflareApiError);
    expect(error.name).toBe("CsrVerificationError");
  });

  it("a single mismatch reads as one sentence, without an id when none is known", () => {
    const error = new CsrVerificationError(["the signature does not verify"]);
    expect(error.message).toBe("The CSR failed verification: the signature does not verify");
    expect(error.mismatches).toEqual(["the signature does not verify"]);
    expect(error.customCsrId).toBeUndefined();
  });

  it("several mismatches are listed one per line, naming the custom CSR id", () => {
    const error = new CsrVerificationError(["a", "b"], "csr-9");
    expect(error.message).toBe("The PEM of custom CSR csr-9 failed verification:\n  - a\n  - b");
    expect(error.customCsrId).toBe("csr-9");
    expect(error.mismatches).toEqual(["a", "b"]);
  });
});

describe("CertificateMismatchError", () => {
  it("is an Error but not a CloudflareApiError", () => {
    const error = new CertificateMismatchError(["it expired 2026-01-01T00:00:00.000Z"]);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(CloudflareApiError);
    expect(error.name).toBe("CertificateMismatchError");
  });

  it("a single problem reads as one sentence, without an id when none is known", () => {
    const error = new CertificateMismatchError(["it was issued for another key"]);
    expect(error.message).toBe("The certificate does not fit the CSR: it was issued for another key");
    expect(error.problems).toEqual(["it was issued for another key"]);
    expect(error.customCsrId).toBeUndefined();
  });

  it("several problems are listed one per line, naming the custom CSR id", () => {
    const error = new CertificateMismatchError(["a", "b"], "csr-9");
    expect(error.message).toBe("The certificate does not fit custom CSR csr-9:\n  - a\n  - b");
    expect(error.customCsrId).toBe("csr-9");
  });
});
