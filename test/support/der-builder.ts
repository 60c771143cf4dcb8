import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";

/**
 * A tiny DER writer (X.690) for tests that need certificates and requests openssl's command line cannot make:
 * dates in any century, SAN values with spaces or control characters, keys encoded without their NULL
 * parameters, nesting far beyond any real CSR. Every builder returns the exact bytes asked for; nothing is checked.
 */

/** One element: a tag byte and its contents. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const octets: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
    header = [tag, 0x80 | octets.length, ...octets];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

export const seq = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items));
export const octets = (bytes: Uint8Array): Buffer => tlv(0x04, bytes);
export const bits = (bytes: Uint8Array): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));
export const explicit = (n: number, item: Uint8Array): Buffer => tlv(0xa0 + n, item);

/** A non-negative INTEGER from a small number or big-endian bytes. */
export function int(value: number | Uint8Array): Buffer {
  const hex = typeof value === "number" ? value.toString(16) : "";
  let bytes =
    typeof value === "number" ? Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex") : Buffer.from(value);
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1] < 0x80) bytes = bytes.subarray(1);
  if (bytes[0] >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** An OBJECT IDENTIFIER from its dotted text. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  const body: number[] = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    body.push(...chunk);
  }
  return tlv(0x06, Buffer.from(body));
}

/** UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), chosen by the text's length. */
export function time(text: string): Buffer {
  return tlv(text.length === 13 ? 0x17 : 0x18, Buffer.from(text, "latin1"));
}

/** A SAN: `dns`, `ip` (raw bytes), `uri` or `email` as their GeneralName tags. */
export type SanSpec =
  | { dns: string }
  | { ip: Uint8Array }
  | { uri: string }
  | { email: string }
  | { registeredId: string }
  | { raw: Uint8Array };

export function generalName(san: SanSpec): Buffer {
  if ("dns" in san) return tlv(0x82, Buffer.from(san.dns, "latin1"));
  if ("ip" in san) return tlv(0x87, san.ip);
  if ("uri" in san) return tlv(0x86, Buffer.from(san.uri, "latin1"));
  if ("email" in san) return tlv(0x81, Buffer.from(san.email, "latin1"));
  if ("registeredId" in san) return tlv(0x88, oid(san.registeredId).subarray(2));
  return Buffer.from(san.raw);
}

const SAN_OID = "2.5.29.17";
const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

/** A Name of one CN (UTF8String); the empty Name for `""` (as ACME CAs issue leaves). */
export function nameOf(commonName: string): Buffer {
  return commonName === "" ? seq() : seq(set(seq(oid("2.5.4.3"), utf8(commonName))));
}

/** The subjectAltName extension's `extnValue` contents. */
export function subjectAltName(sans: readonly SanSpec[]): Buffer {
  return seq(...sans.map(generalName));
}

/** A key pair for signing: RSA-2048 or P-256. */
export function keyPair(type: "rsa" | "ec"): { privateKey: KeyObject; publicKey: KeyObject; spki: Buffer } {
  const pair =
    type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { ...pair, spki: pair.publicKey.export({ type: "spki", format: "der" }) };
}

function signatureAlgorithm(key: KeyObject): Buffer {
  return key.asymmetricKeyType === "rsa" ? seq(oid(SHA256_WITH_RSA), nullValue()) : seq(oid(ECDSA_WITH_SHA256));
}

function signed(body: Buffer, key: KeyObject): Buffer {
  return seq(body, signatureAlgorithm(key), bits(sign("sha256", body, key)));
}

/** What {@link certificateDer} builds. */
export interface CertificateSpec {
  /** The subject's key, as DER SubjectPublicKeyInfo. */
  readonly spki: Uint8Array;
  /** The issuer's key (self-signed when it is the subject's). */
  readonly signer: KeyObject;
  readonly sans?: readonly SanSpec[];
  /** `YYMMDDHHMMSSZ` or `YYYYMMDDHHMMSSZ`. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subject?: string;
}

/** An X.509 v3 certificate (RFC 5280, 4.1) with exactly these fields. */
export function certificateDer(spec: CertificateSpec): Buffer {
  const extensions =
    spec.sans === undefined ? [] : [explicit(3, seq(seq(oid(SAN_OID), octets(subjectAltName(spec.sans)))))];
  const tbs = seq(
    explicit(0, int(2)),
    int(Date.now() % 1_000_000),
    signatureAlgorithm(spec.signer),
    nameOf("Test CA"),
    seq(time(spec.notBefore), time(spec.notAfter)),
    nameOf(spec.subject ?? "leaf"),
    Buffer.from(spec.spki),
    ...extensions,
  );
  return signed(tbs, spec.signer);
}

/** A PKCS#10 request (RFC 2986) with this SubjectPublicKeyInfo, exactly as given, and these SANs. */
export function requestDer(spki: Uint8Array, signer: KeyObject, commonName: string, sans: readonly SanSpec[]): Buffer {
  const extensionRequest = seq(oid("1.2.840.113549.1.9.14"), set(seq(seq(oid(SAN_OID), octets(subjectAltName(sans))))));
  const info = seq(int(0), nameOf(commonName), Buffer.from(spki), explicit(0, extensionRequest));
  return signed(info, signer);
}

/** PEM text of DER bytes. */
export function pemOf(der: Uint8Array, label: string): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** An RSA SubjectPublicKeyInfo written without the NULL parameters RFC 3279 requires (openssl re-adds them). */
export function rsaSpkiWithoutNull(spki: Uint8Array): Buffer {
  // SEQUENCE { SEQUENCE { OID rsaEncryption, NULL }, BIT STRING }: drop the NULL and re-wrap.
  const der = Buffer.from(spki);
  const algorithmStart = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
  const algorithmLength = der[algorithmStart + 1];
  const keyBits = der.subarray(algorithmStart + 2 + algorithmLength);
  return seq(seq(oid("1.2.840.113549.1.1.1")), keyBits);
}
