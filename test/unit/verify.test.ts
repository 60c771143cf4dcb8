import type { ApiCustomCsr } from "../../src/cloudflare/types";
import * as decodeModule from "../../src/csr/decode";
import type { DecodedCsr } from "../../src/csr/decode";
import { compareWithApi, verifyCustomCsr } from "../../src/csr/verify";
import { CsrVerificationError } from "../../src/errors";
import { OpensslWorkspace, opensslPublicKeySha256, tamperSignature, type GeneratedCsr } from "./csr-fixtures";

let workspace: OpensslWorkspace;
let rsa: GeneratedCsr;
let ec: GeneratedCsr;
let noCn: GeneratedCsr;
let noSans: GeneratedCsr;
let rsa4096: GeneratedCsr;
let certificate: string;

beforeAll(() => {
  workspace = new OpensslWorkspace();
  rsa = workspace.csr({
    key: "rsa:2048",
    subject: "/C=US/O=Example/CN=www.example.com",
    sans: ["DNS:www.example.com", "DNS:example.com"],
  });
  ec = workspace.csr({
    key: "ec-p256",
    subject: "/C=US/O=Example/CN=api.example.com",
    sans: ["DNS:api.example.com", "DNS:Edge.Example.com"],
  });
  noCn = workspace.csr({ key: "ec-p256", subject: "/O=Example", sans: ["DNS:example.org"] });
  noSans = workspace.csr({ key: "ec-p256", subject: "/CN=bare.example" });
  rsa4096 = workspace.csr({ key: "rsa:4096", subject: "/CN=big.example.com" });
  certificate = workspace.certificate(ec.keyPath);
});

afterAll(() => workspace.remove());

function api(csr: GeneratedCsr, overrides: Partial<ApiCustomCsr> = {}): ApiCustomCsr {
  const fromPem: Partial<ApiCustomCsr> =
    csr === rsa
      ? { key_type: "rsa2048", common_name: "www.example.com", sans: ["www.example.com", "example.com"] }
      : { key_type: "p256v1", common_name: "api.example.com", sans: ["api.example.com", "Edge.Example.com"] };
  return {
    id: "csr-1",
    created_at: "2025-01-02T03:04:05Z",
    key_type: "p256v1",
    csr: csr.pem,
    ...fromPem,
    ...overrides,
  };
}

async function verificationError(csr: ApiCustomCsr): Promise<CsrVerificationError> {
  const error = await Promise.resolve()
    .then(() => verifyCustomCsr(csr))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(CsrVerificationError);
  return error as CsrVerificationError;
}

