/**
 * A small, strict DER reader (X.690, 10) for the few PKCS#10 fields a lookup reads on every new PEM. It is a
 * fraction of the cost of a general BER parser on first sight, before V8 has optimized either: no schema and no
 * copies, only offsets into the caller's buffer, and walks that keep no element allocate none. It never recurses (callers descend a known, fixed number of
 * levels), so no input can exhaust the stack; every length is checked against its enclosing element.
 */

/** Universal tags this package reads. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** `[0]` constructed, context-specific: a CSR's attributes. */
  CONTEXT_0: 0xa0,
} as const;

/** Thrown for bytes that are not DER; decode.ts turns it into a `CsrFormatError`. */
export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DerError";
  }
}

/** One element: its (first) tag byte and where its header and contents lie in the buffer. */
export interface DerElement {
  /** The identifier octet; high tag numbers keep only their first octet (0x1f in the low bits). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the last content octet. */
  readonly end: number;
}

/** At most 4 length octets: no PEM this package reads comes near 4 GiB, and a longer field is an attack or noise. */
const MAX_LENGTH_OCTETS = 4;
/** Tag numbers above this many base-128 octets are refused (X.690 allows any; no real CSR uses one). */
const MAX_TAG_OCTETS = 4;

/** Reads the element that starts at `offset` and must end by `limit`. */
export function readElement(der: Uint8Array, offset: number, limit: number): DerElement {
  const element = { tag: 0, start: offset, contentStart: 0, end: 0 };
  readHeaderInto(element, der, offset, limit);
  return element;
}

