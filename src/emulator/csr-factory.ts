import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import type { ApiKeyType } from "../cloudflare/types";

/** The subject fields of a CSR, as the API names them. */
export interface CsrSubject {
  common_name: string;
  country: string;
  state: string;
  locality: string;
  organization: string;
  organizational_unit?: string;
}

/** A freshly signed CSR and the private key that stays inside the emulator. */
export interface GeneratedCsr {
  /** The PKCS#10 request, PEM encoded. */
  pem: string;
  /** Non-extractable: it cannot leave the emulator even by mistake. */
  privateKey: webcrypto.CryptoKey;
}

type KeyAlgorithm = { generate: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams; sign: webcrypto.EcdsaParams | webcrypto.Algorithm };

/** What Cloudflare signs each key type with: sha256WithRSAEncryption and ecdsa-with-SHA256. */
const ALGORITHMS: Record<ApiKeyType, KeyAlgorithm> = {
  rsa2048: {
    generate: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    sign: { name: "RSASSA-PKCS1-v1_5" },
  },
  p256v1: {
    generate: { name: "ECDSA", namedCurve: "P-256" },
    sign: { name: "ECDSA", hash: "SHA-256" },
  },
};

/**
 * Generates real key pairs and real PKCS#10 requests (RFC 2986) whose subject is C, ST, L, O, OU (when given), CN and
 * whose subjectAltName extension lists the SANs as DNS names. With a pool size, at most that many key pairs per key
 * type are generated and then reused round-robin, so bulk seeding does not pay one RSA key generation per CSR.
 */
export class CsrFactory {
  private readonly pools = new Map<ApiKeyType, Promise<webcrypto.CryptoKeyPair>[]>();
  private readonly nextInPool = new Map<ApiKeyType, number>();

  constructor(private readonly keyPoolSize?: number) {}

  /** Creates a key pair (or takes one from the pool) and signs a CSR for the subject and SANs with it. */
  async generate(subject: CsrSubject, sans: readonly string[], keyType: ApiKeyType): Promise<GeneratedCsr> {
    const keys = await this.keyPair(keyType);
    const name: x509.JsonName = [
      { C: [subject.country] },
      { ST: [subject.state] },
      { L: [subject.locality] },
      { O: [subject.organization] },
      ...(subject.organizational_unit === undefined ? [] : [{ OU: [subject.organizational_unit] }]),
      { CN: [subject.common_name] },
    ];
    const csr = await x509.Pkcs10CertificateRequestGenerator.create(
      {
        name,
        keys,
        signingAlgorithm: ALGORITHMS[keyType].sign,
        extensions: [new x509.SubjectAlternativeNameExtension(sans.map((value) => ({ type: "dns" as const, value })))],
      },
      webcrypto as unknown as Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[1],
    );
    // Cloudflare's service is written in Go (its 1415 message quotes Go's publicsuffix package), whose pem.Encode
    // ends the block with a newline.
    return { pem: `${csr.toString("pem")}\n`, privateKey: keys.privateKey };
  }

  private keyPair(keyType: ApiKeyType): Promise<webcrypto.CryptoKeyPair> {
    if (this.keyPoolSize === undefined) return newKeyPair(keyType);
    const pool = this.pools.get(keyType) ?? [];
    this.pools.set(keyType, pool);
    if (pool.length < this.keyPoolSize) {
      const keys = newKeyPair(keyType);
      pool.push(keys);
      return keys;
    }
    const next = this.nextInPool.get(keyType) ?? 0;
    this.nextInPool.set(keyType, next + 1);
    return pool[next % pool.length];
  }
}

function newKeyPair(keyType: ApiKeyType): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHMS[keyType].generate, false, ["sign", "verify"]) as Promise<webcrypto.CryptoKeyPair>;
}
