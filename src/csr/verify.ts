import { createHash } from "node:crypto";
import type { ApiCustomCsr } from "../cloudflare/types";
import { CsrVerificationError, listWithin } from "../errors";
import { CsrFormatError, decodeCsrPem, type DecodedCsr } from "./decode";
import { sanSetDifference } from "./names";

/** The public-key algorithm each Cloudflare `key_type` must produce. */
export const KEY_TYPE_ALGORITHMS: Readonly<Record<string, string>> = {
  rsa2048: "RSA-2048",
  p256v1: "ECDSA-P256",
};

/** What is wrong when the API's record of a CSR has no `csr` field: said the same by the library and the CLI. */
export const NO_PEM = "Cloudflare returned no PEM (the `csr` field is missing)";

/**
 * What checking a CSR's PEM against the API's record of it found, aspect by aspect. The library turns it into a
 * `CsrVerificationError` ({@link problemsOf}); `custom-csr verify` reports each aspect as a check of its own.
 */
export type CsrVerdict =
  /** The PEM is missing (`reason` is {@link NO_PEM}) or is not one well-formed PKCS#10 request. */
  | { readonly readable: false; readonly missing: boolean; readonly reason: string }
  | {
      readonly readable: true;
      readonly decoded: DecodedCsr;
      /** Why the self-signature does not hold (or cannot be checked); absent when it holds. */
      readonly signatureProblem?: string;
      /**
       * How the PEM disagrees with the API's `common_name`, `sans` and `key_type`, a public key not encoded the
       * way OpenSSL encodes it first; empty when they agree.
       */
      readonly mismatches: readonly string[];
    };

/** Decodes the record's PEM and compares it with the record's fields. Synchronous, and never throws for bad input. */
export function assessCustomCsr(csr: ApiCustomCsr): CsrVerdict {
  if (csr.csr === undefined) return { readable: false, missing: true, reason: NO_PEM };
  let decoded: DecodedCsr;
  try {
    decoded = decodeCsrPem(csr.csr);
  } catch (error) {
    if (error instanceof CsrFormatError) return { readable: false, missing: false, reason: error.message };
    throw error;
  }
  const signatureProblem = decoded.signatureValid
    ? undefined
    : (decoded.signatureProblem ?? "the self-signature does not verify with the CSR's own public key");
  return {
    readable: true,
    decoded,
    ...(signatureProblem !== undefined ? { signatureProblem } : {}),
    mismatches: compareWithApi(decoded, csr),
  };
}

/** Every problem of a verdict, one sentence each, in the order a `CsrVerificationError` lists them. */
export function problemsOf(verdict: CsrVerdict): string[] {
  if (!verdict.readable) {
    return [
      verdict.missing ? `${verdict.reason}, so nothing can be verified` : `the PEM does not parse: ${verdict.reason}`,
    ];
  }
  const { decoded, signatureProblem, mismatches } = verdict;
  // A key encoding problem leads, then the signature, then the field comparisons.
  const leading = decoded.keyEncodingProblem !== undefined ? 1 : 0;
  return [
    ...mismatches.slice(0, leading),
    ...(signatureProblem !== undefined ? [signatureProblem] : []),
    ...mismatches.slice(leading),
  ];
}

/**
 * How many verdicts are remembered, and how many bytes they may hold in all. A provider process checks, creates
 * and reads the same CSR several times in one deployment; entries are keyed by a SHA-256 (never by the PEM text
 * itself), and a verdict of about 1 KiB is usual, so both bounds hold whatever the responses look like.
 */
const MEMO_ENTRIES = 2048;
export const MEMO_BYTES = 2 * 1024 * 1024;

interface MemoEntry {
  readonly verdict: CsrVerdict;
  readonly bytes: number;
}

let memo: Map<string, MemoEntry> | undefined;
let memoBytes = 0;

/**
 * Checks the CSR's PEM against what the API says about it ({@link assessCustomCsr}): the signature verifies, the
 * subject's CN equals `common_name`, the SAN extension holds exactly `sans` (order and DNS case ignored), and the
 * key matches `key_type`. Returns the decoded CSR, or throws one `CsrVerificationError` listing every problem.
 *
 * Verdicts are memoized per process (least recently used first out), keyed by a SHA-256 of the PEM text and every
 * API field it is checked against, so the same answer is never verified twice and any change of either is
 * verified anew.
 */
