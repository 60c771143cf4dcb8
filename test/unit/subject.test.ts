import { describeSubject, escapeValue } from "../../src/csr/subject";

describe("escapeValue (RFC 4514, 2.4)", () => {
  it.each([
    ["a,b", "a\\,b"],
    ["a+b", "a\\+b"],
    ['say "hi"', 'say \\"hi\\"'],
    ["back\\slash", "back\\\\slash"],
    ["<tag>", "\\<tag\\>"],
    ["a;b", "a\\;b"],
  ])("escapes the special characters in %j", (value, expected) => {
    expect(escapeValue(value)).toBe(expected);
  });

  it("escapes a leading space and a leading #", () => {
    expect(escapeValue(" lead")).toBe("\\ lead");
    expect(escapeValue("#lead")).toBe("\\#lead");
  });

  it("does not escape # or spaces in the middle", () => {
    expect(escapeValue("a #b c")).toBe("a #b c");
  });

  it("escapes a trailing space", () => {
    expect(escapeValue("trail ")).toBe("trail\\ ");
  });

  it("escapes a value that is a single space once", () => {
    expect(escapeValue(" ")).toBe("\\ ");
  });

  it("escapes both ends of a value of two spaces", () => {
    expect(escapeValue("  ")).toBe("\\ \\ ");
  });

  it("escapes a leading # together with a trailing space and specials inside", () => {
    expect(escapeValue("#a,b ")).toBe("\\#a\\,b\\ ");
  });

  it("writes NUL as \\00", () => {
    expect(escapeValue("a\0b")).toBe("a\\00b");
  });

  it("leaves ordinary text, = and non-ASCII untouched", () => {
    expect(escapeValue("www.example.com")).toBe("www.example.com");
    expect(escapeValue("x=y")).toBe("x=y");
    expect(escapeValue("Zürich")).toBe("Zürich");
    expect(escapeValue("")).toBe("");
  });
});

/** Minimal DER writer for hand-made X.501 Names (short-form lengths only, which these small names need). */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  if (body.length > 127) throw new Error("test helper supports short lengths only");
  return Buffer.concat([Buffer.from([tag, body.length]), body]);
}

const OIDS: Record<string, number[]> = {
  CN: [0x55, 0x04, 0x03],
  O: [0x55, 0x04, 0x0a],
  C: [0x55, 0x04, 0x06],
  serialNumber: [0x55, 0x04, 0x05],
  DC: [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19],
  UID: [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01],
};

function atv(type: keyof typeof OIDS, value: string, stringTag = 0x0c): Buffer {
  return tlv(0x30, tlv(0x06, Buffer.from(OIDS[type])), tlv(stringTag, Buffer.from(value, "utf8")));
}

function name(...rdns: Buffer[][]): ArrayBuffer {
  const der = tlv(0x30, ...rdns.map((members) => tlv(0x31, ...members)));
  return der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer;
}

describe("describeSubject", () => {
  it("writes the last RDN first, separated by commas", () => {
    const info = describeSubject(name([atv("C", "US", 0x13)], [atv("O", "Example")], [atv("CN", "www.example.com")]));
    expect(info.rfc4514).toBe("CN=www.example.com,O=Example,C=US");
    expect(info.commonNames).toEqual(["www.example.com"]);
  });

  it("joins the members of a multi-valued RDN with +", () => {
    const info = describeSubject(name([atv("O", "Acme")], [atv("O", "Web"), atv("CN", "www.x.dev")]));
    expect(info.rfc4514).toBe("CN=www.x.dev+O=Web,O=Acme"); // values reversed too, as openssl prints them
  });

  it("escapes values", () => {
    expect(describeSubject(name([atv("O", "Acme, Inc.")], [atv("CN", "#1 ")])).rfc4514).toBe(
      "CN=\\#1\\ ,O=Acme\\, Inc.",
    );
  });

  it("uses the short names DC and UID", () => {
    expect(
      describeSubject(name([atv("DC", "com", 0x16)], [atv("DC", "example", 0x16)], [atv("UID", "jdoe")])).rfc4514,
    ).toBe("UID=jdoe,DC=example,DC=com");
  });

  it("writes a type without a short name as its dotted OID and the hex of its BER value", () => {
    const info = describeSubject(name([atv("serialNumber", "1234", 0x13)], [atv("CN", "x")]));
    expect(info.rfc4514).toBe("CN=x,2.5.4.5=#130431323334");
  });

  it("lists every CN in request order", () => {
    const info = describeSubject(name([atv("CN", "first")], [atv("CN", "second")]));
    expect(info.commonNames).toEqual(["first", "second"]);
    expect(info.rfc4514).toBe("CN=second,CN=first");
  });

  it("an empty name renders as an empty string with no CN", () => {
    expect(describeSubject(name())).toEqual({ rfc4514: "", commonNames: [] });
  });
});