/** An element whose fields a walk overwrites as it goes, so that reading many elements allocates none. */
interface ElementSlot {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the header of the element that starts at `offset` and must end by `limit` into `slot`. */
function readHeaderInto(slot: ElementSlot, der: Uint8Array, offset: number, limit: number): void {
  let at = offset;
  if (at >= limit) throw new DerError(`an element is missing at offset ${offset}`);
  const tag = der[at++];
  if ((tag & 0x1f) === 0x1f) {
    // High tag number form: base-128 octets, the last without bit 8.
    let octets = 0;
    do {
      if (at >= limit) throw new DerError(`the tag at offset ${offset} runs past its end`);
      if (++octets > MAX_TAG_OCTETS) throw new DerError(`the tag at offset ${offset} is too long`);
    } while ((der[at++] & 0x80) !== 0);
  }
  if (at >= limit) throw new DerError(`the element at offset ${offset} has no length`);
  const first = der[at++];
  let length = first;
  if (first === 0x80) throw new DerError(`the element at offset ${offset} has an indefinite length, which DER forbids`);
  if (first > 0x80) {
    const count = first & 0x7f;
    if (count > MAX_LENGTH_OCTETS) throw new DerError(`the element at offset ${offset} has a ${count}-octet length`);
    if (at + count > limit) throw new DerError(`the length of the element at offset ${offset} runs past its end`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[at++];
    // DER (X.690, 10.1): the long form only when needed, and in as few octets as possible.
    if (length < 0x80 || der[at - count] === 0) {
      throw new DerError(`the element at offset ${offset} does not use the shortest length encoding`);
    }
  }
  if (length > limit - at) throw new DerError(`the element at offset ${offset} claims more bytes than there are`);
  slot.tag = tag;
  slot.start = offset;
  slot.contentStart = at;
  slot.end = at + length;
}

/** Reads an element and checks its tag. */
export function expectElement(der: Uint8Array, offset: number, limit: number, tag: number, what: string): DerElement {
  const element = readElement(der, offset, limit);
  if (element.tag !== tag) {
    throw new DerError(`${what} should have tag 0x${hex(tag)} but has 0x${hex(element.tag)} at offset ${offset}`);
  }
  return element;
}

/** The elements inside a constructed element's contents, in order; they must fill it exactly. */
export function childrenOf(der: Uint8Array, parent: DerElement): DerElement[] {
  if ((parent.tag & 0x20) === 0) throw new DerError(`the element at offset ${parent.start} is not constructed`);
  // Counted first, so that the array is allocated at its size: most hold two or three elements, and growing an
  // empty array by `push` reserves room for sixteen.
  const slot: ElementSlot = { tag: 0, start: 0, contentStart: 0, end: 0 };
  let count = 0;
  for (let at = parent.contentStart; at < parent.end; at = slot.end) {
    readHeaderInto(slot, der, at, parent.end);
    count++;
  }
  const children = new Array<DerElement>(count);
  for (let i = 0, at = parent.contentStart; i < count; i++) {
    children[i] = readElement(der, at, parent.end);
    at = children[i].end;
  }
  return children;
}

/** The contents of an element. */
export function contentOf(der: Uint8Array, element: DerElement): Uint8Array {
  return der.subarray(element.contentStart, element.end);
}

/** The whole encoding of an element, header included. */
export function bytesOf(der: Uint8Array, element: DerElement): Uint8Array {
  return der.subarray(element.start, element.end);
}

/**
 * The bytes of an element's contents as text when every byte is ASCII, else `undefined`. Reads the buffer in place
 * (no copy) with an index loop: it runs for every name of every new PEM.
 */
export function asciiContentOf(der: Uint8Array, element: DerElement): string | undefined {
  const { contentStart, end } = element;
  for (let at = contentStart; at < end; at++) if (der[at] > 0x7f) return undefined;
  // A V8 builtin for names of a usual length, where a Buffer view and its `toString` are JavaScript; long ones
  // would exceed the argument limit of `apply`.
  if (end - contentStart <= MAX_APPLY_LENGTH) {
    return String.fromCharCode.apply(null, der.subarray(contentStart, end) as unknown as number[]);
  }
  return Buffer.from(der.buffer, der.byteOffset + contentStart, end - contentStart).toString("latin1");
}

/** Longest text read with `String.fromCharCode.apply`: far below any engine's argument limit. */
const MAX_APPLY_LENGTH = 4096;

/** A BIT STRING's bits, which must be whole octets (signatures and keys are). */
export function bitStringOctets(der: Uint8Array, element: DerElement, what: string): Uint8Array {
  const content = contentOf(der, element);
  if (content.length === 0 || content[0] !== 0) throw new DerError(`${what} is not a whole number of octets`);
  return content.subarray(1);
}

/**
 * An OBJECT IDENTIFIER's dotted text (X.690, 8.19); arcs of 2^52 and more are exact too (BigInt). It runs for every
 * OID of every new PEM, mostly before V8 optimizes it: the usual ones come from a table, the rest from one loop over
 * the octets with plain numbers.
 */
export function oidText(der: Uint8Array, element: DerElement): string {
  return commonOidText(der, element) ?? arcsText(der, element);
}

/** Encodes a dotted OID as its DER contents octets (X.690, 8.19); used only to build the table below. */
function encodeOid(text: string): Uint8Array {
  const [first, second, ...rest] = text.split(".").map(Number);
  const octets: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc & 0x7f];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      groups.unshift(0x80 | (value & 0x7f));
    octets.push(...groups);
  }
  return Uint8Array.from(octets);
}

/**
 * The OIDs nearly every CSR and certificate carries (name attribute types, key and signature algorithms, the
 * extension request and subjectAltName), each with its encoding: {@link oidText} answers them with the constant
 * string instead of building one arc by arc.
 */
const COMMON_OIDS: readonly { readonly text: string; readonly encoded: Uint8Array }[] = [
  "2.5.4.3", // commonName
  "2.5.4.6", // countryName
  "2.5.4.7", // localityName
  "2.5.4.8", // stateOrProvinceName
  "2.5.4.10", // organizationName
  "2.5.4.11", // organizationalUnitName
  "1.2.840.113549.1.9.1", // emailAddress
  "1.2.840.113549.1.9.14", // extensionRequest
  "2.5.29.17", // subjectAltName
  "1.2.840.113549.1.1.1", // rsaEncryption
  "1.2.840.113549.1.1.11", // sha256WithRSAEncryption
  "1.2.840.10045.2.1", // id-ecPublicKey
  "1.2.840.10045.3.1.7", // prime256v1
  "1.2.840.10045.4.3.2", // ecdsa-with-SHA256
].map((text) => ({ text, encoded: encodeOid(text) }));

