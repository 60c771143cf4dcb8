import { Command } from "commander";
import { parseBindingArgs } from "../../lookup/bindings";
import { lookups } from "../../lookup/entry-points";
import type { CertificateBinding, CustomCsrCertificates } from "../../public-types";
import { renderCiReport, type CiCase, type CiFinding, type CiReport } from "../ci-formats";
import { configureCommand, guarded, type CommandContext } from "../context";
import { ExitCode } from "../exit-codes";
import { formatJson, formatTable, type Column } from "../format";
import {
  addConnectionOptions,
  addFormatOption,
  connectionFrom,
  formatOf,
  parseDays,
  type ConnectionOptions,
  type FormatOption,
} from "../options";
import { startProgress } from "../progress";
import { styleFor } from "../terminal";

interface ExpiryOptions extends ConnectionOptions, FormatOption {
  zone: string;
  account?: string;
  minDays: number;
}

/** One certificate as a row of the table, with the CSR it serves (or none, for an orphan). */
interface Row {
  readonly csr: string;
  readonly commonName: string;
  readonly certificate?: CertificateBinding;
  readonly findings: readonly CiFinding[];
}

const RULES = {
  expiring: { id: "expiry/expiring", description: "a certificate serving a custom CSR expires within --min-days" },
  inactive: { id: "expiry/inactive", description: "a certificate serving a custom CSR is not active" },
  orphan: { id: "expiry/orphan", description: "a certificate names a custom CSR that does not exist" },
  unserved: { id: "expiry/unserved", description: "a custom CSR that no certificate serves" },
} as const;

const COLUMNS: readonly Column<Row>[] = [
  { heading: "CSR", value: (row) => row.csr },
  { heading: "COMMON NAME", value: (row) => row.commonName },
  { heading: "KIND", value: (row) => row.certificate?.kind ?? "-" },
  { heading: "CERTIFICATE", value: (row) => row.certificate?.id ?? "-" },
  { heading: "HOSTS", value: (row) => row.certificate?.hosts.join(",") || "-" },
  { heading: "STATUS", value: (row) => row.certificate?.status ?? "-" },
  { heading: "EXPIRES", value: (row) => row.certificate?.expiresOn ?? "-" },
  {
    heading: "DAYS",
    value: (row) => (row.certificate?.daysLeft === undefined ? "-" : String(row.certificate.daysLeft)),
  },
  { heading: "VERDICT", value: (row) => verdictOf(row) },
];

/**
 * `custom-csr expiry --zone Z [--account A] [--min-days 30]`: which certificate serves each custom CSR of a zone and
 * when it expires (`getCustomCsrCertificates`). Exit 1 when a certificate expires within `--min-days` (or has
 * expired), is not active, or names a CSR that does not exist; a CSR that nothing serves is reported, not failed.
 */
export function expiryCommand(context: CommandContext): Command {
  const command = new Command("expiry")
    .description(
      "Check which certificate serves each custom CSR of a zone and when it expires; exit 1 when one expires within --min-days, is not active, or names a missing CSR.",
    )
    .requiredOption("--zone <id>", "the zone whose custom certificates and custom hostnames to check")
    .option("--account <id>", "also list this account's custom CSRs")
    .option("--min-days <n>", "days a certificate must still be valid (default 30)", parseDays, 30);
  addFormatOption(command, "the report");
  addConnectionOptions(command);
  configureCommand(command, context.io);
  return command.action(
    guarded(command, context, async (options: ExpiryOptions) => {
      const format = formatOf(options);
      const args = parseBindingArgs({ zoneId: options.zone, accountId: options.account });
      const stopProgress = startProgress(context.io.stderr, `Reading the certificates of zone ${options.zone}...`);
      let found: CustomCsrCertificates;
      try {
        found = await lookups().certificates(args, connectionFrom(options, context.io.env));
      } finally {
        stopProgress();
      }
      const rows = rowsOf(found, options.minDays);
      const failed = rows.some((row) => row.findings.some((finding) => finding.level === "error"));
      const { stdout } = context.io;
      if (format === "json")
        stdout.write(formatJson({ zoneId: options.zone, minDays: options.minDays, ok: !failed, ...found }));
      else if (format === "text") {
        const style = styleFor(stdout, context.io.env);
        stdout.write(formatTable(rows, COLUMNS, style));
        const bad = rows.filter((row) => row.findings.some((finding) => finding.level === "error")).length;
        stdout.write(
          bad === 0
            ? style.green(`No certificate expires within ${options.minDays} days.\n`)
            : style.red(`${bad} certificate${bad === 1 ? " needs" : "s need"} attention.\n`),
        );
      } else stdout.write(renderCiReport(expiryReport(options.zone, rows), format));
      return failed ? ExitCode.CheckFailed : ExitCode.Ok;
    }),
  );
}

/** One row per certificate of each CSR (one row for a CSR without any), then one per orphan. */
function rowsOf(found: CustomCsrCertificates, minDays: number): Row[] {
  const rows: Row[] = [];
  for (const csr of found.csrs) {
    const commonName = csr.commonName ?? "-";
    if (csr.certificates.length === 0) {
      const message = `custom CSR ${csr.customCsrId} has no certificate: nothing serves it`;
      rows.push({ csr: csr.customCsrId, commonName, findings: [{ rule: RULES.unserved, level: "warning", message }] });
    }
    for (const certificate of csr.certificates) {
      rows.push({ csr: csr.customCsrId, commonName, certificate, findings: findingsOf(certificate, minDays) });
    }
  }
  for (const certificate of found.orphans) {
    const message = `${describe(certificate)} names custom CSR ${certificate.customCsrId}, which does not exist`;
    rows.push({
      csr: certificate.customCsrId,
      commonName: "(missing)",
      certificate,
      findings: [{ rule: RULES.orphan, level: "error", message }, ...findingsOf(certificate, minDays)],
    });
  }
  return rows;
}

function findingsOf(certificate: CertificateBinding, minDays: number): CiFinding[] {
  const findings: CiFinding[] = [];
  const what = describe(certificate);
  const days = certificate.daysLeft;
  if (days !== undefined && days < minDays) {
    const message =
      days < 0
        ? `${what} expired on ${certificate.expiresOn}`
        : `${what} expires on ${certificate.expiresOn}: ${days} day${days === 1 ? "" : "s"} left, fewer than ${minDays}`;
    findings.push({ rule: RULES.expiring, level: "error", message });
  }
  if (certificate.status !== undefined && certificate.status !== "active") {
    findings.push({ rule: RULES.inactive, level: "error", message: `${what} is ${certificate.status}, not active` });
  }
  return findings;
}

function describe(certificate: CertificateBinding): string {
  const kind = certificate.kind === "custom_ssl" ? "custom certificate" : "custom hostname";
  return `${kind} ${certificate.id} (${certificate.hosts.join(", ") || "no hosts"})`;
}

function verdictOf(row: Row): string {
  if (row.findings.some((finding) => finding.level === "error"))
    return row.findings.map((f) => f.rule.id.slice(7)).join("+");
  return row.findings.length > 0 ? "unserved" : "ok";
}

function expiryReport(zoneId: string, rows: readonly Row[]): CiReport {
  const cases: CiCase[] = rows.map((row) => ({
    name: row.certificate === undefined ? `csr ${row.csr}` : `${row.certificate.kind} ${row.certificate.id}`,
    group: `custom-csr.expiry.${zoneId}`,
    findings: row.findings,
  }));
  return { command: "expiry", title: `custom-csr expiry of zone ${zoneId}`, cases };
}
