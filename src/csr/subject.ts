import { AsnParser, AsnSerializer } from "@peculiar/asn1-schema";
import { Name } from "@peculiar/asn1-x509";
import {
  asciiContentOf,
  bytesOf,
  childrenOf,
  contentOf,
  DerError,
  oidText,
  readElement,
  Tag,
  type DerElement,
} from "./der";

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
  try {
    if (name.tag !== Tag.SEQUENCE) return undefined;
    const sets = childrenOf(der, name);
    const rdns = new Array<NameAttribute[]>(sets.length);
    for (let r = 0; r < sets.length; r++) {
      if (sets[r].tag !== Tag.SET) return undefined;
      const atvs = childrenOf(der, sets[r]);
      if (atvs.length === 0) return undefined;
      const rdn = new Array<NameAttribute>(atvs.length);
      for (let a = 0; a < atvs.length; a++) {
        const attribute = atvs[a].tag === Tag.SEQUENCE ? attributeOf(der, atvs[a]) : undefined;
        if (attribute === undefined) return undefined;
        rdn[a] = attribute;
      }
      rdns[r] = rdn;
    }
    return render(rdns);
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/** An AttributeTypeAndValue of exactly a type and a value of a string type the DER path reads, else `undefined`. */
function attributeOf(der: Uint8Array, atv: DerElement): NameAttribute | undefined {
  const type = readElement(der, atv.contentStart, atv.end);
  if (type.tag !== Tag.OID || type.end === atv.end) return undefined;
  const value = readElement(der, type.end, atv.end);
  if (value.end !== atv.end) return undefined;
  const text = stringValue(der, value);
  return text === undefined ? undefined : new DerNameAttribute(oidText(der, type), text, der, value);
}

/** An attribute read from the DER: its text decoded once, its encoding a view of the buffer. */
class DerNameAttribute implements NameAttribute {
  constructor(
    readonly type: string,
    private readonly decoded: string,
    private readonly der: Uint8Array,
    private readonly value: DerElement,
  ) {}

  text(): string {
    return this.decoded;
  }

  encoded(): Uint8Array {
    return bytesOf(this.der, this.value);
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text of a string value whose decoding is unambiguous, else `undefined`. */
function stringValue(der: Uint8Array, value: DerElement): string | undefined {
  if (value.tag === Tag.UTF8_STRING) {
    try {
      return UTF8.decode(contentOf(der, value));
    } catch {
      return undefined;
    }
  }
  if (value.tag !== Tag.PRINTABLE_STRING && value.tag !== Tag.IA5_STRING) return undefined;
  return asciiContentOf(der, value);
}

function render(rdns: readonly (readonly NameAttribute[])[]): SubjectInfo {
  const commonNames: string[] = [];
  let rfc4514 = "";
  // Last RDN first, and inside a multi-valued RDN the last value first, as openssl prints them.
  for (let r = rdns.length - 1; r >= 0; r--) {
    const rdn = rdns[r];
    let rendered = "";
    for (let a = rdn.length - 1; a >= 0; a--) {
      const atv = rdn[a];
      const shortName = Object.hasOwn(SHORT_NAMES, atv.type) ? SHORT_NAMES[atv.type] : undefined;
      // RFC 4514, 2.4: types without a short name are written as OID=#<hex of the BER value>.
      const text =
        shortName === undefined
          ? `${atv.type}=#${Buffer.from(atv.encoded()).toString("hex")}`
          : `${shortName}=${escapeValue(atv.text())}`;
      rendered = rendered === "" ? text : `${rendered}+${text}`;
    }
    rfc4514 = rfc4514 === "" ? rendered : `${rfc4514},${rendered}`;
  }
  for (const rdn of rdns) for (const atv of rdn) if (atv.type === COMMON_NAME_OID) commonNames.push(atv.text());
  return { rfc4514, commonNames };
}

/** Values that need no escaping at all, the usual case: one test instead of two replacements. */
const NEEDS_ESCAPE = /["+,;<>\\\0]|^[ #]| $/;

/** RFC 4514, 2.4: escape specials anywhere, a leading space or `#`, a trailing space, and NUL. */
export function escapeValue(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  let escaped = value.replace(/["+,;<>\\]/g, (c) => `\\${c}`).replace(/\0/g, "\\00");
  if (value.length > 1 && value.endsWith(" ")) escaped = `${escaped.slice(0, -1)}\\ `;
  if (value.startsWith(" ") || value.startsWith("#")) escaped = `\\${escaped}`;
  return escaped;
}
