import { BoundedReadError, readBoundedText } from "../bounded-read";
import {
  assessCertificate,
  MAX_CERTIFICATE_PEM_LENGTH,
  readCertificate,
  type CertificateAspect,
  type CertificateFacts,
} from "../csr/certificate-check";
import type { CertificateCheck } from "../public-types";
import type { DecodedCsr } from "../csr";
import { CertificateMismatchError } from "../errors";
import { shortHex } from "./format";
import type { Check } from "./verification";

/**
 * Reads `--cert <file>` before any request is sent: a file that cannot be read or holds no certificate is an
 * error naming the file and what it holds instead (the library's own diagnosis). At most the library's certificate
 * limit is read (a pipe such as `<(pulumi stack output cert)` for at most 60 s), so `/dev/zero`, an endless
 * `/dev/stdin` or a FIFO nobody writes to ends with exit 2, never a hang or an out-of-memory abort.
 */
export async function readCertificateFile(file: string): Promise<CertificateFacts> {
  let text: string;
  try {
    text = await readBoundedText(file, { maxBytes: MAX_CERTIFICATE_PEM_LENGTH, timeoutMs: 60_000 });
  } catch (error) {
    if (error instanceof BoundedReadError) throw new Error(`--cert ${file} ${error.message}`, { cause: error });
    throw error;
  }
  try {
    return readCertificate(text);
  } catch (error) {
    if (error instanceof CertificateMismatchError) {
      throw new Error(`--cert ${file}: ${error.problems.join("; ")}`, { cause: error });
    }
    throw error;
  }
}

/**
 * The `--cert` checks: `checkCertificate`'s verdict (same rules, same sentences), one check per aspect so a script
 * sees which requirement failed. Returns the certificate's facts too, shown whether or not it fits.
 */
export function certificateChecks(
  decoded: DecodedCsr,
  facts: CertificateFacts,
  options: { now: Date; minDaysRemaining: number },
): { checks: Check[]; certificate: CertificateCheck } {
  const { check, problems } = assessCertificate(decoded, facts, options);
  const failed = (aspect: CertificateAspect) => problems.filter((p) => p.aspect === aspect).map((p) => p.sentence);
  const verdict = (aspect: CertificateAspect, passed: string): Pick<Check, "ok" | "details"> => {
    const details = failed(aspect);
    return details.length > 0 ? { ok: false, details } : { ok: true, details: [passed] };
  };
  const covered =
    decoded.sans.length === 0
      ? "the CSR requests no SANs"
      : `${decoded.sans.join(", ")} covered by ${check.sans.join(", ")}`;
  const validity = `${check.notBefore.toISOString()} to ${check.notAfter.toISOString()}`;
  const days = options.minDaysRemaining > 0 ? ` and for at least ${options.minDaysRemaining} more days` : "";
  const checks: Check[] = [
    {
      id: "certificate-key",
      description: "the certificate carries the CSR's public key",
      ...verdict("key", `SubjectPublicKeyInfo SHA-256 ${shortHex(decoded.publicKeySha256)} in both`),
    },
    {
      id: "certificate-sans",
      description: "the certificate covers every SAN of the CSR",
      ...verdict("sans", covered),
    },
    {
      id: "certificate-validity",
      description: `the certificate is valid now${days}`,
      ...verdict("validity", `valid ${validity}, ${check.daysRemaining} days left`),
    },
  ];
  return { checks, certificate: check };
}
