import "reflect-metadata"; // @peculiar/x509 uses decorators that need it loaded first
import { createHash } from "node:crypto";
import * as x509 from "@peculiar/x509";

/** What `verify --cert` compares with a CSR. */
export interface CertificateFacts {
  /** Subject, as @peculiar/x509 prints it (`CN=www.acme.dev, O=Acme`). */
  readonly subject: string;
  /** Issuer, in the same form. */
  readonly issuer: string;
  /** Start of the validity period. */
  readonly notBefore: Date;
  /** End of the validity period. */
  readonly notAfter: Date;
  /** Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo, comparable with a CSR's `publicKeySha256`. */
  readonly publicKeySha256: string;
  /** SAN entries: DNS names and IP addresses as plain text, other kinds as `kind:value` (as for CSRs). */
  readonly sans: readonly string[];
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/;

/**
 * Reads the first `CERTIFICATE` PEM block of `text` (a leaf certificate, possibly followed by its chain).
 * Throws an `Error` saying what is wrong when there is none or it does not parse.
 */
export function readCertificate(text: string): CertificateFacts {
  const block = CERTIFICATE_BLOCK.exec(text)?.[0];
  if (block === undefined) throw new Error("no -----BEGIN CERTIFICATE----- block found");
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(block);
  } catch (error) {
    throw new Error(`the certificate does not parse (${(error as Error).message})`, { cause: error });
  }
  const sans: string[] = [];
  const extension = certificate.getExtension(x509.SubjectAlternativeNameExtension);
  for (const { type, value } of extension?.names.toJSON() ?? []) sans.push(type === "dns" || type === "ip" ? value : `${type}:${value}`);
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    publicKeySha256: createHash("sha256").update(Buffer.from(certificate.publicKey.rawData)).digest("hex"),
    sans,
  };
}

/**
 * The requested names that none of the certificate's names covers. Names compare case-insensitively and
 * without a trailing dot; a certificate wildcard covers exactly one whole left-most label (RFC 6125, 6.4.3:
 * `*.acme.dev` covers `www.acme.dev`, neither `acme.dev` nor `a.b.acme.dev`). A requested wildcard is covered
 * only by the same wildcard.
 */
export function uncoveredNames(requested: readonly string[], certificateNames: readonly string[]): string[] {
  const names = certificateNames.map(normalizeName);
  return requested.filter((wanted) => !names.some((name) => covers(name, normalizeName(wanted))));
}

function covers(certificateName: string, wanted: string): boolean {
  if (certificateName === wanted) return true;
  if (!certificateName.startsWith("*.")) return false;
  const [first, ...rest] = wanted.split(".");
  return first !== "" && first !== "*" && rest.length >= 2 && rest.join(".") === certificateName.slice(2);
}

/** A DNS name as compared: lower case, no surrounding space, no trailing dot. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}
