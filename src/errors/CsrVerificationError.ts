import { boundedProblems } from "./limits";

/**
 * Thrown when the PEM Cloudflare returned cannot be trusted: it is not exactly one PKCS#10 request, its
 * self-signature does not verify, or it disagrees with the API's own `common_name`, `sans` or `key_type`.
 * `mismatches` lists every problem found, so a single error explains the whole disagreement.
 */
export class CsrVerificationError extends Error {
  /** The custom CSR id whose PEM failed verification, when known. */
  declare readonly customCsrId?: string;
  /** Every problem found, one sentence each; at most 16 KiB in all (a last entry then says how many more). */
  readonly mismatches: readonly string[];

  constructor(allMismatches: readonly string[], customCsrId?: string) {
    const mismatches = boundedProblems(allMismatches);
    const subject = customCsrId === undefined ? "The CSR" : `The PEM of custom CSR ${customCsrId}`;
    super(
      mismatches.length === 1
        ? `${subject} failed verification: ${mismatches[0]}`
        : `${subject} failed verification:\n${mismatches.map((m) => `  - ${m}`).join("\n")}`,
    );
    this.name = "CsrVerificationError";
    this.mismatches = mismatches;
    if (customCsrId !== undefined) this.customCsrId = customCsrId;
  }
}
