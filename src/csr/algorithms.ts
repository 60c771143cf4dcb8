import type { KeyObject } from "node:crypto";

/** How a CSR's self-signature is checked with `node:crypto`, or why it is not. */
export type SignaturePolicy =
  | { readonly accepted: true; readonly name: string; readonly hash: string | null }
  | { readonly accepted: false; readonly name: string; readonly reason: string };

/**
 * Signature algorithms by OID (RFC 4055, RFC 5758, RFC 8410). Only SHA-256 and stronger are accepted: a CA must
 * not sign for a request whose proof of possession rests on SHA-1 or MD5, whose collisions are practical.
 * Ed25519 and Ed448 hash internally (`hash: null`).
 */
const ACCEPTED: Readonly<Record<string, { name: string; hash: string | null }>> = {
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", hash: "sha256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", hash: "sha384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", hash: "sha512" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", hash: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", hash: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", hash: "sha512" },
  "1.3.101.112": { name: "Ed25519", hash: null },
  "1.3.101.113": { name: "Ed448", hash: null },
};

/** Known algorithms this package refuses, named so the error says which one the CSR used. */
const REFUSED: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.1.2": "md2WithRSAEncryption (MD2)",
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption (MD5)",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption (SHA-1)",
  "1.2.840.113549.1.1.14": "sha224WithRSAEncryption (SHA-224)",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1 (SHA-1)",
  "1.2.840.10045.4.3.1": "ecdsa-with-SHA224 (SHA-224)",
  "1.2.840.10040.4.3": "dsa-with-sha1 (DSA, SHA-1)",
  "1.2.840.113549.1.1.10": "RSASSA-PSS",
};

/** What a CSR's signature algorithm OID means for verification. */
export function signaturePolicy(oid: string): SignaturePolicy {
  const accepted = Object.hasOwn(ACCEPTED, oid) ? ACCEPTED[oid] : undefined;
  if (accepted !== undefined) return { accepted: true, ...accepted };
  const name = Object.hasOwn(REFUSED, oid) ? REFUSED[oid] : `unknown algorithm ${oid}`;
  return {
    accepted: false,
    name,
    reason:
      `the CSR is signed with ${name}, which this package does not accept ` +
      "(only RSA or ECDSA with SHA-256, SHA-384 or SHA-512, and Ed25519/Ed448)",
  };
}

/** Named curves this package verifies, by OpenSSL name, with the name reported in `publicKeyAlgorithm`. */
const CURVES: Readonly<Record<string, string>> = { prime256v1: "P256", secp384r1: "P384", secp521r1: "P521" };

/** A public key as reported (`RSA-2048`, `ECDSA-P256`, `Ed25519`...) and whether its signatures are checked. */
export interface KeyDescription {
  readonly name: string;
  readonly supported: boolean;
}

/** Names a public key from what `node:crypto` decoded of it; keys beyond RSA, NIST curves and EdDSA are unsupported. */
export function describeKey(key: KeyObject): KeyDescription {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { name: `RSA-${details.modulusLength}`, supported: true };
    case "ec": {
      const curve = details.namedCurve ?? "unnamed";
      const short = Object.hasOwn(CURVES, curve) ? CURVES[curve] : undefined;
      if (short === undefined) return { name: `ECDSA-${curve}`, supported: false };
      return { name: `ECDSA-${short}`, supported: true };
    }
    case "ed25519":
      return { name: "Ed25519", supported: true };
    case "ed448":
      return { name: "Ed448", supported: true };
    default:
      return { name: String(key.asymmetricKeyType), supported: false };
  }
}
