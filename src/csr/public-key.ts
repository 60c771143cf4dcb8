import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import type { SubjectPublicKeyInfo } from "@peculiar/asn1-x509";
import { fromBER, Integer, ObjectIdentifier, Sequence } from "asn1js";

const RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
const EC_PUBLIC_KEY = "1.2.840.10045.2.1";
/** Named curves by OID (RFC 5480), with their JWK name and coordinate length in bytes. */
const CURVES: Readonly<Record<string, { crv: string; size: number }>> = {
  "1.2.840.10045.3.1.7": { crv: "P-256", size: 32 },
  "1.3.132.0.34": { crv: "P-384", size: 48 },
  "1.3.132.0.35": { crv: "P-521", size: 66 },
};

/**
 * Imports a CSR's public key into `node:crypto`. RSA and NIST-curve keys are built from their components (as a JWK):
 * OpenSSL's DER decoder costs ~0.1 ms per key, the components a few microseconds, and a lookup pays it once per new
 * PEM. Anything else (Ed25519, other curves, compressed points, odd encodings) goes through the DER decoder, which
 * throws for what it cannot read.
 */
export function importPublicKey(spki: Buffer, info: SubjectPublicKeyInfo): KeyObject {
  const jwk = componentsOf(info);
  if (jwk !== undefined) {
    try {
      return createPublicKey({ key: jwk, format: "jwk" });
    } catch {
      // fall through: the DER decoder decides, and says why
    }
  }
  return createPublicKey({ key: spki, format: "der", type: "spki" });
}

function componentsOf(info: SubjectPublicKeyInfo): JsonWebKey | undefined {
  const key = new Uint8Array(info.subjectPublicKey);
  if (info.algorithm.algorithm === RSA_ENCRYPTION) {
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017, A.1.1)
    const parsed = fromBER(key);
    if (parsed.offset !== key.byteLength || !(parsed.result instanceof Sequence)) return undefined;
    const [n, e, ...rest] = parsed.result.valueBlock.value;
    if (!(n instanceof Integer) || !(e instanceof Integer) || rest.length > 0) return undefined;
    return { kty: "RSA", n: unsigned(n), e: unsigned(e) };
  }
  if (info.algorithm.algorithm === EC_PUBLIC_KEY && info.algorithm.parameters != null) {
    const parameters = fromBER(info.algorithm.parameters);
    const oid = parameters.result instanceof ObjectIdentifier ? parameters.result.getValue() : "";
    const curve = Object.hasOwn(CURVES, oid) ? CURVES[oid] : undefined;
    // Only an uncompressed point (0x04 || x || y, SEC 1, 2.3.3) has both coordinates to hand.
    if (curve === undefined || key.byteLength !== 1 + 2 * curve.size || key[0] !== 0x04) return undefined;
    const coordinate = (from: number) => Buffer.from(key.subarray(from, from + curve.size)).toString("base64url");
    return { kty: "EC", crv: curve.crv, x: coordinate(1), y: coordinate(1 + curve.size) };
  }
  return undefined;
}

/** A DER INTEGER's magnitude, base64url, without the sign byte DER adds before a high bit. */
function unsigned(integer: Integer): string {
  const bytes = integer.valueBlock.valueHexView;
  let start = 0;
  while (start < bytes.byteLength - 1 && bytes[start] === 0) start++;
  return Buffer.from(bytes.subarray(start)).toString("base64url");
}
