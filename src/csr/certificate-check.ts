import { createHash, X509Certificate } from "node:crypto";
import { CertificateMismatchError, InvalidCustomCsrArgsError, listWithin, type ArgumentProblem } from "../errors";
import { readCertificateDer, type CertificateDerFields } from "./certificate-der";
import type { SubjectAltName } from "./decode";
import { normalizeSan, sanCovers } from "./names";
import { findPemBlocks } from "./pem";
import type { CertificateCheck, CertificateCheckOptions, CertificateCsr } from "../public-types";

/** A certificate as read from PEM, before it is compared with a CSR. */
export interface CertificateFacts extends Omit<CertificateCheck, "daysRemaining" | "sans"> {
  /** The subjectAltName's names, spelled by `normalizeSan` (so a CSR's and a certificate's names compare). */
  readonly names: readonly SubjectAltName[];
}

/** Which requirement a problem breaks (`custom-csr verify` reports one check per aspect). */
export type CertificateAspect = "key" | "sans" | "validity";

/** One problem found by {@link assessCertificate}: a sentence, and the aspect it concerns. */
export interface CertificateProblem {
  readonly aspect: CertificateAspect;
  readonly sentence: string;
}

/**
 * Longest certificate text accepted. A leaf with a long chain of RSA-4096 certificates is about 10 KB; anything
 * far beyond is not a certificate, and bounding it keeps hostile input cheap to reject.
 */
export const MAX_CERTIFICATE_PEM_LENGTH = 128 * 1024;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Up to this many uncovered SANs get a sentence each; more are summed up in one. */
const MAX_SAN_SENTENCES = 5;
const BEGIN = "-----BEGIN CERTIFICATE-----";
const END = "-----END CERTIFICATE-----";

/**
 * Is this certificate, issued by the user's CA, the one to upload for this custom CSR (with `cloudflare.CustomSsl`
 * or `cloudflare.CustomHostname`, referencing the CSR)? Checks that it carries the CSR's public key (SHA-256 of the
 * SubjectPublicKeyInfo), covers every SAN of the CSR (wildcards per RFC 6125: `*` only as the whole left-most label,
 * matching exactly one label, never an IP address; the subject's CN is not used), is valid at `options.now` and has
 * at least `options.minDaysRemaining` days left. Reads the first certificate of `certificatePem` (a leaf followed by
 * its chain is fine). Pulumi-free: works in any Node.js code.
 *
 * @returns the certificate's facts when every check passes.
 * @throws CertificateMismatchError listing every problem, including "not a certificate" for text that does not parse.
 * @throws InvalidCustomCsrArgsError when `csr` or `options` are malformed (a field of the wrong type or range).
 *
 * @example
 * ```ts
 * const csr = await getCustomCsr({ customCsrId: "7b163417-1d2b-4c84-a38a-2fb7a0cd7752", zoneId: "<zone id>" });
 * const facts = checkCertificate(csr, fs.readFileSync("web.crt", "utf8"), { minDaysRemaining: 30 });
 * console.log(`${facts.subject} by ${facts.issuer}: ${facts.daysRemaining} days left`);
 * ```
 */
export function checkCertificate(
  csr: CertificateCsr,
  certificatePem: string,
  options?: CertificateCheckOptions,
): CertificateCheck {
  const { now, minDaysRemaining } = checkArguments(csr, options);
  const facts = readCertificate(certificatePem, csr.customCsrId);
  const { check, problems } = assessCertificate(csr, facts, { now, minDaysRemaining });
  if (problems.length > 0)
    throw new CertificateMismatchError(
      problems.map((p) => p.sentence),
      csr.customCsrId,
    );
  return check;
}

/** Rejects a malformed `csr` or `options` with every problem named; returns the options with defaults applied. */
function checkArguments(
  csr: CertificateCsr,
  options: CertificateCheckOptions | undefined,
): Required<CertificateCheckOptions> {
  const problems: ArgumentProblem[] = [];
  if (typeof csr !== "object" || csr === null) {
    throw new InvalidCustomCsrArgsError([{ field: "csr", reason: "expected a custom CSR (a getCustomCsr result)" }]);
  }
  if (typeof csr.publicKeySha256 !== "string" || !/^[0-9a-fA-F]{64}$/.test(csr.publicKeySha256)) {
    problems.push({ field: "csr.publicKeySha256", reason: "expected 64 hex digits (a getCustomCsr result has them)" });
  }
  if (csr.sans !== undefined && !(Array.isArray(csr.sans) && csr.sans.every((san) => typeof san === "string"))) {
    problems.push({ field: "csr.sans", reason: "expected an array of strings, or nothing" });
  }
  const now = options?.now ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    problems.push({ field: "options.now", reason: "expected a valid Date" });
  }
  const minDaysRemaining = options?.minDaysRemaining ?? 0;
  if (typeof minDaysRemaining !== "number" || !Number.isFinite(minDaysRemaining) || minDaysRemaining < 0) {
    problems.push({ field: "options.minDaysRemaining", reason: "expected a number of days, 0 or more" });
  }
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  return { now, minDaysRemaining };
}

/**
 * Reads the first certificate of PEM text. Anything else (not a string, too long, no PEM, a CSR or a key, a block
 * that does not parse) throws a {@link CertificateMismatchError} saying what the text is instead.
 */
