import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import {
  bitStringOctets,
  childrenOf,
  contentOf,
  DerError,
  expectElement,
  oidText,
  readElement,
  Tag,
  type DerElement,
} from "./der";

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
/** Named curves by OID (RFC 5480), with their JWK name and coordinate length in bytes. */
const CURVES: Readonly<Record<string, { crv: string; size: number }>> = {
  "1.2.840.10045.3.1.7": { crv: "P-256", size: 32 },
  "1.3.132.0.34": { crv: "P-384", size: 48 },
  "1.3.132.0.35": { crv: "P-521", size: 66 },
};

/**
 * Imports a CSR's public key (its DER SubjectPublicKeyInfo) into `node:crypto`. RSA and NIST-curve keys are built
 * from their components (as a JWK): OpenSSL's DER decoder costs ~0.1 ms per key, the components a few microseconds,
 * and a lookup pays it once per new PEM. Anything else (Ed25519, other curves, compressed points, odd encodings)
 * goes through the DER decoder, which throws for what it cannot read.
 */
export function importPublicKey(spki: Uint8Array): KeyObject {
  const jwk = componentsOf(spki);
  if (jwk !== undefined) {
    try {
      return createPublicKey({ key: jwk, format: "jwk" });
    } catch {
      // fall through: the DER decoder decides, and says why
    }
  }
  const der = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength);
  return createPublicKey({ key: der, format: "der", type: "spki" });
}

/**
 * The AlgorithmIdentifier of each key whose encoding {@link hasOpensslEncoding} recognizes, exactly as OpenSSL
 * writes it: rsaEncryption with its NULL parameters (RFC 3279, 2.3.1), id-ecPublicKey with a named curve (RFC 5480).
 */
const OPENSSL_ALGORITHMS: readonly { readonly bytes: Buffer; readonly ecPointSize?: number }[] = [
  { bytes: Buffer.from("300d06092a864886f70d0101010500", "hex") },
  { bytes: Buffer.from("301306072a8648ce3d020106082a8648ce3d030107", "hex"), ecPointSize: 65 },
  { bytes: Buffer.from("301006072a8648ce3d020106052b81040022", "hex"), ecPointSize: 97 },
  { bytes: Buffer.from("301006072a8648ce3d020106052b81040023", "hex"), ecPointSize: 133 },
];

/**
 * Whether the SubjectPublicKeyInfo is, byte for byte, what OpenSSL writes for its key, told from its shape alone:
 * an RSA key with NULL parameters and minimal positive INTEGERs, or a NIST-curve key with a named curve and an
 * uncompressed point, all in DER. `false` means "not certain" (the caller then compares with OpenSSL's own
 * export), never "not canonical". Saves exporting the key again for every new PEM.
 */
export function hasOpensslEncoding(spki: Uint8Array): boolean {
  try {
    const parts = spkiParts(spki);
    if (parts === undefined) return false;
    const algorithmBytes = spki.subarray(parts.algorithm.start, parts.algorithm.end);
    const known = OPENSSL_ALGORITHMS.find((candidate) => candidate.bytes.equals(algorithmBytes));
    if (known === undefined) return false;
    const { key } = parts;
    if (known.ecPointSize !== undefined) return key.length === known.ecPointSize && key[0] === 0x04;
    const integers = rsaIntegers(key);
    return integers !== undefined && integers.every((integer) => isMinimalPositive(key, integer));
  } catch (error) {
    if (error instanceof DerError) return false;
    throw error;
  }
}

/** A DER INTEGER above zero in as few octets as possible (X.690, 8.3.2): no sign bit, no needless leading zero. */
function isMinimalPositive(der: Uint8Array, integer: DerElement): boolean {
  const { contentStart, end } = integer;
  if (end - contentStart === 0 || der[contentStart] >= 0x80) return false;
  if (der[contentStart] === 0) return end - contentStart > 1 && der[contentStart + 1] >= 0x80;
  return true;
}

/** The key's components, or `undefined` when they are not plainly there (the DER decoder then decides). */
function componentsOf(spki: Uint8Array): JsonWebKey | undefined {
  try {
    const parts = spkiParts(spki);
    if (parts === undefined) return undefined;
    const [oid, parameters] = childrenOf(spki, parts.algorithm);
    if (oid?.tag !== Tag.OID) return undefined;
    const { key } = parts;
    const type = oidText(spki, oid);
    if (type === RSA_ENCRYPTION) return rsaComponents(key);
    if (type === EC_PUBLIC_KEY && parameters?.tag === Tag.OID) return ecComponents(key, oidText(spki, parameters));
    return undefined;
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017, A.1.1) */
function rsaComponents(key: Uint8Array): JsonWebKey | undefined {
  const integers = rsaIntegers(key);
  if (integers === undefined) return undefined;
  const [n, e] = integers;
  return { kty: "RSA", n: unsigned(key, n), e: unsigned(key, e) };
}

/**
 * SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } (RFC 5280): the
 * algorithm element and the key's octets, or `undefined` when the shape is not exactly that.
 */
function spkiParts(spki: Uint8Array): { algorithm: DerElement; key: Uint8Array } | undefined {
  const whole = expectElement(spki, 0, spki.length, Tag.SEQUENCE, "the SubjectPublicKeyInfo");
  const [algorithm, bits, ...extra] = childrenOf(spki, whole);
  if (whole.end !== spki.length || bits?.tag !== Tag.BIT_STRING || extra.length > 0) return undefined;
  return { algorithm, key: bitStringOctets(spki, bits, "the public key") };
}

/** RSAPublicKey's modulus and exponent elements, or `undefined` when the key is not exactly two INTEGERs. */
function rsaIntegers(key: Uint8Array): [DerElement, DerElement] | undefined {
  const sequence = readElement(key, 0, key.length);
  if (sequence.tag !== Tag.SEQUENCE || sequence.end !== key.length) return undefined;
  const [n, e, ...rest] = childrenOf(key, sequence);
  if (n?.tag !== Tag.INTEGER || e?.tag !== Tag.INTEGER || rest.length > 0) return undefined;
  return [n, e];
}

/** Only an uncompressed point (0x04 || x || y, SEC 1, 2.3.3) has both coordinates to hand. */
function ecComponents(key: Uint8Array, curveOid: string): JsonWebKey | undefined {
  const curve = Object.hasOwn(CURVES, curveOid) ? CURVES[curveOid] : undefined;
  if (curve === undefined || key.byteLength !== 1 + 2 * curve.size || key[0] !== 0x04) return undefined;
  const coordinate = (from: number) => Buffer.from(key.subarray(from, from + curve.size)).toString("base64url");
  return { kty: "EC", crv: curve.crv, x: coordinate(1), y: coordinate(1 + curve.size) };
}

/** A DER INTEGER's magnitude, base64url, without the sign byte DER adds before a high bit. */
function unsigned(der: Uint8Array, integer: DerElement): string {
  const bytes = contentOf(der, integer);
  let start = 0;
  while (start < bytes.byteLength - 1 && bytes[start] === 0) start++;
  return Buffer.from(bytes.subarray(start)).toString("base64url");
}
