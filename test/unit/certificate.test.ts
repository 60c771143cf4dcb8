import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { CertificateCsr } from "../../src/public-types";
import { checkCertificate, MAX_CERTIFICATE_PEM_LENGTH } from "../../src/csr/certificate-check";
import { CertificateMismatchError, InvalidCustomCsrArgsError } from "../../src/errors";
import { opensslCertificateSubject, TestCa } from "../support/openssl";
import { OpensslWorkspace, opensslPublicKeySha256, type GeneratedCsr } from "./csr-fixtures";

let workspace: OpensslWorkspace;
let ca: TestCa;
let web: GeneratedCsr;
let other: GeneratedCsr;
let ec: GeneratedCsr;
/** The CSR as getCustomCsr would report it. */
let csr: CertificateCsr;
/** A 30-day certificate issued for `web`, its SANs copied from the CSR. */
let issued: string;
let notBefore: Date;

beforeAll(() => {
  workspace = new OpensslWorkspace();
  ca = new TestCa();
  const names = ["DNS:www.acme.dev", "DNS:acme.dev"];
  web = workspace.csr({ key: "rsa:2048", subject: "/C=US/O=Acme, Inc./CN=www.acme.dev", sans: names });
  // Another key asking for the same names: what a mix-up of CSRs during a renewal looks like.
  other = workspace.csr({ key: "rsa:2048", subject: "/CN=www.acme.dev", sans: names });
  const ecNames = ["DNS:api.acme.dev", "IP:192.0.2.1", "IP:2001:db8::1"];
  ec = workspace.csr({ key: "ec-p256", subject: "/CN=api.acme.dev", sans: ecNames });
  csr = asResult(web, "web-1", ["www.acme.dev", "acme.dev"]);
  issued = ca.issue(web.pem);
  const startDate = execFileSync("openssl", ["x509", "-noout", "-startdate"], { input: issued }).toString();
  notBefore = new Date(startDate.trim().replace(/^notBefore=/, ""));
});
afterAll(() => {
  workspace.remove();
  ca.dispose();
});

/** A moment every certificate issued during the test run is valid at. */
const tomorrow = () => new Date(Date.now() + 86_400_000);

/** A CSR made by openssl as getCustomCsr would report it: the facts checkCertificate compares. */
function asResult(generated: GeneratedCsr, customCsrId: string, sans: string[]): CertificateCsr {
  return { customCsrId, pem: generated.pem, sans, publicKeySha256: opensslPublicKeySha256(generated.path) };
}

/** What `run` throws (undefined when it returns). */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The problems checkCertificate reports, or [] when it accepts the certificate. */
function problemsOf(run: () => unknown): readonly string[] {
  const error = thrownBy(run);
  if (error === undefined) return [];
  if (!(error instanceof CertificateMismatchError)) throw error;
  return error.problems;
}

