import { AsnParser, AsnSerializer } from "@peculiar/asn1-schema";
import { Name } from "@peculiar/asn1-x509";
import { bytesOf, childrenOf, contentOf, DerError, oidText, Tag, type DerElement } from "./der";

/** RFC 4514, section 3: attribute types that have a short name; all others print as a dotted OID. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.6": "C",
  "2.5.4.9": "STREET",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID",
};

const COMMON_NAME_OID = "2.5.4.3";

/** A subject name reduced to what this package reports. */
export interface SubjectInfo {
  /** RFC 4514 string: last RDN first, `,` between RDNs, `+` inside a multi-valued RDN (also reversed, as openssl does). */
  readonly rfc4514: string;
  /** Every CN value, in the order they appear in the certificate request. */
  readonly commonNames: readonly string[];
}

/**
 * Parses a DER-encoded X.501 Name and renders it per RFC 4514, in the same order as
 * `openssl req -noout -subject -nameopt RFC2253` (RDNs and the values inside a multi-valued RDN reversed).
 */
export function describeSubject(der: ArrayBuffer): SubjectInfo {
  return describeName(AsnParser.parse(der, Name));
}

/** {@link describeSubject} for a Name that is already parsed (e.g. a certificate's directoryName SAN). */
export function describeName(name: Name): SubjectInfo {
  return render(
    name.map((rdn) =>
      rdn.map((atv) => ({
        type: atv.type,
        text: () => atv.value.toString(),
        encoded: () => Buffer.from(AsnSerializer.serialize(atv.value)),
      })),
    ),
  );
}

/** An attribute of an RDN; its text and encoding are computed only when the rendering needs them. */
interface NameAttribute {
  readonly type: string;
  readonly text: () => string;
  readonly encoded: () => Uint8Array;
}

/**
 * The one rendering of a Name inside a larger DER (a CSR's subject, a certificate's subject and issuer): straight
 * from the DER for the string types real names use, else through the schema, which knows them all.
 */
export function describeNameElement(der: Uint8Array, name: DerElement): SubjectInfo {
  return describeNameDer(der, name) ?? describeSubject(new Uint8Array(bytesOf(der, name)).buffer);
}

/**
 * {@link describeName} straight from the DER of a Name, for the string types real subjects use (PrintableString
 * and IA5String in ASCII, UTF8String in valid UTF-8): `undefined` for anything else, which the schema path
 * (`describeSubject`) then renders or refuses, so that both paths always agree.
 */
export function describeNameDer(der: Uint8Array, name: DerElement): SubjectInfo | undefined {
  const rdns: NameAttribute[][] = [];
  try {
    if (name.tag !== Tag.SEQUENCE) return undefined;
    for (const set of childrenOf(der, name)) {
      if (set.tag !== Tag.SET) return undefined;
      const rdn: NameAttribute[] = [];
      for (const atv of childrenOf(der, set)) {
        const parts = atv.tag === Tag.SEQUENCE ? childrenOf(der, atv) : [];
        if (parts.length !== 2 || parts[0].tag !== Tag.OID) return undefined;
        const text = stringValue(der, parts[1]);
        if (text === undefined) return undefined;
        rdn.push({ type: oidText(der, parts[0]), text: () => text, encoded: () => bytesOf(der, parts[1]) });
      }
      if (rdn.length === 0) return undefined;
      rdns.push(rdn);
    }
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
  return render(rdns);
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text of a string value whose decoding is unambiguous, else `undefined`. */
function stringValue(der: Uint8Array, value: DerElement): string | undefined {
  const bytes = contentOf(der, value);
  if (value.tag === Tag.UTF8_STRING) {
    try {
      return UTF8.decode(bytes);
    } catch {
      return undefined;
    }
  }
  if (value.tag !== Tag.PRINTABLE_STRING && value.tag !== Tag.IA5_STRING) return undefined;
  for (const byte of bytes) if (byte > 0x7f) return undefined;
  return Buffer.from(bytes).toString("latin1");
}

function render(rdns: readonly (readonly NameAttribute[])[]): SubjectInfo {
  const commonNames: string[] = [];
  const rendered = rdns.map((rdn) =>
    rdn
      .map((atv) => {
        const shortName = SHORT_NAMES[atv.type];
        if (atv.type === COMMON_NAME_OID) commonNames.push(atv.text());
        // RFC 4514, 2.4: types without a short name are written as OID=#<hex of the BER value>.
        if (shortName === undefined) return `${atv.type}=#${Buffer.from(atv.encoded()).toString("hex")}`;
        return `${shortName}=${escapeValue(atv.text())}`;
      })
      .reverse()
      .join("+"),
  );
  return { rfc4514: rendered.reverse().join(","), commonNames };
}

/** RFC 4514, 2.4: escape specials anywhere, a leading space or `#`, a trailing space, and NUL. */
export function escapeValue(value: string): string {
  let escaped = value.replace(/["+,;<>\\]/g, (c) => `\\${c}`).replace(/\0/g, "\\00");
  if (value.length > 1 && value.endsWith(" ")) escaped = `${escaped.slice(0, -1)}\\ `;
  if (value.startsWith(" ") || value.startsWith("#")) escaped = `\\${escaped}`;
  return escaped;
}
