import { CsrFormatError, decodeCsrPem } from "../../src/csr/decode";
import {
  breakEcdsaSignatureEncoding,
  derToPem,
  opensslPublicKeySha256,
  opensslSubject,
  OpensslWorkspace,
  pemToDer,
  tamperSignature,
  type GeneratedCsr,
} from "./csr-fixtures";

let workspace: OpensslWorkspace;
let rsa: GeneratedCsr;
let ec: GeneratedCsr;
let multiValued: GeneratedCsr;
let specials: GeneratedCsr;
let noSans: GeneratedCsr;
let utf8: GeneratedCsr;
let mixed: GeneratedCsr;
let ed: GeneratedCsr;
let certificate: string;
let sha1: GeneratedCsr;
let md5: GeneratedCsr;
let sha384: GeneratedCsr;
let secp256k1: GeneratedCsr;

beforeAll(() => {
  workspace = new OpensslWorkspace();
  rsa = workspace.csr({
    key: "rsa:2048",
    subject: "/C=US/ST=California/L=San Francisco/O=Acme\\, Inc./OU=Web/CN=www.example.com",
    sans: ["DNS:www.example.com", "DNS:example.com", "DNS:api.example.com"],
  });
  ec = workspace.csr({
    key: "ec-p256",
    subject: "/C=GB/O=Example Ltd/CN=api.example.net",
    sans: ["DNS:api.example.net", "DNS:*.example.net", "IP:192.0.2.1"],
  });
  multiValued = workspace.csr({
    key: "ec-p256",
    subject: "/O=Acme/OU=Web+CN=www.x.dev",
    multivalueRdn: true,
    sans: ["DNS:www.x.dev"],
  });
  specials = workspace.csr({
    key: "ec-p256",
    subject: '/C=US/O=a\\+b;c<d>"q"\\\\e,f/OU=#lead/L= spaced /ST=x=y/CN=x.dev',
  });
  noSans = workspace.csr({ key: "ec-p256", subject: "/O=No Names Inc" });
  utf8 = workspace.csr({ key: "ec-p256", subject: "/O=Zürich AG/CN=café.example", utf8: true });
  mixed = workspace.csr({
    key: "ec-p256",
    subject: "/CN=mixed.example",
    sans: ["DNS:mixed.example", "email:ops@mixed.example"],
    extensions: ["keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth"],
  });
  ed = workspace.csr({ key: "ed25519", subject: "/CN=ed.example" });
  certificate = workspace.certificate(ec.keyPath);
  sha1 = workspace.csr({ key: "rsa:2048", subject: "/CN=sha1.example", digest: "sha1" });
  md5 = workspace.csr({ key: "rsa:2048", subject: "/CN=md5.example", digest: "md5" });
  sha384 = workspace.csr({ key: "ec-p256", subject: "/CN=sha384.example", digest: "sha384" });
  secp256k1 = workspace.csr({ key: "ec-secp256k1", subject: "/CN=k1.example" });
});

afterAll(() => workspace.remove());

async function formatError(pem: string): Promise<CsrFormatError> {
  const error = await Promise.resolve()
    .then(() => decodeCsrPem(pem))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(CsrFormatError);
  return error as CsrFormatError;
}

