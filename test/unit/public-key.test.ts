import { createPublicKey, ECDH, generateKeyPairSync, type KeyObject } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { hasOpensslEncoding, importPublicKey } from "../../src/csr/public-key";

function spkiOf(key: KeyObject): Buffer {
  return key.export({ type: "spki", format: "der" });
}

function imported(spki: Buffer): KeyObject {
  return importPublicKey(spki);
}

/** RSA and NIST-curve keys: the ones read from their components, and written by OpenSSL in a shape it recognizes. */
const COMPONENT_KEYS: [string, () => KeyObject][] = [
  ["RSA-2048", () => generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey],
  ["RSA-3072, exponent 3", () => generateKeyPairSync("rsa", { modulusLength: 3072, publicExponent: 3 }).publicKey],
  ["P-256", () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey],
  ["P-384", () => generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey],
  ["P-521", () => generateKeyPairSync("ec", { namedCurve: "secp521r1" }).publicKey],
];

describe("importPublicKey", () => {
  it.each([
    ...COMPONENT_KEYS,
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

describe("hasOpensslEncoding", () => {
  /** A DER TLV with a short or long length, as the tests below need. */
  function tlv(tag: number, content: Buffer): Buffer {
    const length = content.length;
    const header =
      length < 0x80 ? [tag, length] : length < 0x100 ? [tag, 0x81, length] : [tag, 0x82, length >> 8, length & 0xff];
    return Buffer.concat([Buffer.from(header), content]);
  }

  /** An RSA SubjectPublicKeyInfo written by hand: `withNull` decides the parameters, `pad` prefixes the modulus. */
  function rsaSpki(key: KeyObject, { withNull = true, pad = Buffer.alloc(0) } = {}): Buffer {
    const { n, e } = key.export({ format: "jwk" }) as { n: string; e: string };
    const integer = (bytes: Buffer) => tlv(0x02, bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
    const modulus = Buffer.concat([pad, Buffer.from(n, "base64url")]);
    const rsaKey = tlv(0x30, Buffer.concat([integer(modulus), integer(Buffer.from(e, "base64url"))]));
    const oid = Buffer.from("06092a864886f70d010101", "hex");
    const algorithm = tlv(0x30, withNull ? Buffer.concat([oid, Buffer.from("0500", "hex")]) : oid);
    return tlv(0x30, Buffer.concat([algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), rsaKey]))]));
  }

  it.each(COMPONENT_KEYS)("recognizes OpenSSL's own encoding of a %s key", (_label, make) => {
    expect(hasOpensslEncoding(spkiOf(make()))).toBe(true);
  });

  it("agrees with OpenSSL on a hand-written RSA key that is encoded as OpenSSL would", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const spki = rsaSpki(publicKey);
    expect(spki.equals(spkiOf(publicKey))).toBe(true);
    expect(hasOpensslEncoding(spki)).toBe(true);
  });

  it.each([
    ["RSA without NULL parameters", (key: KeyObject) => rsaSpki(key, { withNull: false })],
    ["RSA with a padded modulus", (key: KeyObject) => rsaSpki(key, { pad: Buffer.from([0, 0]) })],
  ])("never claims %s is OpenSSL's encoding (OpenSSL re-encodes it differently)", (_label, write) => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const spki = write(publicKey);
    expect(spkiOf(createPublicKey({ key: spki, format: "der", type: "spki" })).equals(spki)).toBe(false);
    expect(hasOpensslEncoding(spki)).toBe(false);
  });

  it("leaves a compressed point, Ed25519 and secp256k1 to OpenSSL's export (not certain from the shape)", () => {
    const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const info = AsnConvert.parse(spkiOf(publicKey), SubjectPublicKeyInfo);
    const point = Buffer.from(info.subjectPublicKey);
    info.subjectPublicKey = new Uint8Array(
      ECDH.convertKey(point, "prime256v1", undefined, undefined, "compressed") as Buffer,
    ).buffer;
    expect(hasOpensslEncoding(Buffer.from(AsnConvert.serialize(info)))).toBe(false);
    expect(hasOpensslEncoding(spkiOf(generateKeyPairSync("ed25519").publicKey))).toBe(false);
    expect(hasOpensslEncoding(spkiOf(generateKeyPairSync("ec", { namedCurve: "secp256k1" }).publicKey))).toBe(false);
    expect(hasOpensslEncoding(Buffer.from("3000", "hex"))).toBe(false);
  });
});
