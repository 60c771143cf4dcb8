import "reflect-metadata"; // @peculiar/x509 uses decorators that need it loaded first
import { createHash } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { describeSubject } from "./subject";

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

/**
 * Parses exactly one PKCS#10 PEM block (RFC 2986, RFC 7468), checks its self-signature and derives subject,
 * SANs and public-key facts. Throws `CsrFormatError` when the text is not a single well-formed request.
 */
export async function decodeCsrPem(pem: string): Promise<DecodedCsr> {
  const der = pemToDer(pem);
  let request: x509.Pkcs10CertificateRequest;
  let facts: Omit<DecodedCsr, "signatureValid">;
  try {
    request = new x509.Pkcs10CertificateRequest(der);
    // The parser decodes the subject, extensions and key lazily: damaged DER can surface in any of these reads.
    const subject = describeSubject(request.subjectName.toArrayBuffer());
    facts = {
      subject: subject.rfc4514,
      commonNames: subject.commonNames,
      sans: sanValues(request),
      publicKeyAlgorithm: describeAlgorithm(request.publicKey.algorithm),
      publicKeySha256: createHash("sha256").update(Buffer.from(request.publicKey.rawData)).digest("hex"),
    };
  } catch (error) {
    throw new CsrFormatError(`the PEM block is not a PKCS#10 certificate request (${error instanceof Error ? error.message : String(error)})`);
  }
  let signatureValid: boolean;
  try {
    signatureValid = await request.verify();
  } catch {
    signatureValid = false;
  }
  return { ...facts, signatureValid };
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

function sanValues(request: x509.Pkcs10CertificateRequest): string[] {
  const values: string[] = [];
  for (const extension of request.extensions) {
    if (!(extension instanceof x509.SubjectAlternativeNameExtension)) continue;
    for (const { type, value } of extension.names.toJSON()) {
      values.push(type === "dns" || type === "ip" ? value : `${type}:${value}`);
    }
  }
  return values;
}

function describeAlgorithm(algorithm: { name: string; modulusLength?: number; namedCurve?: string }): string {
  if (algorithm.modulusLength !== undefined) return `RSA-${algorithm.modulusLength}`;
  if (algorithm.namedCurve !== undefined) return `ECDSA-${algorithm.namedCurve.replace("-", "")}`;
  return algorithm.name;
}
