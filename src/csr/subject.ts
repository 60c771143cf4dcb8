import { AsnParser, AsnSerializer } from "@peculiar/asn1-schema";
import { Name } from "@peculiar/asn1-x509";

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

/** {@link describeSubject} for a Name that is already parsed (e.g. a CSR's subject). */
export function describeName(name: Name): SubjectInfo {
  const commonNames: string[] = [];
  const rdns = name.map((rdn) =>
    rdn
      .map((atv) => {
        const shortName = SHORT_NAMES[atv.type];
        if (atv.type === COMMON_NAME_OID) commonNames.push(atv.value.toString());
        // RFC 4514, 2.4: types without a short name are written as OID=#<hex of the BER value>.
        if (shortName === undefined) return `${atv.type}=#${Buffer.from(AsnSerializer.serialize(atv.value)).toString("hex")}`;
        return `${shortName}=${escapeValue(atv.value.toString())}`;
      })
      .reverse()
      .join("+"),
  );
  return { rfc4514: rdns.reverse().join(","), commonNames };
}

/** RFC 4514, 2.4: escape specials anywhere, a leading space or `#`, a trailing space, and NUL. */
export function escapeValue(value: string): string {
  let escaped = value.replace(/["+,;<>\\]/g, (c) => `\\${c}`).replace(/\0/g, "\\00");
  if (value.length > 1 && value.endsWith(" ")) escaped = `${escaped.slice(0, -1)}\\ `;
  if (value.startsWith(" ") || value.startsWith("#")) escaped = `\\${escaped}`;
  return escaped;
}