describe("verifyCustomCsr", () => {
  it("returns the decoded CSR when the PEM agrees with the API's fields (RSA)", async () => {
    const decoded = await verifyCustomCsr(api(rsa));
    expect(decoded.publicKeyAlgorithm).toBe("RSA-2048");
    expect(decoded.signatureValid).toBe(true);
    expect(decoded.publicKeySha256).toBe(opensslPublicKeySha256(rsa.path));
  });

  it("returns the decoded CSR when the PEM agrees with the API's fields (EC)", async () => {
    const decoded = await verifyCustomCsr(api(ec));
    expect(decoded.publicKeyAlgorithm).toBe("ECDSA-P256");
    expect(decoded.sans).toEqual(["api.example.com", "Edge.Example.com"]);
  });

  it("compares SANs ignoring order, DNS case and a trailing dot", async () => {
    expect(verifyCustomCsr(api(ec, { sans: ["edge.example.com.", "API.EXAMPLE.COM"] }))).toMatchObject({
      commonNames: ["api.example.com"],
    });
  });

  it("skips the CN and SAN comparisons when the API omits common_name and sans", async () => {
    expect(verifyCustomCsr(api(rsa, { common_name: undefined, sans: undefined }))).toMatchObject({
      signatureValid: true,
    });
  });

  it("a tampered signature throws CsrVerificationError naming the CSR id", async () => {
    const error = await verificationError(api(ec, { csr: tamperSignature(ec.pem) }));
    expect(error.mismatches).toEqual(["the self-signature does not verify with the CSR's own public key"]);
    expect(error.customCsrId).toBe("csr-1");
    expect(error.message).toBe(
      "The PEM of custom CSR csr-1 failed verification: the self-signature does not verify with the CSR's own public key",
    );
  });

  it("collects every disagreement with the API into one error", async () => {
    const error = await verificationError(
      api(rsa, {
        common_name: "other.example.com",
        sans: ["www.example.com", "extra.example.com"],
        key_type: "p256v1",
      }),
    );
    expect(error.mismatches).toEqual([
      'the API\'s common_name is "other.example.com" but the PEM\'s subject CN is "www.example.com"',
      "SANs listed by the API but absent from the PEM: extra.example.com",
      "SANs in the PEM but not listed by the API: example.com",
      "the API's key_type is p256v1 (ECDSA-P256) but the PEM holds a RSA-2048 key",
    ]);
    expect(error.message).toContain("The PEM of custom CSR csr-1 failed verification:\n  - ");
    for (const mismatch of error.mismatches) expect(error.message).toContain(mismatch);
  });

  it("lists a tampered signature together with field mismatches", async () => {
    const error = await verificationError(api(ec, { csr: tamperSignature(ec.pem), common_name: "x.example.com" }));
    expect(error.mismatches).toHaveLength(2);
    expect(error.mismatches[0]).toContain("self-signature does not verify");
    expect(error.mismatches[1]).toContain('common_name is "x.example.com"');
  });

  it("reports an EC key where the API says rsa2048", async () => {
    const error = await verificationError(api(ec, { key_type: "rsa2048" }));
    expect(error.mismatches).toEqual(["the API's key_type is rsa2048 (RSA-2048) but the PEM holds a ECDSA-P256 key"]);
  });

  it("reports a key_type this package does not know", async () => {
    const error = await verificationError(api(ec, { key_type: "ed25519" }));
    expect(error.mismatches).toEqual([
      'the API\'s key_type "ed25519" is not one this package knows (rsa2048, p256v1); the PEM holds a ECDSA-P256 key',
    ]);
  });

  it("reports a CN the PEM does not have", async () => {
    const error = await verificationError({
      id: "csr-2",
      created_at: "x",
      key_type: "p256v1",
      csr: noCn.pem,
      common_name: "example.org",
    });
    expect(error.mismatches).toEqual(["the API's common_name is \"example.org\" but the PEM's subject CN is missing"]);
  });

  it("reports SANs the API lists when the PEM has none", async () => {
    const error = await verificationError({
      id: "csr-3",
      created_at: "x",
      key_type: "p256v1",
      csr: noSans.pem,
      sans: ["bare.example"],
    });
    expect(error.mismatches).toEqual(["SANs listed by the API but absent from the PEM: bare.example"]);
  });

  it("a missing csr field is a verification error", async () => {
    const error = await verificationError({ id: "csr-4", created_at: "x", key_type: "p256v1" });
    expect(error.customCsrId).toBe("csr-4");
    expect(error.mismatches).toEqual([
      "Cloudflare returned no PEM (the `csr` field is missing), so nothing can be verified",
    ]);
  });

  it("a PEM that does not parse is a verification error carrying the format problem", async () => {
    const error = await verificationError(api(ec, { csr: "not a pem" }));
    expect(error.mismatches).toEqual(["the PEM does not parse: no PEM block found"]);
  });

  it("a certificate in place of the request is a verification error", async () => {
    const error = await verificationError(api(ec, { csr: certificate }));
    expect(error.mismatches[0]).toContain('the PEM block is a "CERTIFICATE"');
  });

  it("an RSA-4096 request is reported as RSA-4096, which no key_type allows", async () => {
    const decoded = await decodeModule.decodeCsrPem(rsa4096.pem);
    expect(decoded.publicKeyAlgorithm).toBe("RSA-4096");
    expect(decoded.signatureValid).toBe(true);
    expect(decoded.publicKeySha256).toBe(opensslPublicKeySha256(rsa4096.path));
    const error = await verificationError({ id: "csr-5", created_at: "x", key_type: "rsa2048", csr: rsa4096.pem });
    expect(error.mismatches).toEqual(["the API's key_type is rsa2048 (RSA-2048) but the PEM holds a RSA-4096 key"]);
  });

  it("an unexpected decoder failure is rethrown unchanged", async () => {
    const failure = new TypeError("unexpected");
    const spy = jest.spyOn(decodeModule, "decodeCsrPem").mockImplementationOnce(() => {
      throw failure;
    });
    try {
      // A PEM text not verified before (CRLF line ends), so no remembered verdict answers for the decoder.
      expect(() => verifyCustomCsr(api(ec, { csr: ec.pem.replace(/\n/g, "\r\n") }))).toThrow(failure);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("verifyCustomCsr's memo", () => {
  it("verifies the same PEM and fields once, then answers from memory", async () => {
    const record = api(rsa, { csr: `\n${rsa.pem}` });
    const spy = jest.spyOn(decodeModule, "decodeCsrPem");
    try {
      const first = await verifyCustomCsr(record);
      expect(verifyCustomCsr({ ...record })).toBe(first);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("verifies anew when a checked field changes, and remembers failures under the record's own id", async () => {
    const record = api(ec, { csr: `\n\n${ec.pem}` });
    expect(verifyCustomCsr(record)).toMatchObject({ signatureValid: true });
    const changed = { ...record, id: "csr-9", sans: ["api.example.com"] };
    for (const id of ["csr-9", "csr-10"]) {
      const error = await verificationError({ ...changed, id });
      expect(error.customCsrId).toBe(id);
      expect(error.mismatches).toEqual(["SANs in the PEM but not listed by the API: edge.example.com"]);
    }
    expect(verifyCustomCsr(record)).toMatchObject({ signatureValid: true });
  });

  it("keys a PEM with a lone surrogate apart from one with the U+FFFD that hashing its text would write", async () => {
    const spy = jest.spyOn(decodeModule, "decodeCsrPem");
    try {
      for (const tail of ["\uD800", "\uFFFD", "\uD800"])
        await verificationError(api(rsa, { csr: `${rsa.pem}${tail}` }));
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("verifyCustomCsr's signature policy", () => {
  let sha1: GeneratedCsr;
  let secp256k1: GeneratedCsr;
  beforeAll(() => {
    sha1 = workspace.csr({ key: "rsa:2048", subject: "/CN=www.example.com", digest: "sha1" });
    secp256k1 = workspace.csr({ key: "ec-secp256k1", subject: "/CN=www.example.com" });
  });

  it("refuses a SHA-1 signed CSR, naming SHA-1 rather than a failed signature", async () => {
    const record = {
      id: "csr-11",
      created_at: "x",
      key_type: "rsa2048",
      common_name: "www.example.com",
      csr: sha1.pem,
    };
    const error = await verificationError(record);
    expect(error.mismatches).toEqual([
      "the CSR is signed with sha1WithRSAEncryption (SHA-1), which this package does not accept " +
        "(only RSA or ECDSA with SHA-256, SHA-384 or SHA-512, and Ed25519/Ed448)",
    ]);
  });

  it("names a secp256k1 key as unsupported, not as a failed signature", async () => {
    const error = await verificationError({ id: "csr-12", created_at: "x", key_type: "p256v1", csr: secp256k1.pem });
    expect(error.mismatches).toEqual([
      "the CSR's key is ECDSA-secp256k1, a key type this package does not verify",
      "the API's key_type is p256v1 (ECDSA-P256) but the PEM holds a ECDSA-secp256k1 key",
    ]);
  });
});

describe("compareWithApi", () => {
  const decoded: DecodedCsr = {
    subject: "CN=b,CN=a",
    commonNames: ["a", "b"],
    sans: ["a.example"],
    publicKeyAlgorithm: "ECDSA-P256",
    publicKeySha256: "00",
    signatureValid: true,
  };

  it("refuses a subject with more than one CN, listing them all", () => {
    expect(compareWithApi(decoded, { id: "x", created_at: "x", key_type: "p256v1", common_name: "a" })).toEqual([
      'the API\'s common_name is "a" but the PEM\'s subject CN is "a", "b"',
    ]);
  });

  it("compares CN case-sensitively", () => {
    const one = { ...decoded, commonNames: ["Www.Example.com"] };
    expect(
      compareWithApi(one, { id: "x", created_at: "x", key_type: "p256v1", common_name: "www.example.com" }),
    ).toHaveLength(1);
  });

  it("finds nothing to report when everything agrees (DNS case and one trailing dot aside)", () => {
    const one = { ...decoded, commonNames: ["a"] };
    expect(
      compareWithApi(one, { id: "x", created_at: "x", key_type: "p256v1", common_name: "a", sans: ["A.example."] }),
    ).toEqual([]);
  });

  it("reports a SAN padded with whitespace as a disagreement: nothing is trimmed", () => {
    const one = { ...decoded, commonNames: ["a"] };
    expect(
      compareWithApi(one, { id: "x", created_at: "x", key_type: "p256v1", common_name: "a", sans: [" a.example "] }),
    ).toEqual([
      "SANs listed by the API but absent from the PEM:  a.example ",
      "SANs in the PEM but not listed by the API: a.example",
    ]);
  });

  it.each(["toString", "constructor", "__proto__"])(
    "reports the key_type %j as unknown, not as an inherited object member",
    (keyType) => {
      const one = { ...decoded, commonNames: ["a"] };
      expect(compareWithApi(one, { id: "x", created_at: "x", key_type: keyType })).toEqual([
        `the API's key_type "${keyType}" is not one this package knows (rsa2048, p256v1); the PEM holds a ECDSA-P256 key`,
      ]);
    },
  );
});
