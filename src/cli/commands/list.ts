import { Command, Option } from "commander";
import { CSR_FIELDS } from "../../cloudflare/fields";
import { describeScope, type CsrScope } from "../../cloudflare/scope";
import type { ApiCustomCsr } from "../../cloudflare/types";
import { findFilterProblems, matchesFilter } from "../../lookup/list";
import type { CsrFilter } from "../../lookup/requests";
import { configureCommand, guarded, type CommandContext } from "../context";
import { ExitCode } from "../exit-codes";
import { UsageError } from "../failure";
import { formatJson, formatTable, type Column } from "../format";
import {
  addConnectionOptions,
  addJsonOption,
  addScopeOptions,
  clientFrom,
  scopeFrom,
  type ConnectionOptions,
  type JsonOption,
  type ScopeOptions,
} from "../options";
import { startProgress } from "../progress";
import { styleFor } from "../terminal";

interface ListOptions extends ScopeOptions, ConnectionOptions, JsonOption, CsrFilter {
  order?: "name" | "created_at";
  desc?: boolean;
}

const COLUMNS: readonly Column<ApiCustomCsr>[] = [
  { heading: "ID", value: (csr) => csr.id },
  { heading: "NAME", value: (csr) => csr.name ?? "-" },
  { heading: "COMMON NAME", value: (csr) => csr.common_name ?? "-" },
  { heading: "KEY", value: (csr) => csr.key_type },
  { heading: "CREATED", value: (csr) => csr.created_at },
  { heading: "SANS", value: (csr) => (csr.sans ?? []).join(",") || "-" },
];

/** The library's name of each API field (`csr` is `pem`, `id` is `customCsrId`, the rest in camelCase). */
const OUTPUT_NAMES: ReadonlyMap<string, string> = new Map(CSR_FIELDS.map((field) => [field.api, field.output]));

/**
 * `custom-csr list`: every custom CSR of an account or zone, across all pages, as a table or as JSON. The list
 * shows what the API says; `get` and `verify` check a CSR's PEM against it.
 */
export function listCommand(context: CommandContext): Command {
  const command = new Command("list").description(
    "List every custom CSR of an account or zone (all pages), optionally filtered, as a table or JSON.",
  );
  addScopeOptions(command);
  addJsonOption(command, "the CSRs (the same field names as `get --json`, without the fields decoded from the PEM)");
  command
    .addOption(new Option("--order <field>", "sort by this field").choices(["name", "created_at"]))
    .option("--desc", "sort in descending order (by created_at unless --order says otherwise)")
    .option("--name <name>", "only CSRs with exactly this name")
    .option("--common-name <name>", "only CSRs with exactly this common name")
    .option("--san <dns-name>", "only CSRs that request this SAN (case-insensitive, trailing dot ignored)");
  addConnectionOptions(command);
  configureCommand(command, context.io);
  return command.action(
    guarded(command, context, async (options: ListOptions) => {
      const scope = scopeFrom(options);
      const filter = filterFrom(options);
      const client = clientFrom(options, context.io.env);
      const order = options.order ?? (options.desc === true ? "created_at" : undefined);
      const stopProgress = startProgress(context.io.stderr, `Listing custom CSRs in ${describeScope(scope)}...`);
      let csrs: ApiCustomCsr[];
      try {
        // Cloudflare's schema gives `order` and `direction` on an account's list only: a zone's is sorted here.
        const sortedByApi = scope.accountId !== undefined;
        const listed = await client.listAllCustomCsrs(
          scope,
          sortedByApi
            ? { ...(order !== undefined ? { order } : {}), ...(options.desc === true ? { direction: "desc" } : {}) }
            : {},
        );
        const selected = listed.filter((csr) => matchesFilter(csr, filter));
        csrs = sortedByApi ? selected : sortedBy(selected, order ?? "created_at", options.desc === true);
      } finally {
        stopProgress();
      }
      const { stdout } = context.io;
      const filtered = Object.values(filter).some((value) => value !== undefined);
      if (options.json === true) stdout.write(formatJson(csrs.map((csr) => entryOf(csr, scope))));
      else if (csrs.length > 0) stdout.write(formatTable(csrs, COLUMNS, styleFor(stdout, context.io.env)));
      else stdout.write(`No custom CSRs ${filtered ? "match the filters " : ""}in ${describeScope(scope)}.\n`);
      return ExitCode.Ok;
    }),
  );
}

/** The CSRs sorted by a field (stable; a CSR without it sorts first), descending when asked. */
function sortedBy(csrs: readonly ApiCustomCsr[], field: "name" | "created_at", descending: boolean): ApiCustomCsr[] {
  const key = (csr: ApiCustomCsr) => csr[field] ?? "";
  const sorted = [...csrs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return descending ? sorted.reverse() : sorted;
}

/** The filter flags, by the library's argument names. */
const FILTER_FLAGS: Readonly<Record<string, string>> = { name: "--name", commonName: "--common-name", san: "--san" };

/** `--name`, `--common-name` and `--san`, checked like the library's `getCustomCsrs` filters. */
function filterFrom(options: ListOptions): CsrFilter {
  const { name, commonName, san } = options;
  const problems = findFilterProblems({ name, commonName, san });
  if (problems.length > 0) {
    throw new UsageError(problems.map((p) => `invalid ${FILTER_FLAGS[p.field]}: ${p.reason}`).join("\n"));
  }
  return { name, commonName, san };
}

/** One CSR for `--json`: its id, the scope it was listed in, then the API's fields named as the library names them. */
function entryOf(csr: ApiCustomCsr, scope: CsrScope): Record<string, unknown> {
  const fields = Object.entries(csr)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [OUTPUT_NAMES.get(key) ?? key, value]);
  const where = scope.accountId !== undefined ? { accountId: scope.accountId } : { zoneId: scope.zoneId };
  return { customCsrId: csr.id, ...where, ...Object.fromEntries(fields) };
}