export function verifyCustomCsr(csr: ApiCustomCsr): DecodedCsr {
  const key = memoKey(csr);
  memo ??= new Map();
  let entry = memo.get(key);
  if (entry === undefined) {
    const verdict = assessCustomCsr(csr);
    entry = { verdict, bytes: key.length + verdictBytes(verdict) };
  } else {
    memo.delete(key); // re-inserted below: a Map iterates in insertion order, so the front is the least recent
    memoBytes -= entry.bytes;
  }
  remember(memo, key, entry);
  const { verdict } = entry;
  const problems = problemsOf(verdict);
  if (!verdict.readable || problems.length > 0) throw new CsrVerificationError(problems, csr.id);
  return verdict.decoded;
}

/**
 * The SHA-256 of the PEM and the fields it is checked against, written so that no two records hash the same input:
 * the small fields as JSON (which escapes lone surrogates, where hashing a string would write U+FFFD for each), a
 * newline (which JSON never holds), then the PEM: as it is when it holds no surrogate (its UTF-8 is then one text's
 * alone, and a real PEM is ASCII), else as JSON too. The PEM, the bulk of it, is never copied into a larger string.
 */
function memoKey(csr: ApiCustomCsr): string {
  const hash = createHash("sha256");
  hash.update(JSON.stringify([csr.common_name ?? null, csr.sans ?? null, csr.key_type]));
  const pem = csr.csr;
  if (pem === undefined) hash.update("\nnone");
  else if (SURROGATE.test(pem)) hash.update("\njson").update(JSON.stringify(pem));
  else hash.update("\ntext").update(pem);
  return hash.digest("base64");
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** About how many bytes a verdict holds: its strings (two bytes a character) and a fixed share for the rest. */
function verdictBytes(verdict: CsrVerdict): number {
  const length = (texts: readonly string[]) => texts.reduce((sum, text) => sum + text.length, 0);
  if (!verdict.readable) return 2 * verdict.reason.length + 64;
  const { decoded, signatureProblem, mismatches } = verdict;
  const texts = [decoded.subject, decoded.publicKeySha256, decoded.publicKeyAlgorithm, signatureProblem ?? ""];
  return 2 * (length(texts) + length(decoded.sans) + length(decoded.commonNames) + length(mismatches)) + 512;
}

/** Adds an entry at the most recent end, first dropping the least recent ones until both bounds hold. */
function remember(map: Map<string, MemoEntry>, key: string, entry: MemoEntry): void {
  if (entry.bytes > MEMO_BYTES) return;
  for (const [oldest, old] of map) {
    if (map.size < MEMO_ENTRIES && memoBytes + entry.bytes <= MEMO_BYTES) break;
    map.delete(oldest);
    memoBytes -= old.bytes;
  }
  map.set(key, entry);
  memoBytes += entry.bytes;
}

/**
 * Lists each way the decoded CSR disagrees with the API's fields (empty when they agree): a public key not
 * encoded canonically, then `common_name`, `sans` and `key_type`. The signature is not among them.
 */
export function compareWithApi(decoded: DecodedCsr, csr: ApiCustomCsr): string[] {
  const mismatches: string[] = [];
  if (decoded.keyEncodingProblem !== undefined) mismatches.push(decoded.keyEncodingProblem);
  if (
    csr.common_name !== undefined &&
    !(decoded.commonNames.length === 1 && decoded.commonNames[0] === csr.common_name)
  ) {
    mismatches.push(
      `the API's common_name is "${csr.common_name}" but the PEM's subject CN is ` +
        (decoded.commonNames.length === 0
          ? "missing"
          : listWithin(decoded.commonNames.map((cn) => JSON.stringify(cn)))),
    );
  }
  if (csr.sans !== undefined) {
    const { onlyFirst: onlyApi, onlySecond: onlyPem } = sanSetDifference(csr.sans, decoded.sans);
    if (onlyApi.length > 0) mismatches.push(`SANs listed by the API but absent from the PEM: ${listWithin(onlyApi)}`);
    if (onlyPem.length > 0) mismatches.push(`SANs in the PEM but not listed by the API: ${listWithin(onlyPem)}`);
  }
  const expected = Object.hasOwn(KEY_TYPE_ALGORITHMS, csr.key_type) ? KEY_TYPE_ALGORITHMS[csr.key_type] : undefined;
  if (expected === undefined) {
    mismatches.push(
      `the API's key_type "${csr.key_type}" is not one this package knows (rsa2048, p256v1); ` +
        `the PEM holds a ${decoded.publicKeyAlgorithm} key`,
    );
  } else if (expected !== decoded.publicKeyAlgorithm) {
    mismatches.push(
      `the API's key_type is ${csr.key_type} (${expected}) but the PEM holds a ${decoded.publicKeyAlgorithm} key`,
    );
  }
  return mismatches;
}
