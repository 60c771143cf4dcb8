import { generateKeyPair, sign, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { bitString, DerTag, element, oid, smallInteger } from "./der-writer";
import type { ApiKeyType } from "./wire";

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
  /** Kept in memory only; nothing serializes it. */
  privateKey: KeyObject;
}

/** A key pair as `node:crypto` generates it. */
interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

const generateKeys = promisify(generateKeyPair);

/** What Cloudflare signs each key type with: sha256WithRSAEncryption and ecdsa-with-SHA256 (RFC 4055, RFC 5758). */
const ALGORITHMS: Record<ApiKeyType, { generate: () => Promise<KeyPair>; algorithm: Buffer }> = {
  // RFC 4055, 5: the RSA algorithm's parameters are NULL; RFC 5758, 3.2: ECDSA's are absent.
  rsa2048: {
    generate: () => generateKeys("rsa", { modulusLength: 2048 }),
    algorithm: element(DerTag.SEQUENCE, oid("1.2.840.113549.1.1.11"), element(DerTag.NULL)),
  },
  p256v1: {
    generate: () => generateKeys("ec", { namedCurve: "prime256v1" }),
    algorithm: element(DerTag.SEQUENCE, oid("1.2.840.10045.4.3.2")),
  },
};

/** RFC 2985, 5.4.2: the attribute that carries the requested extensions. */
const EXTENSION_REQUEST_OID = "1.2.840.113549.1.9.14";
/** RFC 5280, 4.2.1.6. */
const SUBJECT_ALT_NAME_OID = "2.5.29.17";
/** X.520 attribute types, in the order the subject lists them. */
const NAME_OIDS = { C: "2.5.4.6", ST: "2.5.4.8", L: "2.5.4.7", O: "2.5.4.10", OU: "2.5.4.11", CN: "2.5.4.3" } as const;
/** X.680 PrintableString's alphabet. */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * Generates real key pairs and real PKCS#10 requests (RFC 2986) whose subject is C, ST, L, O, OU (when given), CN and
 * whose subjectAltName extension lists the SANs as DNS names. With a pool size, at most that many key pairs per key
 * type are generated and then reused round-robin, so bulk seeding does not pay one RSA key generation per CSR.
 */
export class CsrFactory {
  private readonly pools = new Map<ApiKeyType, Promise<KeyPair>[]>();
  private readonly nextInPool = new Map<ApiKeyType, number>();

  constructor(private readonly keyPoolSize?: number) {}

  /** Creates a key pair (or takes one from the pool) and signs a CSR for the subject and SANs with it. */
  async generate(subject: CsrSubject, sans: readonly string[], keyType: ApiKeyType): Promise<GeneratedCsr> {
    const { publicKey, privateKey } = await this.keyPair(keyType);
    // CertificationRequestInfo ::= SEQUENCE { version INTEGER (0), subject Name, subjectPKInfo, [0] attributes }
    const info = element(
      DerTag.SEQUENCE,
      smallInteger(0),
      subjectName(subject),
      publicKey.export({ type: "spki", format: "der" }),
      element(DerTag.CONTEXT_0, extensionRequest(sans)),
    );
    // ECDSA signatures are DER Ecdsa-Sig-Value (RFC 5758, 3.2), which is node's default encoding.
    const signature = sign("sha256", info, privateKey);
    // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
    const request = element(DerTag.SEQUENCE, info, ALGORITHMS[keyType].algorithm, bitString(signature));
    const base64 = request.toString("base64");
    // Cloudflare's service is written in Go (its 1415 message quotes Go's publicsuffix package), whose pem.Encode
    // wraps at 64 columns and ends the block with a newline.
    const body = base64.match(/.{1,64}/g)?.join("\n") ?? "";
    return { pem: `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`, privateKey };
  }

  private keyPair(keyType: ApiKeyType): Promise<KeyPair> {
    if (this.keyPoolSize === undefined) return ALGORITHMS[keyType].generate();
    const pool = this.pools.get(keyType) ?? [];
    this.pools.set(keyType, pool);
    if (pool.length < this.keyPoolSize) {
      const keys = ALGORITHMS[keyType].generate();
      pool.push(keys);
      return keys;
    }
    const next = this.nextInPool.get(keyType) ?? 0;
    this.nextInPool.set(keyType, next + 1);
    return pool[next % pool.length];
  }
}

/** One single-valued RDN per field; PrintableString where the value allows it, else UTF8String, as Go encodes. */
function subjectName(subject: CsrSubject): Buffer {
  const fields: [string, string | undefined][] = [
    [NAME_OIDS.C, subject.country],
    [NAME_OIDS.ST, subject.state],
    [NAME_OIDS.L, subject.locality],
    [NAME_OIDS.O, subject.organization],
    [NAME_OIDS.OU, subject.organizational_unit],
    [NAME_OIDS.CN, subject.common_name],
  ];
  const rdns = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([type, text]) => {
      const stringType = PRINTABLE.test(text) ? DerTag.PRINTABLE_STRING : DerTag.UTF8_STRING;
      const value = element(stringType, Buffer.from(text, "utf8"));
      return element(DerTag.SET, element(DerTag.SEQUENCE, oid(type), value));
    });
  return element(DerTag.SEQUENCE, ...rdns);
}

/** The PKCS#9 extensionRequest attribute holding one subjectAltName extension of DNS names (RFC 2985, RFC 5280). */
function extensionRequest(sans: readonly string[]): Buffer {
  const names = element(DerTag.SEQUENCE, ...sans.map((name) => element(DerTag.CONTEXT_2_PRIMITIVE, Buffer.from(name))));
  const extension = element(DerTag.SEQUENCE, oid(SUBJECT_ALT_NAME_OID), element(DerTag.OCTET_STRING, names));
  const extensions = element(DerTag.SEQUENCE, extension);
  return element(DerTag.SEQUENCE, oid(EXTENSION_REQUEST_OID), element(DerTag.SET, extensions));
}
