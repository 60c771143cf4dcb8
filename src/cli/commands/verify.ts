import { Command, InvalidArgumentError } from "commander";
import { describeScope } from "../../cloudflare/scope";
import { lookups } from "../../lookup/entry-points";
import { certificateChecks, readCertificateFile } from "../certificate-checks";
import { configureCommand, guarded, type CommandContext } from "../context";
import { escapeForTerminal } from "../escape";
import { ExitCode } from "../exit-codes";
import { UsageError } from "../failure";
import { formatHeading, formatJson } from "../format";
import {
  addConnectionOptions,
  addFormatOption,
  formatOf,
  parseDays,
  addScopeOptions,
  connectionFrom,
  lookupArgsFrom,
  type ConnectionOptions,
  type FormatOption,
  type ScopeOptions,
} from "../options";
import { styleFor, type Style } from "../terminal";
import { checkCsr, checkExpectations, type Check } from "../verification";
import { renderCiReport, type CiReport } from "../ci-formats";
import type { CertificateCheck } from "../../public-types";

interface VerifyOptions extends ScopeOptions, ConnectionOptions, FormatOption {
  cert?: string;
  minDays?: number;
  expectSans?: string[];
  expectKeySha256?: string;
}

/**
 * `custom-csr verify <id>`: checks the CSR's PEM (parse, signature, agreement with the API's fields) and,
 * on request, a certificate (`checkCertificate`'s rules: same public key, covers every SAN, valid now, enough days
 * left) and the expected SANs and key fingerprint.
 * Prints each check with PASS or FAIL; exits 1 when any fails.
 */
export function verifyCommand(context: CommandContext): Command {
  const command = new Command("verify")
    .description(
      "Verify a custom CSR's PEM and, optionally, that a certificate was issued for its key, " +
        "covers its SANs and is valid.",
    )
    .argument("<id>", "the custom CSR id");
  addScopeOptions(command);
  command
    .option(
      "--cert <file>",
      "a PEM certificate (a chain's first certificate is used; - reads standard input): " +
        "check it carries the CSR's key, covers its SANs and is valid now",
    )
    .option("--min-days <n>", "with --cert: days the certificate must still be valid (default 0)", parseDays)
    .option("--expect-sans <names>", "comma-separated SANs the CSR must request, no more and no fewer", parseNameList)
    .option(
      "--expect-key-sha256 <hex>",
      "SHA-256 the CSR's public key must have (64 hex digits, colons allowed)",
      parseSha256,
    );
  addFormatOption(command, "the checks");
  addConnectionOptions(command);
  configureCommand(command, context.io);
  return command.action(
    guarded(command, context, async (id: string, options: VerifyOptions) => {
      const request = lookupArgsFrom(id, options);
      const { customCsrId, scope } = request;
      if (options.minDays !== undefined && options.cert === undefined) {
        throw new UsageError("--min-days needs --cert <file>");
      }
      const facts = options.cert === undefined ? undefined : await readCertificateFile(options.cert);
      const api = await lookups().record(request, connectionFrom(options, context.io.env));
      const { checks, decoded } = checkCsr(api);
      let certificate: CertificateCheck | undefined;
      if (decoded !== undefined) {
        if (facts !== undefined) {
          const minDaysRemaining = options.minDays ?? 0;
          const assessed = certificateChecks(decoded, facts, { now: new Date(), minDaysRemaining });
          checks.push(...assessed.checks);
          certificate = assessed.certificate;
        }
        checks.push(...checkExpectations(decoded, { sans: options.expectSans, keySha256: options.expectKeySha256 }));
      }
      const ok = checks.every((check) => check.ok);
      const { stdout } = context.io;
      const format = formatOf(options);
      if (format !== "text" && format !== "json") {
        stdout.write(renderCiReport(verifyReport(customCsrId, checks), format));
      } else if (format === "json") {
        stdout.write(
          formatJson({ customCsrId, ...scope, ok, checks, ...(certificate !== undefined ? { certificate } : {}) }),
        );
      } else {
        const style = styleFor(stdout, context.io.env);
        stdout.write(formatHeading(customCsrId, describeScope(scope), style));
        stdout.write(formatChecks(checks, style));
        if (certificate !== undefined) stdout.write(style.dim(describeCertificate(certificate)));
        const failed = checks.filter((check) => !check.ok).length;
        stdout.write(
          failed === 0
            ? style.green(`All ${checks.length} checks passed.\n`)
            : style.red(`${failed} of ${checks.length} checks failed.\n`),
        );
      }
      return ok ? ExitCode.Ok : ExitCode.CheckFailed;
    }),
  );
}

/** Each check on its line, its details below it; descriptions and details quote API values, so they are escaped. */
function formatChecks(checks: readonly Check[], style: Style): string {
  return checks
    .map((check) => {
      const verdict = check.ok ? style.green("PASS") : style.red("FAIL");
      const details = check.details
        .map(escapeForTerminal)
        .map((detail) => `\n        ${check.ok ? style.dim(detail) : detail}`)
        .join("");
      return `  ${verdict}  ${escapeForTerminal(check.description)}${details}\n`;
    })
    .join("");
}

function describeCertificate(certificate: CertificateCheck): string {
  const { subject, issuer, notBefore, notAfter } = certificate;
  const validity = `valid ${notBefore.toISOString()} to ${notAfter.toISOString()}`;
  return `${escapeForTerminal(`Certificate: ${subject}, issued by ${issuer}, ${validity}`)}\n`;
}

/** `a.acme.dev, acme.dev` -> `["a.acme.dev", "acme.dev"]`. */
function parseNameList(value: string): string[] {
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) throw new InvalidArgumentError("expected one or more comma-separated names.");
  return names;
}

/** Accepts `sha256sum` and `openssl -c` spellings: any case, colons or spaces between the bytes. */
function parseSha256(value: string): string {
  const hex = value.replace(/[:\s]/g, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new InvalidArgumentError("expected a SHA-256 digest: 64 hex digits.");
  return hex;
}

/** The checks as a CI report: one case per check, a finding for each that failed. */
function verifyReport(customCsrId: string, checks: readonly Check[]): CiReport {
  return {
    command: "verify",
    title: `custom-csr verify ${customCsrId}`,
    cases: checks.map((check) => ({
      name: check.id,
      group: `custom-csr.verify.${customCsrId}`,
      findings: check.ok
        ? []
        : [
            {
              rule: { id: `verify/${check.id}`, description: check.description },
              level: "error" as const,
              message:
                check.details.length > 0 ? `${check.description}: ${check.details.join("; ")}` : check.description,
            },
          ],
    })),
  };
}
