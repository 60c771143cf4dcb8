import { createPublicKey, ECDH, generateKeyPairSync, type KeyObject } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { importPublicKey } from "../../src/csr/public-key";

function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: "spki", format: "der" });
}

function imported(spki: Buffer): KeyObject {
  return importPublicKey(spki);
}

describe("importPublicKey", () => {
  it.each([
    ["RSA-2048", () => generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey],
    ["RSA-3072, exponent 3", () => generateKeyPairSync("rsa", { modulusLength: 3072, publicExponent: 3 }).publicKey],
    ["P-256", () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey],
    ["P-384", () => generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey],
    ["P-521", () => generateKeyPairSync("ec", { namedCurve: "secp521r1" }).publicKey],
    ["Ed25519 (through the DER decoder)", () => generateKeyPairSync("ed25519").publicKey],
    ["secp256k1 (through the DER decoder)", () => generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey],
  ])("imports a %s key that is the same key as the SubjectPublicKeyInfo", (_label, make) => {
    const spki = spkiOf(make());
    expect(spkiOf(imported(spki)).equals(spki)).toBe(true);
  });

  it("imports a compressed P-256 point through the DER decoder", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const info = AsnConvert.parse(spkiOf(publicKey), SubjectPublicKeyInfo);
    const point = Buffer.from(info.subjectPublicKey);
    const compressed = ECDH.convertKey(point, "prime256v1", undefined, undefined, "compressed") as Buffer;
    info.subjectPublicKey = new Uint8Array(compressed).buffer;
    const spki = Buffer.from(AsnConvert.serialize(info));
    expect(imported(spki).export({ format: "jwk" })).toEqual(publicKey.export({ format: "jwk" }));
  });

  it("refuses a key that neither path can read, as the DER decoder does", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const info = AsnConvert.parse(spkiOf(publicKey), SubjectPublicKeyInfo);
    const point = new Uint8Array(info.subjectPublicKey);
    point[point.length - 1] ^= 0x01; // no longer on the curve
    info.subjectPublicKey = point.buffer;
    const spki = Buffer.from(AsnConvert.serialize(info));
    expect(() => createPublicKey({ key: spki, format: "der", type: "spki" })).toThrow();
    expect(() => imported(spki)).toThrow();
  });
});
