import { createHash } from "node:crypto";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import type { DecodedCsr } from "../../src/csr";
import { toResult } from "../../src/lookup/result";
import { observedDigest, observedOf, observedRecord, recordedDigest } from "../../src/provider/drift-digest";

const PEM = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBfake\n-----END CERTIFICATE REQUEST-----\n";
const CSR_ID = "7b163417-1d2b-4c84-a38a-2fb7a0cd7752";
const ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353";
const ZONE = "9a7806061c88ada191ed06f989cc3dac";

const decoded: DecodedCsr = {
  subject: "CN=www.example.com,OU=Web,O=Example,L=San Francisco,ST=California,C=US",
  commonNames: ["www.example.com"],
  sans: ["www.example.com", "example.com"],
  publicKeyAlgorithm: "RSA-2048",
  publicKeySha256: "ab".repeat(32),
  signatureValid: true,
};

const fullApi: ApiCustomCsr & { csr: string } = {
  id: CSR_ID,
  created_at: "2025-01-02T03:04:05Z",
  key_type: "rsa2048",
  account_tag: "tag-1",
  common_name: "www.example.com",
  country: "US",
  csr: PEM,
  description: "edge cert",
  locality: "San Francisco",
  name: "web",
  organization: "Example",
  organizational_unit: "Web",
  sans: ["www.example.com", "example.com"],
  state: "California",
};

const minimalApi: ApiCustomCsr & { csr: string } = {
  id: CSR_ID,
  created_at: "2025-01-02T03:04:05Z",
  key_type: "p256v1",
  csr: PEM,
};

describe("toResult", () => {
  it("maps every API field to its camelCase output", () => {
    expect(toResult(CSR_ID, { accountId: ACCOUNT }, fullApi, decoded)).toEqual({
      customCsrId: CSR_ID,
      accountId: ACCOUNT,
      pem: PEM,
      sans: ["www.example.com", "example.com"],
      commonName: "www.example.com",
      keyType: "rsa2048",
      name: "web",
      description: "edge cert",
      organization: "Example",
      organizationalUnit: "Web",
      country: "US",
      state: "California",
      locality: "San Francisco",
      accountTag: "tag-1",
      createdAt: "2025-01-02T03:04:05Z",
      subject: decoded.subject,
      publicKeyAlgorithm: "RSA-2048",
      publicKeySha256: decoded.publicKeySha256,
    });
  });

  it("keeps no snake_case keys", () => {
    const keys = Object.keys(toResult(CSR_ID, { accountId: ACCOUNT }, fullApi, decoded));
    expect(keys.filter((k) => k.includes("_"))).toEqual([]);
    expect(keys).not.toContain("csr");
    expect(keys).not.toContain("id");
  });

  it("omits absent optional fields instead of setting them to undefined", () => {
    const result = toResult(CSR_ID, { accountId: ACCOUNT }, minimalApi, decoded);
    expect(Object.keys(result).sort()).toEqual(
      [
        "accountId",
        "createdAt",
        "customCsrId",
        "keyType",
        "pem",
        "publicKeyAlgorithm",
        "publicKeySha256",
        "subject",
      ].sort(),
    );
    for (const absent of [
      "sans",
      "commonName",
      "name",
      "description",
      "organization",
      "organizationalUnit",
      "country",
      "state",
      "locality",
      "accountTag",
      "zoneId",
    ]) {
      expect(result).not.toHaveProperty(absent);
    }
    expect(Object.values(result)).not.toContain(undefined);
  });

  it("a zone lookup has zoneId and no accountId key", () => {
    const result = toResult(CSR_ID, { zoneId: ZONE }, minimalApi, decoded);
    expect(result.zoneId).toBe(ZONE);
    expect(result).not.toHaveProperty("accountId");
  });

  it("copies the sans list so the result does not share the API's array", () => {
    const result = toResult(CSR_ID, { accountId: ACCOUNT }, fullApi, decoded);
    expect(result.sans).toEqual(fullApi.sans);
    expect(result.sans).not.toBe(fullApi.sans);
  });

  it("keeps an empty string field as given rather than dropping it", () => {
    expect(toResult(CSR_ID, { accountId: ACCOUNT }, { ...minimalApi, description: "" }, decoded).description).toBe("");
  });
});

