import { createHash } from "node:crypto";
import type { ApiCustomCsr } from "../cloudflare/types";
import { CsrVerificationError, listWithin } from "../errors";
import { CsrFormatError, decodeCsrPem, type DecodedCsr } from "./decode";
import { normalizeSan } from "./names";

/** The public-key algorithm each Cloudflare `key_type` must produce. */
export const KEY_TYPE_ALGORITHMS: Readonly<Record<string, string>> = {
  rsa2048: "RSA-2048",
  p256v1: "ECDSA-P256",
};

/** What is wrong when the API's record of a CSR has no `csr` field: said the same by the library and the CLI. */
export const NO_PEM = "Cloudflare returned no PEM (the `csr` field is missing)";

/** A verification outcome, as remembered: the decoded CSR, or every problem found. */
type Verdict = { readonly decoded: DecodedCsr } | { readonly problems: readonly string[] };

/**
 * How many verdicts are remembered, and how many bytes they may hold in all. A provider process checks, creates
 * and reads the same CSR several times in one deployment; entries are keyed by a SHA-256 (never by the PEM text
 * itself), and a verdict of about 1 KiB is usual, so both bounds hold whatever the responses look like.
 */
const MEMO_ENTRIES = 2048;
export const MEMO_BYTES = 2 * 1024 * 1024;

interface MemoEntry {
  readonly verdict: Verdict;
  readonly bytes: number;
}

let memo: Map<string, MemoEntry> | undefined;
let memoBytes = 0;

/**
 * Decodes the CSR's PEM and checks it against what the API says about it: the signature verifies, the
 * subject's CN equals `common_name`, the SAN extension holds exactly `sans` (order and DNS case ignored), and
 * the key matches `key_type`. Every disagreement is collected into one `CsrVerificationError`.
 *
 * Verdicts are memoized per process (least recently used first out), keyed by the PEM text and every API field
 * it is checked against, so the same answer is never verified twice and any change of either is verified anew.
 */
export async function verifyCustomCsr(csr: ApiCustomCsr): Promise<DecodedCsr> {
  const pem = csr.csr;
  if (pem === undefined) {
    throw new CsrVerificationError([`${NO_PEM}, so nothing can be verified`], csr.id);
  }
  const key = createHash("sha256")
    .update(JSON.stringify([pem, csr.common_name ?? null, csr.sans ?? null, csr.key_type]))
    .digest("base64");
  memo ??= new Map();
  let entry = memo.get(key);
  if (entry === undefined) {
    const verdict = await freshVerdict(pem, csr);
    entry = { verdict, bytes: key.length + JSON.stringify(verdict).length * 2 };
  } else {
    memo.delete(key); // re-inserted below: a Map iterates in insertion order, so the front is the least recent
    memoBytes -= entry.bytes;
  }
  remember(memo, key, entry);
  const { verdict } = entry;
  if ("problems" in verdict) throw new CsrVerificationError(verdict.problems, csr.id);
  return verdict.decoded;
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

async function freshVerdict(pem: string, csr: ApiCustomCsr): Promise<Verdict> {
  let decoded: DecodedCsr;
  try {
    decoded = await decodeCsrPem(pem);
  } catch (error) {
    if (error instanceof CsrFormatError) return { problems: [`the PEM does not parse: ${error.message}`] };
    throw error;
  }
  const problems = compareWithApi(decoded, csr);
  return problems.length > 0 ? { problems } : { decoded };
}

/** Lists each way the decoded CSR disagrees with the API's fields (empty when they agree). */
export function compareWithApi(decoded: DecodedCsr, csr: ApiCustomCsr): string[] {
  const mismatches: string[] = [];
  if (decoded.keyEncodingProblem !== undefined) mismatches.push(decoded.keyEncodingProblem);
  if (decoded.signatureProblem !== undefined) mismatches.push(decoded.signatureProblem);
  else if (!decoded.signatureValid) mismatches.push("the self-signature does not verify with the CSR's own public key");
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
    const fromApi = new Set(csr.sans.map(normalizeSan));
    const fromPem = new Set(decoded.sans.map(normalizeSan));
    const onlyApi = [...fromApi].filter((s) => !fromPem.has(s));
    const onlyPem = [...fromPem].filter((s) => !fromApi.has(s));
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