describe("decodeCsrPem on real openssl requests", () => {
  it("renders an RSA request's subject exactly as openssl -nameopt RFC2253 does", async () => {
    const decoded = await decodeCsrPem(rsa.pem);
    expect(decoded.subject).toBe(opensslSubject(rsa.path));
    expect(decoded.subject).toBe("CN=www.example.com,OU=Web,O=Acme\\, Inc.,L=San Francisco,ST=California,C=US");
  });

  it("renders an EC request's subject exactly as openssl -nameopt RFC2253 does", async () => {
    const decoded = await decodeCsrPem(ec.pem);
    expect(decoded.subject).toBe(opensslSubject(ec.path));
    expect(decoded.subject).toBe("CN=api.example.net,O=Example Ltd,C=GB");
  });

  it("escapes RFC 4514 specials, a leading #, and leading and trailing spaces the way openssl does", async () => {
    const decoded = await decodeCsrPem(specials.pem);
    expect(decoded.subject).toBe(opensslSubject(specials.path));
    expect(decoded.subject).toBe('CN=x.dev,ST=x=y,L=\\ spaced\\ ,OU=\\#lead,O=a\\+b\\;c\\<d\\>\\"q\\"\\\\e\\,f,C=US');
  });

  it("joins a multi-valued RDN with + and writes it exactly as openssl's RFC2253 mode does", async () => {
    const decoded = await decodeCsrPem(multiValued.pem);
    expect(decoded.subject).toBe(opensslSubject(multiValued.path));
    expect(decoded.subject).toBe("CN=www.x.dev+OU=Web,O=Acme");
    expect(decoded.commonNames).toEqual(["www.x.dev"]);
  });

  it("keeps non-ASCII subject text as UTF-8 (openssl's RFC2253 mode would hex-escape it)", async () => {
    const decoded = await decodeCsrPem(utf8.pem);
    expect(decoded.subject).toBe("CN=café.example,O=Zürich AG");
    expect(decoded.commonNames).toEqual(["café.example"]);
  });

  it("lists the requested SANs in order, IPs as plain text", async () => {
    expect((await decodeCsrPem(rsa.pem)).sans).toEqual(["www.example.com", "example.com", "api.example.com"]);
    expect((await decodeCsrPem(ec.pem)).sans).toEqual(["api.example.net", "*.example.net", "192.0.2.1"]);
  });

  it("lists other SAN kinds as kind:value, ignoring the request's other extensions", async () => {
    expect((await decodeCsrPem(mixed.pem)).sans).toEqual(["mixed.example", "email:ops@mixed.example"]);
  });

  it("a request without a SAN extension has no SANs and no CN", async () => {
    const decoded = await decodeCsrPem(noSans.pem);
    expect(decoded.sans).toEqual([]);
    expect(decoded.commonNames).toEqual([]);
    expect(decoded.subject).toBe("O=No Names Inc");
  });

  it("names the key algorithms RSA-2048 and ECDSA-P256 (RSA-4096 is covered in verify.test.ts)", async () => {
    expect((await decodeCsrPem(rsa.pem)).publicKeyAlgorithm).toBe("RSA-2048");
    expect((await decodeCsrPem(ec.pem)).publicKeyAlgorithm).toBe("ECDSA-P256");
  });

  it.each(["rsa", "ec"])(
    "the %s public key hash equals openssl req -pubkey | openssl pkey -outform der | sha256sum",
    async (which) => {
      const csr = which === "rsa" ? rsa : ec;
      const decoded = await decodeCsrPem(csr.pem);
      expect(decoded.publicKeySha256).toMatch(/^[0-9a-f]{64}$/);
      expect(decoded.publicKeySha256).toBe(opensslPublicKeySha256(csr.path));
    },
  );

  it("different keys give different hashes", async () => {
    expect((await decodeCsrPem(rsa.pem)).publicKeySha256).not.toBe((await decodeCsrPem(ec.pem)).publicKeySha256);
  });

  it("verifies the self-signature of RSA and EC requests", async () => {
    expect((await decodeCsrPem(rsa.pem)).signatureValid).toBe(true);
    expect((await decodeCsrPem(ec.pem)).signatureValid).toBe(true);
  });

  it.each(["rsa", "ec"])(
    "a %s request with a flipped signature byte still decodes but its signature is invalid",
    async (which) => {
      const csr = which === "rsa" ? rsa : ec;
      const decoded = await decodeCsrPem(tamperSignature(csr.pem));
      expect(decoded.signatureValid).toBe(false);
      expect(decoded.subject).toBe(opensslSubject(csr.path));
    },
  );

  it("a signature that does not even parse counts as invalid rather than failing the decode", async () => {
    const decoded = await decodeCsrPem(breakEcdsaSignatureEncoding(ec.pem));
    expect(decoded.signatureValid).toBe(false);
    expect(decoded.publicKeyAlgorithm).toBe("ECDSA-P256");
  });

  it("names a key without a modulus or curve by its algorithm name (Ed25519)", async () => {
    const decoded = await decodeCsrPem(ed.pem);
    expect(decoded.publicKeyAlgorithm).toBe("Ed25519");
    expect(decoded.signatureValid).toBe(true);
    expect(decoded.publicKeySha256).toBe(opensslPublicKeySha256(ed.path));
  });

  it("a request whose subject was altered after signing fails the signature check", async () => {
    const der = pemToDer(rsa.pem);
    const at = der.indexOf(Buffer.from("www.example.com"));
    expect(at).toBeGreaterThan(0);
    der[at] = "v".charCodeAt(0);
    const decoded = await decodeCsrPem(derToPem(der, "CERTIFICATE REQUEST"));
    expect(decoded.commonNames).toEqual(["vww.example.com"]);
    expect(decoded.signatureValid).toBe(false);
  });
});