describe("observedOf", () => {
  const result = toResult(CSR_ID, { accountId: ACCOUNT }, fullApi, decoded);
  const EXCLUDED = ["pem", "customCsrId", "accountId", "zoneId", "subject", "publicKeyAlgorithm", "publicKeySha256"];

  it("excludes the PEM, the lookup identity and the facts decoded from the PEM, and adds the PEM's SHA-256", () => {
    const observed = observedOf(result);
    for (const excluded of EXCLUDED) {
      expect(observed).not.toHaveProperty(excluded);
    }
    expect(observed.pemSha256).toBe(createHash("sha256").update(PEM).digest("hex"));
    expect(observed.sans).toEqual(fullApi.sans);
    expect(observed.commonName).toBe("www.example.com");
  });

  it("keeps every other field of the result unchanged, under keys in sorted order", () => {
    const observed: Record<string, unknown> = { ...observedOf(result) };
    const kept = Object.keys(result).filter((key) => !EXCLUDED.includes(key));
    expect(Object.keys(observed)).toEqual([...kept, "pemSha256"].sort());
    for (const key of kept) expect(observed[key]).toEqual(result[key as keyof typeof result]);
  });

  it("omits fields the result does not have", () => {
    const observed = observedOf(toResult(CSR_ID, { zoneId: ZONE }, minimalApi, decoded));
    expect(Object.keys(observed)).toEqual(["createdAt", "keyType", "pemSha256"]);
  });

  it("skips a key whose value is undefined", () => {
    const observed = observedOf({ ...result, description: undefined });
    expect(observed).not.toHaveProperty("description");
  });

  it("changes its pemSha256 when only the PEM changes", () => {
    const other = observedOf({ ...result, pem: PEM.replace("fake", "real") });
    expect(other.pemSha256).not.toBe(observedOf(result).pemSha256);
  });
});

describe("observedDigest", () => {
  const result = toResult(CSR_ID, { accountId: ACCOUNT }, fullApi, decoded);

  it("is 64 lower-case hex digits", () => {
    expect(observedDigest(result)).toMatch(/^[0-9a-f]{64}$/);
  });

  // Every stack records this digest: if the field set or the serialisation changed, every existing CustomCsr
  // would show an update. These values were computed by the release that introduced the digest.
  it("is the same digest existing stacks recorded for a known record", () => {
    expect(observedDigest(result)).toBe("d1e9581030b2ade6a3efd584427b73ceb8521505e1cbc1be480e5f80c41197d6");
    const minimal = toResult(CSR_ID, { zoneId: ZONE }, minimalApi, decoded);
    expect(observedDigest(minimal)).toBe("24a8e1d48dd8e6c4b785f9f2a46297763fd5d8fec09acd7062509d3210d8dd4d");
  });

  it.each([
    ["an API field", { name: "renamed" }],
    ["the SANs", { sans: ["other.example.com"] }],
    ["the PEM", { pem: PEM.replace("fake", "real") }],
    ["a field's absence", { description: undefined }],
  ])("changes with %s", (_what, change) => {
    expect(observedDigest({ ...result, ...change })).not.toBe(observedDigest(result));
  });

  it("ignores the lookup scope and the facts decoded from the PEM", () => {
    const elsewhere = { ...result, accountId: "other", subject: "CN=x", publicKeySha256: "00" };
    expect(observedDigest(elsewhere)).toBe(observedDigest(result));
  });
});

describe("recordedDigest", () => {
  const result = toResult(CSR_ID, { accountId: ACCOUNT }, fullApi, decoded);

  it("is the digest before the dot of a recorded observedRecord", () => {
    expect(recordedDigest(observedRecord(result))).toBe(observedDigest(result));
    expect(recordedDigest("d1")).toBe("d1");
  });

  it("has nothing for a missing record or one that is not a string", () => {
    expect(recordedDigest(undefined)).toBeUndefined();
    expect(recordedDigest(null)).toBeUndefined();
    expect(recordedDigest({ pemSha256: "00" })).toBeUndefined();
  });
});
