import { boundedProblems } from "./limits";

/**
 * Thrown by `checkCertificate` when a certificate is not the one to upload for a custom CSR: it was issued for
 * another key, leaves out a SAN of the CSR, is not valid yet, has expired or has too few days left, or is not a
 * certificate at all (not PEM, a CSR, garbage). `problems` lists every problem found, one sentence each, so one
 * error explains everything to fix before the upload. The certificate's own bytes are never quoted.
 */
export class CertificateMismatchError extends Error {
  /** The custom CSR id the certificate was checked against, when known. */
  declare readonly customCsrId?: string;
  /** Every problem found, one sentence each; at most 16 KiB in all (a last entry then says how many more). */
  readonly problems: readonly string[];

  constructor(allProblems: readonly string[], customCsrId?: string) {
    const problems = boundedProblems(allProblems);
    const subject = customCsrId === undefined ? "the CSR" : `custom CSR ${customCsrId}`;
    super(
      problems.length === 1
        ? `The certificate does not fit ${subject}: ${problems[0]}`
        : `The certificate does not fit ${subject}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "CertificateMismatchError";
    this.problems = problems;
    if (customCsrId !== undefined) this.customCsrId = customCsrId;
  }
}
