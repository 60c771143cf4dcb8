import fc from "fast-check";
import { CsrFormatError, decodeCsrPem } from "../../src/csr/decode";
import { asciiContentOf, DerError, oidText, readElement } from "../../src/csr/der";
import { describeNameDer, describeSubject } from "../../src/csr/subject";
import { derToPem, OpensslWorkspace, pemToDer, type GeneratedCsr } from "./csr-fixtures";

/** One DER element: tag, definite minimal length, contents. */
function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([header(tag, body.length), body]);
}

function header(tag: number, n: number): Buffer {
  if (n < 0x80) return Buffer.from([tag, n]);
  if (n < 0x100) return Buffer.from([tag, 0x81, n]);
  if (n < 0x10000) return Buffer.from([tag, 0x82, n >> 8, n & 0xff]);
  return Buffer.from([tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
}

/** A NULL inside `depth` SEQUENCEs, built inside out in one pass (nesting by `tlv` would copy quadratically). */
function nested(depth: number): Buffer {
  const headers: Buffer[] = [];
  let size = 2;
  for (let i = 0; i < depth; i++) {
    headers.push(header(0x30, size));
    size += headers[i].length;
  }
  return Buffer.concat([...headers.reverse(), Buffer.from([0x05, 0x00])]);
}

const CN_OID = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);
const O_OID = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x0a]);
/** 1.2.3.4, a type without a short name (rendered as #hex). */
const OTHER_OID = Buffer.from([0x06, 0x03, 0x2a, 0x03, 0x04]);

let workspace: OpensslWorkspace;
let rsa: GeneratedCsr;
let ec: GeneratedCsr;

beforeAll(() => {
  workspace = new OpensslWorkspace();
  rsa = workspace.csr({ key: "rsa:2048", subject: "/O=Acme/CN=www.example.com", sans: ["DNS:www.example.com"] });
  ec = workspace.csr({ key: "ec-p256", subject: "/CN=api.example.net", sans: ["DNS:api.example.net", "IP:192.0.2.1"] });
});

afterAll(() => workspace.remove());

async function formatError(der: Buffer): Promise<CsrFormatError> {
  const error = await Promise.resolve()
    .then(() => decodeCsrPem(derToPem(der, "CERTIFICATE REQUEST")))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(CsrFormatError);
  return error as CsrFormatError;
}

/** A request with the given certificationRequestInfo parts, a sha256WithRSAEncryption id and an empty signature. */
function request(...infoParts: Buffer[]): Buffer {
  const algorithm = tlv(0x30, Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]));
  return tlv(0x30, tlv(0x30, ...infoParts), algorithm, tlv(0x03, Buffer.from([0x00])));
}

/** The real RSA request's SubjectPublicKeyInfo, so that only the part under test is odd. */
function realSpki(): Buffer {
  const der = pemToDer(rsa.pem);
  const info = readElement(der, readElement(der, 0, der.length).contentStart, der.length);
  let at = info.contentStart;
  for (let i = 0; i < 2; i++) at = readElement(der, at, info.end).end; // version, subject
  const spki = readElement(der, at, info.end);
  return der.subarray(spki.start, spki.end);
}

describe("the DER reader on malformed requests: always a CsrFormatError", () => {
  it("every truncation of a real request", async () => {
    for (const pem of [rsa.pem, ec.pem]) {
      const der = pemToDer(pem);
      for (let length = 1; length < der.length; length++) await formatError(der.subarray(0, length));
    }
  });

  it("an indefinite length (BER, not DER)", async () => {
    const der = pemToDer(ec.pem);
    const body = der.subarray(readElement(der, 0, der.length).contentStart);
    const error = await formatError(Buffer.concat([Buffer.from([0x30, 0x80]), body, Buffer.from([0x00, 0x00])]));
    expect(error.message).toMatch(/indefinite length/);
  });

  it.each([
    ["a length past the end", [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00], /claims more bytes/],
    ["a 5-octet length", [0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00], /5-octet length/],
    ["a 9-octet length", [0x30, 0x89, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], /9-octet length/],
    ["a long-form length that fits the short form", [0x30, 0x81, 0x03, 0x02, 0x01, 0x00], /shortest length/],
    ["a length with a leading zero octet", [0x30, 0x82, 0x00, 0x83, ...new Array<number>(0x83).fill(0)], /shortest/],
    ["a tag with no length", [0x30], /no length/],
    ["a high tag number that never ends", [0x3f, 0x81, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00], /tag .* too long/],
  ])("%s", async (_label, bytes, message) => {
    expect((await formatError(Buffer.from(bytes))).message).toMatch(message);
  });

  it("bytes after the request", async () => {
    const error = await formatError(Buffer.concat([pemToDer(rsa.pem), Buffer.from([0x00])]));
    expect(error.message).toMatch(/bytes after/);
  });

  it("an inner length that runs past its enclosing element", async () => {
    const der = pemToDer(ec.pem);
    const info = readElement(der, readElement(der, 0, der.length).contentStart, der.length);
    const broken = Buffer.from(der);
    broken[info.contentStart + 1] = 0x7f; // the version INTEGER now claims 127 bytes
    await formatError(broken);
  });

  it("deep nesting inside the subject (100,000 levels) is a CsrFormatError, not a stack overflow", async () => {
    const subject = tlv(0x30, tlv(0x31, tlv(0x30, OTHER_OID, nested(100_000))));
    await formatError(request(tlv(0x02, Buffer.from([0])), subject, realSpki(), tlv(0xa0)));
  });

  it("deep nesting in the attributes (100,000 levels) is a CsrFormatError", async () => {
    const subject = tlv(0x30, tlv(0x31, tlv(0x30, CN_OID, tlv(0x0c, Buffer.from("x")))));
    await formatError(request(tlv(0x02, Buffer.from([0])), subject, realSpki(), tlv(0xa0, nested(100_000))));
  });

  it("a certificationRequestInfo whose elements are out of order or tagged wrongly", async () => {
    const version = tlv(0x02, Buffer.from([0]));
    const subject = tlv(0x30);
    await formatError(request(subject, version, realSpki(), tlv(0xa0)));
    await formatError(request(version, subject, realSpki(), tlv(0x31)));
    await formatError(request(version, subject, realSpki(), tlv(0xa0), tlv(0x05)));
  });

  it("a request built by hand with the real key decodes (the reader is not merely refusing everything)", async () => {
    const subject = tlv(0x30, tlv(0x31, tlv(0x30, CN_OID, tlv(0x0c, Buffer.from("hand.example")))));
    const der = request(tlv(0x02, Buffer.from([0])), subject, realSpki(), tlv(0xa0));
    const decoded = await decodeCsrPem(derToPem(der, "CERTIFICATE REQUEST"));
    expect(decoded.commonNames).toEqual(["hand.example"]);
    expect(decoded.publicKeyAlgorithm).toBe("RSA-2048");
    expect(decoded.signatureValid).toBe(false);
  });
});

