import { checkExpectations } from "../../src/cli/verification";
import type { DecodedCsr } from "../../src/csr";

const decoded: DecodedCsr = {
  subject: "CN=a.acme.dev",
  commonNames: ["a.acme.dev"],
  sans: ["a.acme.dev"],
  publicKeyAlgorithm: "RSA-2048",
  publicKeySha256: "aa".repeat(32),
  signatureValid: true,
};

describe("verification checks", () => {
  it("no expectations, no checks", () => {
    expect(checkExpectations(decoded, {})).toEqual([]);
  });

  it("expected SANs compare as the library compares SANs: case and a trailing dot ignored", () => {
    expect(checkExpectations(decoded, { sans: ["A.acme.dev."] })).toMatchObject([{ id: "expected-sans", ok: true }]);
  });
});