export function readCertificate(text: unknown, customCsrId?: string): CertificateFacts {
  const fail = (problem: string): never => {
    throw new CertificateMismatchError([problem], customCsrId);
  };
  if (typeof text !== "string") {
    return fail(`the certificate must be PEM text, not ${text === null ? "null" : typeof text}`);
  }
  if (text.length > MAX_CERTIFICATE_PEM_LENGTH) {
    const limit = MAX_CERTIFICATE_PEM_LENGTH;
    return fail(`the text is ${text.length} characters long, more than ${limit} (far beyond any certificate chain)`);
  }
  const block = findPemBlocks(text).find((candidate) => candidate.label === "CERTIFICATE");
  if (block === undefined) return fail(whatInsteadOfCertificate(text));
  if (block.endLabel !== "CERTIFICATE") return fail(`the CERTIFICATE block has no ${END} line`);
  let certificate: X509Certificate;
  let fields: CertificateDerFields;
  try {
    certificate = new X509Certificate(text.slice(block.start, block.end));
  } catch (error) {
    const reason = (error as Error).message.slice(0, 200);
    return fail(`the CERTIFICATE block does not parse as an X.509 certificate (${reason})`);
  }
  try {
    fields = readCertificateDer(certificate.raw);
  } catch (error) {
    return fail(
      `the certificate's names, validity or subjectAltName cannot be read (${(error as Error).message.slice(0, 200)})`,
    );
  }
  let spki: Buffer;
  try {
    spki = certificate.publicKey.export({ type: "spki", format: "der" });
  } catch (error) {
    return fail(`the certificate's public key cannot be read (${(error as Error).message.slice(0, 200)})`);
  }
  return {
    subject: fields.subject,
    issuer: fields.issuer,
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    publicKeySha256: createHash("sha256").update(spki).digest("hex"),
    names: fields.sans.map(({ type, text }) => ({ type, text: normalizeSan(text) })),
  };
}

/** Names what a text without a CERTIFICATE block holds, without quoting it (it may be a private key). */
function whatInsteadOfCertificate(text: string): string {
  const label = /-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(text)?.[1];
  if (label === undefined) return `the text is not a PEM certificate: no ${BEGIN} line found`;
  if (label === "CERTIFICATE") return `the CERTIFICATE block has no ${END} line`;
  if (label.endsWith("CERTIFICATE REQUEST")) {
    return (
      "the text is a certificate signing request, not a certificate: " +
      "have a CA issue a certificate for it, then check that"
    );
  }
  if (label.includes("PRIVATE KEY")) {
    return "the text is a private key, not a certificate (a custom CSR's key stays inside Cloudflare)";
  }
  return `the text holds a PEM ${label} block, not a CERTIFICATE`;
}

/**
 * Compares a certificate with a CSR's key and SANs at `now`: every problem found, each tagged with its aspect,
 * and the facts (`custom-csr verify` shows them whether or not it fits).
 */
export function assessCertificate(
  csr: Pick<CertificateCsr, "sans" | "publicKeySha256">,
  facts: CertificateFacts,
  options: Required<CertificateCheckOptions>,
): { check: CertificateCheck; problems: CertificateProblem[] } {
  const { now, minDaysRemaining } = options;
  const check: CertificateCheck = {
    subject: facts.subject,
    issuer: facts.issuer,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    daysRemaining: Math.floor((facts.notAfter.getTime() - now.getTime()) / DAY_MS),
    publicKeySha256: facts.publicKeySha256,
    sans: facts.names.map((name) => name.text),
  };
  const problems: CertificateProblem[] = [];
  const csrKey = csr.publicKeySha256.toLowerCase();
  if (facts.publicKeySha256 !== csrKey) {
    problems.push({
      aspect: "key",
      sentence:
        `it was issued for another key: its public key's SHA-256 is ${facts.publicKeySha256}, ` +
        `the CSR's is ${csrKey}`,
    });
  }
  const named = check.sans.length === 0 ? "it has no SANs" : `its SANs are ${listWithin(check.sans.map(quoteOdd))}`;
  const uncovered = uncoveredSans(csr.sans ?? [], facts.names);
  if (uncovered.length <= MAX_SAN_SENTENCES) {
    for (const san of uncovered) {
      problems.push({ aspect: "sans", sentence: `it does not cover the CSR's SAN ${quoteOdd(san)} (${named})` });
    }
  } else {
    const list = listWithin(uncovered.map(quoteOdd));
    const sentence = `it does not cover ${uncovered.length} of the CSR's SANs: ${list} (${named})`;
    problems.push({ aspect: "sans", sentence });
  }
  const at = now.toISOString();
  if (now < facts.notBefore) {
    const starts = facts.notBefore.toISOString();
    const sentence = `it is not valid yet: its validity starts ${starts} (checked at ${at})`;
    problems.push({ aspect: "validity", sentence });
  }
  if (now > facts.notAfter) {
    problems.push({ aspect: "validity", sentence: `it expired ${facts.notAfter.toISOString()} (checked at ${at})` });
  } else if (facts.notAfter.getTime() - now.getTime() < minDaysRemaining * DAY_MS) {
    const days = check.daysRemaining === 1 ? "1 day" : `${check.daysRemaining} days`;
    problems.push({
      aspect: "validity",
      sentence:
        `it has ${days} left (valid until ${facts.notAfter.toISOString()}), ` +
        `fewer than the ${minDaysRemaining} required`,
    });
  }
  return { check, problems };
}

/** A name as shown in a sentence: JSON-quoted when it holds anything a host name, address or URI would not. */
function quoteOdd(name: string): string {
  return /^[\w.*:@/-]+$/.test(name) ? name : JSON.stringify(name);
}

/** The CSR's SANs that no name of the certificate covers, as the CSR spells them. */
function uncoveredSans(requested: readonly string[], names: readonly SubjectAltName[]): string[] {
  return requested.filter((san) => {
    const wanted = normalizeSan(san);
    return !names.some((name) => sanCovers(name.text, wanted, name.type));
  });
}