describe("checkCertificate", () => {
  it("accepts a certificate openssl issued for the CSR and returns its facts, as openssl reads them", () => {
    const facts = checkCertificate(csr, issued, { now: notBefore });
    expect(facts.subject).toBe(opensslCertificateSubject(issued));
    expect(facts).toMatchObject({
      subject: "CN=www.acme.dev,O=Acme\\, Inc.,C=US",
      issuer: "CN=Test CA",
      notBefore,
      daysRemaining: 30,
      publicKeySha256: csr.publicKeySha256,
      sans: ["www.acme.dev", "acme.dev"],
    });
    expect(facts.notAfter.getTime() - facts.notBefore.getTime()).toBe(30 * 86_400_000);
  });

  it("prints a multi-valued RDN as openssl -nameopt RFC2253 does", () => {
    const subject = "/C=US/O=Acme\\+Partners+OU=Web/CN=a.acme.dev";
    const generated = workspace.csr({ key: "ec-p256", subject, multivalueRdn: true, sans: ["DNS:a.acme.dev"] });
    const certificate = ca.issue(generated.pem);
    const facts = checkCertificate(asResult(generated, "mv", ["a.acme.dev"]), certificate, { now: tomorrow() });
    expect(facts.subject).toBe(opensslCertificateSubject(certificate));
    expect(facts.subject).toBe("CN=a.acme.dev,O=Acme\\+Partners+OU=Web,C=US");
  });

  it("reads the leaf of a chain, and a P-256 key and IP SANs (IPv6 in any spelling) as the CSR has them", () => {
    const leaf = ca.issue(ec.pem);
    const ecCsr = asResult(ec, "api", ["api.acme.dev", "192.0.2.1", "2001:DB8:0::1"]);
    const facts = checkCertificate(ecCsr, `issued by our CA:\n${leaf}${ca.pem}`, { now: tomorrow() });
    expect(facts.sans).toEqual(["api.acme.dev", "192.0.2.1", "2001:db8::1"]);
    expect(facts.publicKeySha256).toBe(ecCsr.publicKeySha256);
  });

  it("rejects a certificate issued for another key, even though its names match", () => {
    const certificate = ca.issue(other.pem);
    const otherKey = opensslPublicKeySha256(other.path);
    expect(problemsOf(() => checkCertificate(csr, certificate, { now: tomorrow() }))).toEqual([
      `it was issued for another key: its public key's SHA-256 is ${otherKey}, the CSR's is ${csr.publicKeySha256}`,
    ]);
  });

  it("rejects a certificate that leaves out a SAN of the CSR, naming it", () => {
    const certificate = ca.issue(web.pem, { sans: "DNS:www.acme.dev" });
    expect(problemsOf(() => checkCertificate(csr, certificate, { now: tomorrow() }))).toEqual([
      "it does not cover the CSR's SAN acme.dev (its SANs are www.acme.dev)",
    ]);
  });

  it("ignores the subject's CN: a certificate without SANs covers none", () => {
    const bareCsr = workspace.csr({ key: "rsa:2048", subject: "/CN=acme.dev" });
    const certificate = ca.issue(bareCsr.pem);
    const bare = asResult(bareCsr, "bare", ["acme.dev"]);
    expect(problemsOf(() => checkCertificate(bare, certificate, { now: tomorrow() }))).toEqual([
      "it does not cover the CSR's SAN acme.dev (it has no SANs)",
    ]);
  });

  it("a SAN holding a separator cannot pose as two names (CVE-2021-44532)", () => {
    const certificate = ca.issue(web.pem, { sans: "@alt\n[alt]\nDNS.1 = acme.dev, DNS:www.acme.dev" });
    expect(problemsOf(() => checkCertificate(csr, certificate, { now: tomorrow() }))).toEqual([
      'it does not cover the CSR\'s SAN www.acme.dev (its SANs are "acme.dev, dns:www.acme.dev")',
      'it does not cover the CSR\'s SAN acme.dev (its SANs are "acme.dev, dns:www.acme.dev")',
    ]);
  });

  describe("wildcards, per RFC 6125", () => {
    const ipv4AndV6 = ["192.0.2.1", "2001:db8::1:0"];
    it.each([
      ["a wildcard covers one left-most label", "DNS:*.acme.dev", ["www.acme.dev", "api.acme.dev"], []],
      ["names compare without case or a trailing dot", "DNS:WWW.Acme.dev", ["www.ACME.dev."], []],
      ["a wildcard does not cover the bare domain", "DNS:*.acme.dev", ["acme.dev"], ["acme.dev"]],
      ["a wildcard does not cover two labels", "DNS:*.acme.dev", ["a.b.acme.dev"], ["a.b.acme.dev"]],
      ["a wildcard needs two labels after it", "DNS:*.dev", ["acme.dev"], ["acme.dev"]],
      ["a partial-label wildcard is not one", "DNS:w*.acme.dev", ["www.acme.dev"], ["www.acme.dev"]],
      ["a wildcard only stands first", "DNS:www.*.dev", ["www.acme.dev"], ["www.acme.dev"]],
      ["a requested wildcard needs the same wildcard", "DNS:www.acme.dev", ["*.acme.dev"], ["*.acme.dev"]],
      ["a requested wildcard is covered by itself", "DNS:*.ACME.dev", ["*.acme.dev"], []],
      ["a wildcard does not cover a deeper wildcard", "DNS:*.acme.dev", ["*.www.acme.dev"], ["*.www.acme.dev"]],
      ["a wildcard never matches an IP address", "DNS:*.0.2.1", ["192.0.2.1"], ["192.0.2.1"]],
      ["a DNS name never matches an IP address", "DNS:192.0.2.1", ["192.0.2.1"], ["192.0.2.1"]],
      ["an IP address matches the same iPAddress SAN", "IP:192.0.2.1,IP:2001:db8:0:0:0:0:1:0", ipv4AndV6, []],
    ])("%s", (_what, certificateSans, requested, uncovered) => {
      const certificate = ca.issue(web.pem, { sans: certificateSans });
      const asked = { ...csr, sans: requested };
      const problems = problemsOf(() => checkCertificate(asked, certificate, { now: tomorrow() }));
      expect(problems.map((problem) => /SAN (\S+) \(/.exec(problem)?.[1])).toEqual(uncovered);
    });
  });

  describe("validity", () => {
    it("rejects a certificate that is not valid yet", () => {
      const now = new Date(notBefore.getTime() - 3_600_000);
      expect(problemsOf(() => checkCertificate(csr, issued, { now }))).toEqual([
        `it is not valid yet: its validity starts ${notBefore.toISOString()} (checked at ${now.toISOString()})`,
      ]);
    });

    it("rejects an expired certificate", () => {
      const notAfter = new Date(notBefore.getTime() + 30 * 86_400_000);
      const now = new Date(notAfter.getTime() + 1000);
      expect(problemsOf(() => checkCertificate(csr, issued, { now }))).toEqual([
        `it expired ${notAfter.toISOString()} (checked at ${now.toISOString()})`,
      ]);
    });

    it("rejects a certificate with fewer days left than required, and accepts exactly enough", () => {
      expect(problemsOf(() => checkCertificate(csr, issued, { now: notBefore, minDaysRemaining: 30.5 }))).toEqual([
        `it has 30 days left (valid until ${new Date(notBefore.getTime() + 30 * 86_400_000).toISOString()}), ` +
          "fewer than the 30.5 required",
      ]);
      expect(checkCertificate(csr, issued, { now: notBefore, minDaysRemaining: 30 }).daysRemaining).toBe(30);
    });

    it("checks at the current time by default", () => {
      expect(checkCertificate(csr, issued).daysRemaining).toBeGreaterThanOrEqual(29);
      const problems = problemsOf(() => checkCertificate(csr, issued, { minDaysRemaining: 31 }));
      expect(problems).toEqual([expect.stringMatching(/^it has 29 days left/)]);
    });
  });

  it("lists every problem at once, and names the CSR in the message", () => {
    const certificate = ca.issue(other.pem, { sans: "DNS:api.acme.dev", days: 1 });
    const now = new Date(Date.now() + 2 * 86_400_000);
    const error = thrownBy(() => checkCertificate(csr, certificate, { now })) as CertificateMismatchError;
    expect(error).toBeInstanceOf(CertificateMismatchError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("CertificateMismatchError");
    expect(error.customCsrId).toBe("web-1");
    expect(error.problems).toEqual([
      expect.stringMatching(/^it was issued for another key/),
      "it does not cover the CSR's SAN www.acme.dev (its SANs are api.acme.dev)",
      "it does not cover the CSR's SAN acme.dev (its SANs are api.acme.dev)",
      expect.stringMatching(/^it expired /),
    ]);
    const listed = error.problems.map((p) => `  - ${p}`).join("\n");
    expect(error.message).toBe(`The certificate does not fit custom CSR web-1:\n${listed}`);
  });

  describe("input that is not a certificate is a CertificateMismatchError saying what it is", () => {
    const truncated = () => issued.slice(0, 400) + "\n-----END CERTIFICATE-----\n";
    const privateKey = () => readFileSync(web.keyPath, "utf8");
    const huge = () => issued + " ".repeat(MAX_CERTIFICATE_PEM_LENGTH);
    const block = (label: string) => () => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;
    const unparsable = /^the CERTIFICATE block does not parse as an X\.509 certificate \(/;
    it.each<[string, () => unknown, RegExp]>([
      ["not a string", () => 42, /^the certificate must be PEM text, not number$/],
      ["null", () => null, /^the certificate must be PEM text, not null$/],
      ["empty text", () => "", /^the text is not a PEM certificate: no -----BEGIN CERTIFICATE----- line found$/],
      ["garbage", () => "\u0000\u00ff garbage ]]]", /^the text is not a PEM certificate/],
      ["the CSR itself", () => web.pem, /^the text is a certificate signing request, not a certificate: have a CA/],
      ["a private key", privateKey, /^the text is a private key, not a certificate/],
      ["another PEM block", block("PUBLIC KEY"), /^the text holds a PEM PUBLIC KEY block, not a CERTIFICATE$/],
      ["no END line", () => issued.slice(0, 300), /^the CERTIFICATE block has no -----END CERTIFICATE----- line$/],
      ["base64 garbage", block("CERTIFICATE"), unparsable],
      ["a truncated certificate", truncated, unparsable],
      ["huge input", huge, /^the text is \d+ characters long, more than 131072/],
    ])("%s", (_what, input, problem) => {
      const text = input();
      const thrown = thrownBy(() => checkCertificate(csr, text as string));
      expect(thrown).toBeInstanceOf(CertificateMismatchError);
      expect((thrown as CertificateMismatchError).problems).toEqual([expect.stringMatching(problem)]);
      // Never quoted: a private key pasted by mistake must not end up in a log.
      if (typeof text === "string" && text.length > 100) {
        expect((thrown as Error).message).not.toContain(text.split("\n")[1]);
      }
    });
  });

  it("rejects malformed arguments with InvalidCustomCsrArgsError naming each field", () => {
    const malformed = { ...csr, publicKeySha256: "abc", sans: "acme.dev" as unknown as string[] };
    const call = () => checkCertificate(malformed, issued, { now: new Date(NaN), minDaysRemaining: -1 });
    expect(call).toThrow(InvalidCustomCsrArgsError);
    expect(call).toThrow(/csr\.publicKeySha256[\s\S]*csr\.sans[\s\S]*options\.now[\s\S]*options\.minDaysRemaining/);
    expect(() => checkCertificate(undefined as unknown as CertificateCsr, issued)).toThrow(InvalidCustomCsrArgsError);
  });
});
