import type { ApiCustomCsr } from "../cloudflare/types";
import { assessCustomCsr, sanSetDifference, type DecodedCsr } from "../csr";
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
 * The checks of a CSR as Cloudflare returned it, from the library's own verdict (`assessCustomCsr`): its PEM
 * parses, its self-signature verifies, and it agrees with the API's `common_name`, `sans` and `key_type`.
 * Returns the decoded CSR too, unless the PEM is missing or does not parse (then the other checks cannot run).
 */
export function checkCsr(api: ApiCustomCsr): { checks: Check[]; decoded?: DecodedCsr } {
  const verdict = assessCustomCsr(api);
  const pemCheck: Check = {
    id: "pem",
    description: "the PEM is one well-formed PKCS#10 request",
    ok: verdict.readable,
    details: verdict.readable ? [] : [verdict.reason],
  };
  if (!verdict.readable) return { checks: [pemCheck] };
  const { decoded, signatureProblem, mismatches } = verdict;
  const checks: Check[] = [
    pemCheck,
    {
      id: "signature",
      description: "the self-signature verifies with the CSR's own public key",
      ok: signatureProblem === undefined,
      details: signatureProblem === undefined ? [] : [signatureProblem],
    },
    {
      id: "api-fields",
      description: "the PEM agrees with the API's common_name, sans and key_type",
      ok: mismatches.length === 0,
      details: [...mismatches],
    },
  ];
  return { checks, decoded };
}

/** Whether the CSR's SANs (as a set) and key fingerprint are the ones the user expects. */
export function checkExpectations(decoded: DecodedCsr, expected: Expectations): Check[] {
  const checks: Check[] = [];
  if (expected.sans !== undefined) {
    const { onlyFirst: missing, onlySecond: unexpected } = sanSetDifference(expected.sans, decoded.sans);
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
