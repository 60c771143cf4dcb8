import { createHash, verify as verifySignature, type KeyObject } from "node:crypto";
import { CertificationRequest } from "@peculiar/asn1-csr";
import { AsnConvert, AsnParser } from "@peculiar/asn1-schema";
import { Extensions, GeneralName, SubjectAlternativeName, id_ce_subjectAltName } from "@peculiar/asn1-x509";
import { fromBER, ObjectIdentifier, type BaseBlock, type Constructed } from "asn1js";
import { describeKey, signaturePolicy } from "./algorithms";
import { importPublicKey } from "./public-key";
import { describeName } from "./subject";

/** What this package derives from a CSR's PEM. */
export interface DecodedCsr {
  /** Subject as an RFC 4514 string, e.g. `CN=www.example.com,O=Example,C=US`. */
  readonly subject: string;
  /** Every CN value of the subject (normally exactly one). */
  readonly commonNames: readonly string[];
  /** SANs requested by the CSR: DNS names and IP addresses as plain text, other kinds as `kind:value`. */
  readonly sans: readonly string[];
  /** `RSA-2048`, `ECDSA-P256`, ... */
  readonly publicKeyAlgorithm: string;
  /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly publicKeySha256: string;
  /** Whether the self-signature verifies with the CSR's own public key. */
  readonly signatureValid: boolean;
  /**
   * Why the signature was not even checked, when it was not: a refused algorithm (SHA-1, MD5...) or a key type
   * this package does not verify (e.g. secp256k1). Absent when the signature was checked.
   */
  readonly signatureProblem?: string;
}

/** Thrown for input that is not exactly one PKCS#10 PEM block; the caller wraps it. */
export class CsrFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsrFormatError";
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;
/** RFC 2986 requests are labelled `CERTIFICATE REQUEST`; old OpenSSL writes `NEW CERTIFICATE REQUEST`. */
const CSR_LABELS = new Set(["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"]);
/** PKCS#9 `extensionRequest`: the attribute that carries the requested extensions (RFC 2985, 5.4.2). */
const EXTENSION_REQUEST_OID = "1.2.840.113549.1.9.14";

/**
 * Parses exactly one PKCS#10 PEM block (RFC 2986, RFC 7468), checks its self-signature and derives subject,
 * SANs and public-key facts. Throws `CsrFormatError` when the text is not a single well-formed request.
 * The work is synchronous (`node:crypto` verifies in-line); the promise is kept for callers' convenience.
 */
export async function decodeCsrPem(pem: string): Promise<DecodedCsr> {
  return decodeCsrDer(pemToDer(pem));
}

