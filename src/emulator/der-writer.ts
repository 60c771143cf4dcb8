/**
 * The few DER encodings (X.690) the emulator writes into the CSRs it generates. Its own, on purpose: the package's
 * client reads CSRs with its own reader, and a CSR written with the same code it is read with could carry a shared
 * mistake past both. The emulator's output is checked against `openssl req -verify` in its tests.
 */

/** Universal tags used here. */
export const DerTag = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** `[0]` constructed, e.g. a CertificationRequestInfo's attributes. */
  CONTEXT_0: 0xa0,
  /** `[2]` primitive: a GeneralName's dNSName. */
  CONTEXT_2_PRIMITIVE: 0x82,
} as const;

/** One element: its tag, its length in the shortest form, its content. */
export function element(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const length = body.length;
  if (length < 0x80) return Buffer.concat([Buffer.of(tag, length), body]);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Buffer.concat([Buffer.of(tag, 0x80 | octets.length, ...octets), body]);
}

/** An OBJECT IDENTIFIER from its dotted text, e.g. `2.5.4.3`. */
export function oid(text: string): Buffer {
  const [first, second, ...rest] = text.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      base128.unshift(0x80 | (value & 0x7f));
    bytes.push(...base128);
  }
  return element(DerTag.OID, Buffer.from(bytes));
}

/** A small non-negative INTEGER. */
export function smallInteger(value: number): Buffer {
  return element(DerTag.INTEGER, Buffer.of(value));
}

/** A BIT STRING of whole octets. */
export function bitString(octets: Uint8Array): Buffer {
  return element(DerTag.BIT_STRING, Buffer.of(0), octets);
}