describe("decodeCsrPem's signature policy", () => {
  it.each([
    ["SHA-1", () => sha1, "sha1WithRSAEncryption (SHA-1)"],
    ["MD5", () => md5, "md5WithRSAEncryption (MD5)"],
  ])("refuses a %s signature, naming the algorithm, while still decoding the rest", async (_label, csr, algorithm) => {
    const decoded = await decodeCsrPem(csr().pem);
    expect(decoded.signatureValid).toBe(false);
    expect(decoded.signatureProblem).toContain(`the CSR is signed with ${algorithm}, which this package does not`);
    expect(decoded.publicKeyAlgorithm).toBe("RSA-2048");
    expect(decoded.publicKeySha256).toBe(opensslPublicKeySha256(csr().path));
  });

  it("accepts a signature with a stronger hash than SHA-256 (ecdsa-with-SHA384)", async () => {
    const decoded = await decodeCsrPem(sha384.pem);
    expect(decoded.signatureValid).toBe(true);
    expect(decoded.signatureProblem).toBeUndefined();
  });

  it("names a key type it does not verify (secp256k1) as such, not as a failed signature", async () => {
    const decoded = await decodeCsrPem(secp256k1.pem);
    expect(decoded.publicKeyAlgorithm).toBe("ECDSA-secp256k1");
    expect(decoded.signatureValid).toBe(false);
    expect(decoded.signatureProblem).toBe("the CSR's key is ECDSA-secp256k1, a key type this package does not verify");
    expect(decoded.publicKeySha256).toBe(opensslPublicKeySha256(secp256k1.path));
  });

  it("a verified signature carries no signature problem", async () => {
    expect((await decodeCsrPem(rsa.pem)).signatureProblem).toBeUndefined();
  });
});

describe("decodeCsrPem on malformed input", () => {
  it("accepts surrounding whitespace and CRLF line endings", async () => {
    const crlf = `\r\n  ${ec.pem.replace(/\n/g, "\r\n")}\n\n`;
    expect((await decodeCsrPem(crlf)).signatureValid).toBe(true);
  });

  it("accepts the legacy NEW CERTIFICATE REQUEST label", async () => {
    const legacy = ec.pem.replace(/CERTIFICATE REQUEST/g, "NEW CERTIFICATE REQUEST");
    expect((await decodeCsrPem(legacy)).subject).toBe("CN=api.example.net,O=Example Ltd,C=GB");
  });

  it("refuses text without a PEM block", async () => {
    expect((await formatError("hello")).message).toBe("no PEM block found");
    expect((await formatError("")).message).toBe("no PEM block found");
  });

  it("refuses two PEM blocks", async () => {
    expect((await formatError(`${ec.pem}${rsa.pem}`)).message).toBe("expected exactly one PEM block, found 2");
  });

  it("refuses a certificate", async () => {
    expect((await formatError(certificate)).message).toBe(
      'the PEM block is a "CERTIFICATE", not a "CERTIFICATE REQUEST"',
    );
  });

  it("refuses a certificate's DER under a request label", async () => {
    const relabelled = certificate.replace(/CERTIFICATE/g, "CERTIFICATE REQUEST");
    expect((await formatError(relabelled)).message).toMatch(/^the PEM block is not a PKCS#10 certificate request/);
  });

  it("refuses a block whose BEGIN and END labels differ", async () => {
    const mismatched = ec.pem.replace("-----END CERTIFICATE REQUEST-----", "-----END CERTIFICATE-----");
    expect((await formatError(mismatched)).message).toBe(
      'the PEM block begins as "CERTIFICATE REQUEST" but ends as "CERTIFICATE"',
    );
  });

  it("refuses text before or after the block", async () => {
    expect((await formatError(`subject=CN=x\n${ec.pem}`)).message).toBe("there is text outside the PEM block");
    expect((await formatError(`${ec.pem}trailing`)).message).toBe("there is text outside the PEM block");
  });

  it.each([
    ["characters outside the alphabet", "!!!!"],
    ["padding in the middle", "AB==CD=="],
    ["a length that is not a multiple of four", "ABCDE"],
    ["an empty body", ""],
    ["padding alone", "===="],
    ["three padding characters", "A==="],
    ["base64url's letters", "AB-_"],
    ["a non-ASCII letter", "ABC\u00e9"],
    ["a non-ASCII letter beside a Unicode space", "AB\u00a0C\u00e9"],
  ])("refuses a body with %s as bad base64", async (_label, body) => {
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
    expect((await formatError(pem)).message).toBe("the PEM body is not valid base64");
  });

  it.each([
    ["CRLF line ends", (body: string) => body.replace(/\n/g, "\r\n")],
    ["tabs, vertical tabs and form feeds", (body: string) => body.replace(/\n/g, "\t\v\f\n")],
    ["Unicode spaces (JavaScript's whitespace)", (body: string) => body.replace(/\n/g, "\u00a0\u2028\ufeff\n")],
    ["one line", (body: string) => body.replace(/\n/g, "")],
  ])("reads a body with %s as the same DER", async (_label, respace) => {
    const [, body] = /-----\n([^-]*)-----END/.exec(ec.pem) ?? [];
    const expected = await decodeCsrPem(ec.pem);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${respace(body)}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(await decodeCsrPem(pem)).toEqual(expected);
  });

  it("refuses valid base64 that is not DER", async () => {
    const pem = derToPem(Buffer.from("definitely not a certificate request"), "CERTIFICATE REQUEST");
    expect((await formatError(pem)).message).toMatch(/^the PEM block is not a PKCS#10 certificate request/);
  });

  it("names itself CsrFormatError", async () => {
    expect((await formatError("x")).name).toBe("CsrFormatError");
  });
});