/** {@link decodeCsrPem} on the DER bytes of a request. */
function decodeCsrDer(der: Buffer): DecodedCsr {
  let request: CertificationRequest;
  let spki: Buffer;
  let facts: Omit<DecodedCsr, "signatureValid" | "publicKeyAlgorithm">;
  try {
    // One BER parse: the schema maps the tree (validating its shape), and the tree keeps each element's own bytes,
    // so the public key and the extension request are read as sent, never re-encoded or parsed twice.
    const parsed = fromBER(der);
    if (parsed.offset === -1) throw new Error(parsed.result.error);
    request = AsnParser.fromASN(parsed.result, CertificationRequest);
    const infoNode = childrenOf(parsed.result)[0];
    const subject = describeName(request.certificationRequestInfo.subject);
    spki = Buffer.from(childrenOf(infoNode)[2].valueBeforeDecodeView);
    facts = {
      subject: subject.rfc4514,
      commonNames: subject.commonNames,
      sans: sanValues(childrenOf(infoNode)[3]),
      publicKeySha256: createHash("sha256").update(spki).digest("hex"),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CsrFormatError(`the PEM block is not a PKCS#10 certificate request (${reason})`);
  }
  let key: KeyObject;
  try {
    key = importPublicKey(spki, request.certificationRequestInfo.subjectPKInfo);
  } catch {
    const oid = request.certificationRequestInfo.subjectPKInfo.algorithm.algorithm;
    const signatureProblem = `the CSR's key algorithm ${oid} is not supported`;
    return { ...facts, publicKeyAlgorithm: oid, signatureValid: false, signatureProblem };
  }
  const keyInfo = describeKey(key);
  const signed = { ...facts, publicKeyAlgorithm: keyInfo.name };
  if (!keyInfo.supported) {
    const signatureProblem = `the CSR's key is ${keyInfo.name}, a key type this package does not verify`;
    return { ...signed, signatureValid: false, signatureProblem };
  }
  const policy = signaturePolicy(request.signatureAlgorithm.algorithm);
  if (!policy.accepted) return { ...signed, signatureValid: false, signatureProblem: policy.reason };
  return { ...signed, signatureValid: checkSignature(request, key, policy.hash) };
}

/** The self-signature over the raw `certificationRequestInfo` bytes, as signed (never re-encoded). */
function checkSignature(request: CertificationRequest, key: KeyObject, hash: string | null): boolean {
  const signedBytes = request.certificationRequestInfoRaw;
  if (signedBytes === undefined) return false;
  try {
    return verifySignature(hash, new Uint8Array(signedBytes), key, new Uint8Array(request.signature));
  } catch {
    // A signature whose encoding is broken (e.g. not a DER ECDSA-Sig-Value) simply does not verify.
    return false;
  }
}

/** Extracts the DER bytes of the single CSR block; anything but whitespace around it is refused. */
function pemToDer(pem: string): Buffer {
  const blocks = [...pem.matchAll(PEM_BLOCK)];
  if (blocks.length !== 1) {
    throw new CsrFormatError(
      blocks.length === 0 ? "no PEM block found" : `expected exactly one PEM block, found ${blocks.length}`,
    );
  }
  const [whole, begin, body, end] = blocks[0];
  if (begin !== end) throw new CsrFormatError(`the PEM block begins as "${begin}" but ends as "${end}"`);
  if (!CSR_LABELS.has(begin)) throw new CsrFormatError(`the PEM block is a "${begin}", not a "CERTIFICATE REQUEST"`);
  if (pem.replace(whole, "").trim() !== "") throw new CsrFormatError("there is text outside the PEM block");
  const base64 = body.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new CsrFormatError("the PEM body is not valid base64");
  }
  return Buffer.from(base64, "base64");
}

/** The elements of a constructed node of a tree the schema has already validated. */
function childrenOf(node: BaseBlock): BaseBlock[] {
  return (node as Constructed).valueBlock.value;
}

/**
 * The SANs of the `extensionRequest` attribute, in order, from the request's `[0] attributes` node (absent when
 * the request has no attributes): each Attribute is a SEQUENCE of its type and a SET of values (RFC 2986, 4.1).
 */
function sanValues(attributes: BaseBlock | undefined): string[] {
  const values: string[] = [];
  for (const attribute of attributes === undefined ? [] : childrenOf(attributes)) {
    const [type, set] = childrenOf(attribute);
    if (!(type instanceof ObjectIdentifier) || type.getValue() !== EXTENSION_REQUEST_OID) continue;
    for (const value of childrenOf(set)) {
      for (const extension of AsnParser.fromASN(value, Extensions)) {
        if (extension.extnID !== id_ce_subjectAltName) continue;
        const names = AsnConvert.parse(extension.extnValue.buffer, SubjectAlternativeName);
        for (const name of names) values.push(sanText(name));
      }
    }
  }
  return values;
}

/** DNS names and IPs as plain text; other kinds prefixed with their kind, as `@peculiar/x509` named them. */
function sanText(name: GeneralName): string {
  if (name.dNSName !== undefined) return name.dNSName;
  if (name.iPAddress !== undefined) return name.iPAddress;
  if (name.rfc822Name !== undefined) return `email:${name.rfc822Name}`;
  if (name.uniformResourceIdentifier !== undefined) return `url:${name.uniformResourceIdentifier}`;
  if (name.registeredID !== undefined) return `id:${name.registeredID}`;
  if (name.directoryName !== undefined) return `dn:${describeName(name.directoryName).rfc4514}`;
  if (name.otherName !== undefined) return `othername:${name.otherName.typeId}`;
  return name.x400Address !== undefined ? "x400:" : "edi:";
}
