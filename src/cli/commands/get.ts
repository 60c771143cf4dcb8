import { Command, Option } from "commander";
import { csrField, type CsrFieldOutput } from "../../cloudflare/fields";
import { describeScope } from "../../cloudflare/scope";
import { lookups } from "../../lookup/entry-points";
import { configureCommand, guarded, type CommandContext } from "../context";
import { ExitCode } from "../exit-codes";
import { escapeForTerminal } from "../escape";
import { formatFields, formatHeading, formatJson, type Field } from "../format";
import {
  addConnectionOptions,
  addScopeOptions,
  connectionFrom,
  lookupArgsFrom,
  type ConnectionOptions,
  type JsonOption,
  type ScopeOptions,
} from "../options";
import { styleFor, type Style } from "../terminal";
import type { CustomCsrResult } from "../../public-types";

interface GetOptions extends ScopeOptions, ConnectionOptions, JsonOption {
  pem?: boolean;
}

/**
 * `custom-csr get <id>`: looks one CSR up (verified, like the library's `getCustomCsr`) and prints a summary,
 * only the PEM (`--pem`, for `openssl` and ACME clients), or the full result (`--json`).
 */
export function getCommand(context: CommandContext): Command {
  const command = new Command("get")
    .description("Look up one custom CSR, verify its PEM, and print a summary, the PEM (--pem) or JSON (--json).")
    .argument("<id>", "the custom CSR id");
  addScopeOptions(command);
  command
    .addOption(new Option("--pem", "print only the PEM (pipe it into `openssl req -noout -text`)").conflicts("json"))
    .addOption(new Option("--json", "print every field as JSON on stdout").conflicts("pem"));
  addConnectionOptions(command);
  configureCommand(command, context.io);
  return command.action(
    guarded(command, context, async (id: string, options: GetOptions) => {
      const request = lookupArgsFrom(id, options);
      const result = await lookups().lookup(request, connectionFrom(options, context.io.env));
      const { stdout } = context.io;
      if (options.pem === true) stdout.write(formatPem(result.pem));
      else if (options.json === true) stdout.write(formatJson(result));
      else stdout.write(formatSummary(result, styleFor(stdout, context.io.env)));
      return ExitCode.Ok;
    }),
  );
}

/**
 * The PEM for a pipe or a terminal: line by line, each line escaped (a verified PEM has nothing to escape, but
 * text around its block is the server's), CRLF line ends read as LF, and a final newline.
 */
function formatPem(pem: string): string {
  const lines = pem.replace(/\r?\n$/, "").split(/\r?\n/);
  return `${lines.map(escapeForTerminal).join("\n")}\n`;
}

/** The human summary of a verified CSR; every value is escaped by `formatFields`. */
function formatSummary(result: CustomCsrResult, style: Style): string {
  const scope =
    result.accountId !== undefined
      ? describeScope({ accountId: result.accountId })
      : describeScope({ zoneId: result.zoneId as string });
  // API fields are labelled as in the field table; the rest are facts decoded from the PEM.
  const label = (output: CsrFieldOutput) => csrField(output).label;
  const orNone = (output: CsrFieldOutput, value: string | undefined): Field =>
    value === undefined || value === "" ? [label(output), "(none)", style.dim] : [label(output), value];
  return (
    formatHeading(result.customCsrId, scope, style) +
    formatFields(
      [
        orNone("name", result.name),
        orNone("commonName", result.commonName),
        orNone("sans", result.sans?.join(", ")),
        ["Key", `${result.publicKeyAlgorithm} (${result.keyType})`],
        ["Key SHA-256", result.publicKeySha256],
        ["Subject", result.subject],
        [label("description"), result.description],
        [label("createdAt"), result.createdAt],
        ["Verified", "signature valid; CN, SANs and key type agree with the API", style.green],
      ],
      style,
    )
  );
}