/** The constant text of an OID in {@link COMMON_OIDS}, else `undefined`. */
function commonOidText(der: Uint8Array, element: DerElement): string | undefined {
  const { contentStart, end } = element;
  const length = end - contentStart;
  for (const { text, encoded } of COMMON_OIDS) {
    if (encoded.length !== length) continue;
    let same = true;
    for (let i = 0; i < length && same; i++) same = der[contentStart + i] === encoded[i];
    if (same) return text;
  }
  return undefined;
}

/** An OID's dotted text, arc by arc, refusing a cut-short or padded arc. */
function arcsText(der: Uint8Array, element: DerElement): string {
  const { contentStart, end } = element;
  if (contentStart === end || (der[end - 1] & 0x80) !== 0) {
    throw new DerError(`the OID at offset ${element.start} is cut short`);
  }
  let text = "";
  let value = 0;
  let big: bigint | undefined;
  let fresh = true;
  for (let at = contentStart; at < end; at++) {
    const octet = der[at];
    if (fresh && octet === 0x80) {
      throw new DerError(`the OID at offset ${element.start} pads an arc with a leading zero`);
    }
    const bits = octet & 0x7f;
    if (big === undefined && value < 2 ** 45) value = value * 128 + bits;
    else big = ((big ?? BigInt(value)) << 7n) | BigInt(bits);
    fresh = (octet & 0x80) === 0;
    if (fresh) {
      text = text === "" ? firstArcs(big ?? value) : `${text}.${big ?? value}`;
      value = 0;
      big = undefined;
    }
  }
  return text;
}

/** The first subidentifier packs two arcs: 40 * X + Y, with X in 0..2 (X.690, 8.19.4). */
function firstArcs(head: number | bigint): string {
  if (typeof head === "bigint") return `2.${head - 80n}`;
  const first = head < 40 ? 0 : head < 80 ? 1 : 2;
  return `${first}.${head - first * 40}`;
}

function hex(tag: number): string {
  return tag.toString(16).padStart(2, "0");
}

/** Most elements the schema parser may be handed in one piece; real subjects and SAN lists hold a few dozen. */
export const MAX_SCHEMA_NODES = 2048;
/** Deepest nesting the schema parser may be handed; real names nest five levels. */
export const MAX_SCHEMA_DEPTH = 24;

/**
 * Walks the element's whole tree without recursion and refuses it when it holds more than `maxNodes` elements or
 * nests deeper than `maxDepth`: the general ASN.1 schema parser (the fallback for unusual subjects and SANs)
 * recurses and allocates per node, so what it is handed must be small first. DER writes a tree in preorder, so the
 * walk is one forward pass over the bytes, keeping only where each open constructed element ends.
 */
export function assertSmallTree(
  der: Uint8Array,
  root: DerElement,
  maxNodes = MAX_SCHEMA_NODES,
  maxDepth = MAX_SCHEMA_DEPTH,
): void {
  if ((root.tag & 0x20) === 0) return;
  if (maxDepth <= 1) throw new DerError(`an element at offset ${root.start} nests deeper than ${maxDepth} levels`);
  let nodes = 1;
  /** Where each open constructed element ends, outermost first; the depth of its children is its length + 1. */
  const openEnds: number[] = [root.end];
  const slot: ElementSlot = { tag: 0, start: 0, contentStart: 0, end: 0 };
  let at = root.contentStart;
  while (openEnds.length > 0) {
    const limit = openEnds[openEnds.length - 1];
    if (at === limit) {
      openEnds.pop();
      continue;
    }
    readHeaderInto(slot, der, at, limit);
    if (++nodes > maxNodes) throw new DerError(`a name holds more than ${maxNodes} ASN.1 nodes`);
    const depth = openEnds.length + 1;
    if ((slot.tag & 0x20) === 0) {
      at = slot.end;
      continue;
    }
    if (depth >= maxDepth)
      throw new DerError(`an element at offset ${slot.start} nests deeper than ${maxDepth} levels`);
    openEnds.push(slot.end);
    at = slot.contentStart;
  }
}
