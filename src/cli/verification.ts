import type { ApiCustomCsr } from "../cloudflare/types";
import { compareWithApi, CsrFormatError, decodeCsrPem, NO_PEM, normalizeSan, type DecodedCsr } from "../csr";
import { shortHex } from "./format";

/** One check of `custom-csr verify`. `id` is stable for scripts; `description` says what was checked. */
export interface Check {
  readonly id:
    | "pem"
    | "signature"
    | "api-fields"
    | "certificate-key"
    | "certificate-sans"
    | "certificate-validity"
    | "expected-sans"
    | "expected-key-sha256";
  readonly description: string;
  readonly ok: boolean;
  /** Why it failed, or what was compared; one sentence each. */
  readonly details: readonly string[];
}

/** What the user expects of the CSR (`--expect-sans`, `--expect-key-sha256`). */
export interface Expectations {
  readonly sans?: readonly string[];
  /** Lower-case hex, 64 digits. */
  readonly keySha256?: string;
}

/**
 * Checks a CSR as Cloudflare returned it: its PEM parses, its self-signature verifies, and it agrees with the
 * API's `common_name`, `sans` and `key_type` (the library's own rules, `compareWithApi`). Returns the decoded
 * CSR too, unless the PEM is missing or does not parse (then the other checks cannot run).
 */
export async function checkCsr(api: ApiCustomCsr): Promise<{ checks: Check[]; decoded?: DecodedCsr }> {
  const pemCheck = (ok: boolean, details: string[]): Check => ({
    id: "pem",
    description: "the PEM is one well-formed PKCS#10 request",
    ok,
    details,
  });
  if (api.csr === undefined) return { checks: [pemCheck(false, [NO_PEM])] };
  let decoded: DecodedCsr;
  try {
    decoded = await decodeCsrPem(api.csr);
  } catch (error) {
    if (error instanceof CsrFormatError) return { checks: [pemCheck(false, [error.message])] };
    throw error;
  }
  // compareWithApi also reports a bad signature; that has a check of its own here.
  const mismatches = compareWithApi({ ...decoded, signatureValid: true, signatureProblem: undefined }, api);
  const checks: Check[] = [
    pemCheck(true, []),
    {
      id: "signature",
      description: "the self-signature verifies with the CSR's own public key",
      ok: decoded.signatureValid,
      details: decoded.signatureValid
        ? []
        : [decoded.signatureProblem ?? "the signature does not match the request's contents and key"],
    },
    {
      id: "api-fields",
      description: "the PEM agrees with the API's common_name, sans and key_type",
      ok: mismatches.length === 0,
      details: mismatches,
    },
  ];
  return { checks, decoded };
}

/** Whether the CSR's SANs (as a set) and key fingerprint are the ones the user expects. */
export function checkExpectations(decoded: DecodedCsr, expected: Expectations): Check[] {
  const checks: Check[] = [];
  if (expected.sans !== undefined) {
    const missing = uncoveredExactly(expected.sans, decoded.sans);
    const unexpected = uncoveredExactly(decoded.sans, expected.sans);
    checks.push({
      id: "expected-sans",
      description: `the CSR's SANs are exactly ${expected.sans.join(", ")}`,
      ok: missing.length === 0 && unexpected.length === 0,
      details: [
        ...(missing.length > 0 ? [`missing from the CSR: ${missing.join(", ")}`] : []),
        ...(unexpected.length > 0 ? [`in the CSR but not expected: ${unexpected.join(", ")}`] : []),
      ],
    });
  }
  if (expected.keySha256 !== undefined) {
    const ok = decoded.publicKeySha256 === expected.keySha256;
    checks.push({
      id: "expected-key-sha256",
      description: `the public key's SHA-256 is ${shortHex(expected.keySha256)}`,
      ok,
      details: ok ? [] : [`the CSR's public key SHA-256 is ${decoded.publicKeySha256}`],
    });
  }
  return checks;
}

/** Names of `names` absent from `others`, compared as DNS names (case and a trailing dot ignored). */
function uncoveredExactly(names: readonly string[], others: readonly string[]): string[] {
  const set = new Set(others.map(normalizeSan));
  return names.filter((name) => !set.has(normalizeSan(name)));
}
