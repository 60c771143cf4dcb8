import fc from "fast-check";
import { canonicalIPv6, normalizeSan, sanCovers, sanKind } from "../../src/csr/names";

describe("normalizeSan", () => {
  it("compares DNS names without ASCII case or one trailing dot, and IPv6 addresses in any spelling", () => {
    expect(normalizeSan("WWW.Example.com.")).toBe("www.example.com");
    expect(normalizeSan("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(normalizeSan("192.0.2.1")).toBe("192.0.2.1");
  });

  it("trims nothing: a name with whitespace or a control character stays junk", () => {
    expect(normalizeSan(" www.acme.dev\n")).toBe(" www.acme.dev\n");
    expect(sanKind(normalizeSan(" www.acme.dev\n"))).toBe("junk");
    expect(sanKind(normalizeSan("www.acme.dev\u0000"))).toBe("junk");
    expect(sanKind(normalizeSan("www.acme.dev.."))).toBe("junk");
  });

  it("never throws, whatever the text (a zoned IPv6 address is junk, not a TypeError)", () => {
    expect(normalizeSan("fe80::1%eth0")).toBe("fe80::1%eth0");
    expect(sanKind("fe80::1%eth0")).toBe("junk");
    fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => typeof normalizeSan(text) === "string"));
  });
});

describe("canonicalIPv6", () => {
  const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
  const address = fc.array(group, { minLength: 8, maxLength: 8 }).map((groups) => groups.join(":"));

  it("spells every address as WHATWG URL does (RFC 5952), compressed or not", () => {
    fc.assert(
      fc.property(address, fc.boolean(), (text, upper) => {
        const spelled = upper ? text.toUpperCase() : text;
        const expected = new URL(`http://[${text}]/`).hostname.slice(1, -1);
        expect(canonicalIPv6(spelled)).toBe(expected);
        expect(canonicalIPv6(expected)).toBe(expected);
      }),
      { seed: 15, numRuns: 500 },
    );
  });

  it("reads an embedded IPv4 tail and refuses what is not an address", () => {
    expect(canonicalIPv6("::ffff:192.0.2.1")).toBe("::ffff:c000:201");
    expect(canonicalIPv6("::")).toBe("::");
    for (const bad of ["fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":::", "::ffff:300.1.1.1", "a.b"]) {
      expect(canonicalIPv6(bad)).toBeUndefined();
    }
  });
});

describe("sanCovers (RFC 6125, 6.4)", () => {
  it.each([
    ["www.acme.dev", "www.acme.dev", true],
    ["*.acme.dev", "www.acme.dev", true],
    ["*.acme.dev", "acme.dev", false],
    ["*.acme.dev", "a.b.acme.dev", false],
    ["*.dev", "acme.dev", false],
    ["w*.acme.dev", "www.acme.dev", false],
    ["*.*.acme.dev", "a.b.acme.dev", false],
    ["*.acme.dev", "*.acme.dev", true],
    ["*.acme.dev", "*.www.acme.dev", false],
    ["192.0.2.1", "192.0.2.1", true],
    ["*.0.2.1", "192.0.2.1", false],
    ["url:https://acme.dev/", "url:https://acme.dev/", true],
    ["www.acme.dev ", "www.acme.dev ", false],
  ])("%j covers %j: %s", (held, wanted, expected) => {
    expect(sanCovers(normalizeSan(held), normalizeSan(wanted))).toBe(expected);
  });
});
