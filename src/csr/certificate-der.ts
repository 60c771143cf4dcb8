import { subjectAltNames, type SubjectAltName } from "./decode";
import { childrenOf, contentOf, DerError, expectElement, oidText, Tag, type DerElement } from "./der";
import { describeNameElement } from "./subject";

/**
 * The fields of an X.509 certificate (RFC 5280, 4.1) that the certificate check compares, read from the DER with
 * the same strict reader as CSRs: the validity dates from their own UTCTime or GeneralizedTime (never from a
 * printed string, whose two-digit years a date parser reads in the wrong century), and the SANs spelled exactly as
 * a CSR's are.
 */
export interface CertificateDerFields {
  /** The subject, RFC 4514, rendered like a CSR's subject (empty for an empty subject). */
  readonly subject: string;
  /** The issuer, RFC 4514. */
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subjectAltName's names, spelled as a CSR's are; empty when the extension is absent. */
  readonly sans: readonly SubjectAltName[];
}

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const SUBJECT_ALT_NAME = "2.5.29.17";
/** `[3] extensions` of a TBSCertificate. */
const CONTEXT_3 = 0xa3;
/** Certificates may carry more names than a custom CSR (public CAs issue up to a few hundred). */
const MAX_CERTIFICATE_SANS = 1000;

/**
 * Reads subject, issuer, validity and SANs from a certificate's DER. Throws `DerError` for anything that is not the shape RFC 5280
 * gives (a certificate openssl accepted always has it).
 */
export function readCertificateDer(der: Uint8Array): CertificateDerFields {
  const certificate = expectElement(der, 0, der.length, Tag.SEQUENCE, "the Certificate");
  const [tbs] = childrenOf(der, certificate);
  if (tbs?.tag !== Tag.SEQUENCE) throw new DerError("the certificate has no TBSCertificate");
  const fields = childrenOf(der, tbs);
  // TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject, ... }
  const first = fields[0]?.tag === Tag.CONTEXT_0 ? 1 : 0;
  const validity = fields[first + 3];
  if (validity?.tag !== Tag.SEQUENCE) throw new DerError("the certificate has no validity");
  const [notBefore, notAfter, ...extra] = childrenOf(der, validity);
  if (notBefore === undefined || notAfter === undefined || extra.length > 0) {
    throw new DerError("the certificate's validity is not two times");
  }
  const [issuer, subject] = [fields[first + 2], fields[first + 4]];
  if (issuer === undefined || subject === undefined) throw new DerError("the certificate has no issuer or subject");
  const extensions = fields.slice(first + 6).find((field) => field.tag === CONTEXT_3);
  return {
    subject: describeNameElement(der, subject).rfc4514,
    issuer: describeNameElement(der, issuer).rfc4514,
    notBefore: timeOf(der, notBefore),
    notAfter: timeOf(der, notAfter),
    sans: sansOf(der, extensions),
  };
}

/**
 * RFC 5280, 4.1.2.5: UTCTime `YYMMDDHHMMSSZ` (YY below 50 is 20YY, else 19YY) or GeneralizedTime
 * `YYYYMMDDHHMMSSZ`, both in UTC with seconds and no fraction. Years below 100 are kept as they are (year 30 is
 * year 30, not 1930).
 */
export function timeOf(der: Uint8Array, element: DerElement): Date {
  const text = Buffer.from(contentOf(der, element)).toString("latin1");
  const match =
    element.tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === GENERALIZED_TIME
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (match === null)
    throw new DerError(
      `a validity time is not a UTCTime or GeneralizedTime in UTC (${JSON.stringify(text.slice(0, 20))})`,
    );
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const fullYear = element.tag === UTC_TIME ? (year < 50 ? 2000 + year : 1900 + year) : year;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(fullYear, month - 1, day);
  const valid =
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  if (!valid) throw new DerError(`a validity time is not a real date (${text})`);
  return date;
}

/** The names of the subjectAltName extension, or none. */
function sansOf(der: Uint8Array, extensions: DerElement | undefined): SubjectAltName[] {
  if (extensions === undefined) return [];
  const [list] = childrenOf(der, extensions);
  if (list?.tag !== Tag.SEQUENCE) throw new DerError("the certificate's extensions are not a SEQUENCE");
  for (const extension of childrenOf(der, list)) {
    const parts = extension.tag === Tag.SEQUENCE ? childrenOf(der, extension) : [];
    const value = parts[parts.length - 1];
    if (parts[0]?.tag !== Tag.OID || value?.tag !== Tag.OCTET_STRING) throw new DerError("an extension is malformed");
    if (oidText(der, parts[0]) === SUBJECT_ALT_NAME)
      return subjectAltNames(contentOf(der, value), MAX_CERTIFICATE_SANS);
  }
  return [];
}
