import { execFileSync } from "node:child_process";
import { readCertificate, uncoveredNames } from "../../src/cli/certificate";

describe("uncoveredNames", () => {
  it.each([
    ["an exact name", ["www.acme.dev"], ["www.acme.dev"], []],
    ["case and a trailing dot", ["WWW.Acme.dev."], ["www.acme.dev"], []],
    ["a wildcard covers one left-most label", ["www.acme.dev", "api.acme.dev"], ["*.acme.dev"], []],
    ["a wildcard does not cover the bare domain", ["acme.dev"], ["*.acme.dev"], ["acme.dev"]],
    ["a wildcard does not cover two labels", ["a.b.acme.dev"], ["*.acme.dev"], ["a.b.acme.dev"]],
    ["a wildcard needs two labels after it", ["acme.dev"], ["*.dev"], ["acme.dev"]],
    ["a requested wildcard needs the same wildcard", ["*.acme.dev"], ["www.acme.dev"], ["*.acme.dev"]],
    ["a requested wildcard is covered by itself", ["*.acme.dev"], ["*.ACME.dev"], []],
    ["a wildcard does not cover a deeper wildcard", ["*.www.acme.dev"], ["*.acme.dev"], ["*.www.acme.dev"]],
    ["IP addresses compare exactly", ["192.0.2.1", "192.0.2.2"], ["192.0.2.1"], ["192.0.2.2"]],
    ["no names at all", ["www.acme.dev"], [], ["www.acme.dev"]],
  ])("%s", (_what, requested, certificate, expected) => {
    expect(uncoveredNames(requested, certificate)).toEqual(expected);
  });
});

describe("readCertificate", () => {
  const pem = execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "/dev/null", "-subj", "/CN=www.acme.dev",
    "-addext", "subjectAltName=DNS:www.acme.dev,IP:192.0.2.1,email:ops@acme.dev", "-days", "1",
  ], { stdio: ["ignore", "pipe", "ignore"] }).toString();

  it("reads names, validity and the SubjectPublicKeyInfo digest openssl computes", () => {
    const facts = readCertificate(`some text before\n${pem}`);
    const publicKey = execFileSync("openssl", ["x509", "-pubkey", "-noout"], { input: pem });
    const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "der"], { input: publicKey });
    const digest = execFileSync("sha256sum", [], { input: der }).toString().split(" ")[0];
    expect(facts).toMatchObject({ subject: "CN=www.acme.dev", issuer: "CN=www.acme.dev", publicKeySha256: digest });
    expect(facts.sans).toEqual(["www.acme.dev", "192.0.2.1", "email:ops@acme.dev"]);
    expect(facts.notAfter.getTime()).toBeGreaterThan(facts.notBefore.getTime());
  });

  it("a certificate without SANs has none", () => {
    const bare = execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "/dev/null", "-subj", "/CN=bare", "-days", "1"], { stdio: ["ignore", "pipe", "ignore"] }).toString();
    expect(readCertificate(bare).sans).toEqual([]);
  });

  it("says what is wrong with text that is not a certificate", () => {
    expect(() => readCertificate("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")).toThrow("no -----BEGIN CERTIFICATE----- block found");
    expect(() => readCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")).toThrow(/^the certificate does not parse/);
  });
});