describe("oidText", () => {
  const oid = (...bytes: number[]) => {
    const der = tlv(0x06, Buffer.from(bytes));
    return oidText(der, readElement(der, 0, der.length));
  };

  it("reads the arcs, including the packed first two and arcs past 2^53", () => {
    expect(oid(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x0e)).toBe("1.2.840.113549.1.9.14");
    expect(oid(0x55, 0x1d, 0x11)).toBe("2.5.29.17");
    expect(oid(0x81, 0x34, 0x03)).toBe("2.100.3");
    expect(oid(0x2a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)).toBe(`1.2.${2n ** 63n}`);
  });

  it("refuses a cut-short arc and a padded arc", () => {
    expect(() => oid(0x2a, 0x86)).toThrow(DerError);
    expect(() => oid(0x2a, 0x80, 0x01)).toThrow(DerError);
    expect(() => oid()).toThrow(DerError);
  });
});

describe("describeNameDer agrees with the schema path (describeSubject) whenever it answers", () => {
  /** Strings of the types the fast path reads, and of types it leaves to the schema. */
  const value = fc.oneof(
    fc.string({ maxLength: 12 }).map((text) => tlv(0x13, Buffer.from(text, "latin1"))),
    fc.string({ maxLength: 12 }).map((text) => tlv(0x16, Buffer.from(text, "latin1"))),
    fc.string({ unit: "grapheme", maxLength: 8 }).map((text) => tlv(0x0c, Buffer.from(text, "utf8"))),
    fc.uint8Array({ maxLength: 8 }).map((bytes) => tlv(0x0c, Buffer.from(bytes))),
    fc.uint8Array({ maxLength: 8 }).map((bytes) => tlv(0x13, Buffer.from(bytes))),
    fc.string({ maxLength: 6 }).map((text) => tlv(0x1e, Buffer.from(text, "utf16le").swap16())),
    fc.string({ maxLength: 6 }).map((text) => tlv(0x14, Buffer.from(text, "latin1"))),
  );
  const atv = fc.tuple(fc.constantFrom(CN_OID, O_OID, OTHER_OID), value).map(([type, v]) => tlv(0x30, type, v));
  const name = fc
    .array(fc.array(atv, { minLength: 1, maxLength: 3 }), { maxLength: 4 })
    .map((rdns) => tlv(0x30, ...rdns.map((rdn) => tlv(0x31, ...rdn))));

  it("for generated names", () => {
    let answered = 0;
    fc.assert(
      fc.property(name, (der) => {
        const fast = describeNameDer(der, readElement(der, 0, der.length));
        if (fast === undefined) return;
        answered++;
        expect(fast).toEqual(describeSubject(new Uint8Array(der).buffer));
      }),
      { numRuns: 1_000 },
    );
    expect(answered).toBeGreaterThan(100);
  });
});

describe("asciiContentOf", () => {
  it.each([
    ["a usual name", "www.acme.dev"],
    ["a name longer than fromCharCode.apply is given", "a".repeat(5_000)],
    ["an empty value", ""],
  ])("reads %s as its latin1 text, from a Buffer and from a plain Uint8Array", (_what, text) => {
    const der = tlv(0x16, Buffer.from(text, "latin1"));
    const element = readElement(der, 0, der.length);
    expect(asciiContentOf(der, element)).toBe(text);
    const view = new Uint8Array(der.buffer, der.byteOffset, der.length);
    expect(asciiContentOf(view, element)).toBe(text);
  });

  it("says undefined for any byte above 0x7f", () => {
    const der = tlv(0x16, Buffer.from([0x61, 0xe9, 0x62]));
    expect(asciiContentOf(der, readElement(der, 0, der.length))).toBeUndefined();
  });
});
