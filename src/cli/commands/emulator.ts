import { Command, InvalidArgumentError } from "commander";
import { describeScope, scopePath, type CsrScope } from "../../cloudflare/scope";
import type { ApiCustomCsr } from "../../cloudflare/types";
import { ENV_VARS } from "../../lookup/connection-settings";
import { existsSync } from "node:fs";
import {
  ADMIN_PATH,
  BASE_PATH,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_ZONE_ID,
  EXAMPLE_SEED,
  loadSeedFile,
  startEmulator,
  type CloudflareEmulator,
  type RecordedRequest,
  type SeedCsr,
} from "../../emulator";
import { configureCommand, guarded, type CommandContext } from "../context";
import { ExitCode } from "../exit-codes";
import { escapeForTerminal, escapeJsonForTerminal } from "../escape";
import { formatFields, formatTable } from "../format";
import { addJsonOption, type JsonOption } from "../options";
import { styleFor, type Style } from "../terminal";

interface EmulatorCommandOptions extends JsonOption {
  port: number;
  seed?: string;
  log?: boolean;
}

/** A seeded CSR and where it lives. */
interface SeededCsr {
  readonly scope: CsrScope;
  readonly csr: ApiCustomCsr;
}

/** The `--seed` value that names the built-in {@link EXAMPLE_SEED} (unless a file of that name exists). */
const EXAMPLE = "example";

const ADMIN_HELP = `
Rehearsing drift: change or delete CSRs of the running emulator from another shell, with its token.
  # store fields as given, PEM untouched (null removes a field):
  curl -X PATCH  -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" -d '{"name":"renamed"}' \\
       $BASE${ADMIN_PATH}/accounts/<account id>/custom_csrs/<id>
  # a new key and PEM that agree with the (changed) fields:
  curl -X POST   -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" -d '{"sans":["a.acme.dev","b.acme.dev"]}' \\
       $BASE${ADMIN_PATH}/accounts/<account id>/custom_csrs/<id>/regenerate
  # gone, as if deleted in Cloudflare:
  curl -X DELETE -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" \\
       $BASE${ADMIN_PATH}/accounts/<account id>/custom_csrs/<id>
where $BASE is http://127.0.0.1:<port> (the base URL without /client/v4); zones/<zone id> works as accounts/.
`;

/**
 * `custom-csr emulator`: runs the package's local Cloudflare Custom CSR API in the foreground until Ctrl-C,
 * printing its base URL, its public test token and the exports that point this command (or a stack) at it.
 * Its admin endpoints (`/__emulator/...`) change and delete CSRs over HTTP, for drift rehearsals.
 */
export function emulatorCommand(context: CommandContext): Command {
  const command = new Command("emulator")
    .description("Run the local Cloudflare Custom CSR API emulator in the foreground (Ctrl-C stops it).")
    .option("--port <n>", "TCP port on 127.0.0.1 (default: a free port)", parsePort, 0)
    .option(
      "--seed <file>",
      `CSRs to create at start: \`${EXAMPLE}\` (three built-in CSRs), or a JSON array such as ` +
        '[{ "scope": { "accountId": "..." }, "common_name": "a.acme.dev", "sans": ["a.acme.dev"] }]',
    )
    .option("--log", "print one line per request on stderr (time, method, path, status, fault)")
    .addHelpText("after", ADMIN_HELP);
  addJsonOption(command, "the connection details (one line, then nothing until stopped)");
  configureCommand(command, context.io);
  return command.action(
    guarded(command, context, async (options: EmulatorCommandOptions) => {
      const seed = options.seed === undefined ? [] : await seedFrom(options.seed);
      // The seed may name accounts and zones of its own; the emulator then knows them besides its defaults.
      const accounts = unique([DEFAULT_ACCOUNT_ID, ...seed.flatMap(({ scope }) => scope.accountId ?? [])]);
      const zones = unique([DEFAULT_ZONE_ID, ...seed.flatMap(({ scope }) => scope.zoneId ?? [])]);
      const { stdout, stderr } = context.io;
      const onRequest = (request: RecordedRequest) => stderr.write(formatRequest(request));
      const log = options.log === true ? { onRequest } : {};
      const emulator = await startEmulator({ port: options.port, seed, accounts, zones, ...log });
      const stopped = context.io.untilInterrupted();
      const scopes = [...accounts.map((accountId) => ({ accountId })), ...zones.map((zoneId) => ({ zoneId }))];
      const seeded: SeededCsr[] = scopes.flatMap((scope) => emulator.listCsrs(scope).map((csr) => ({ scope, csr })));
      if (options.json === true) {
        const csrs = seeded.map(({ scope, csr }) => ({
          customCsrId: csr.id,
          ...scope,
          name: csr.name ?? null,
          commonName: csr.common_name ?? null,
        }));
        const { baseUrl, token, accountId, zoneId } = emulator;
        const connection = { baseUrl, token, accountId, zoneId, csrs };
        // One line, so that a script can read it before the emulator stops; escaped like every --json output.
        stdout.write(`${escapeJsonForTerminal(JSON.stringify(connection))}\n`);
      } else {
        stdout.write(banner(emulator, seeded, styleFor(stdout, context.io.env)));
      }
      const signal = await stopped;
      await emulator.stop();
      stderr.write(`Emulator stopped (${signal}).\n`);
      return ExitCode.Ok;
    }),
  );
}

function banner(emulator: CloudflareEmulator, seeded: readonly SeededCsr[], style: Style): string {
  const example = seeded[0];
  const exampleScope = example === undefined ? `--account ${emulator.accountId}` : scopeFlag(example.scope);
  const csrs =
    seeded.length === 0
      ? "No CSRs yet (start it with --seed <file> to create some).\n"
      : `Custom CSRs:\n${formatTable(
          seeded,
          [
            { heading: "ID", value: ({ csr }) => csr.id },
            { heading: "SCOPE", value: ({ scope }) => describeScope(scope) },
            { heading: "NAME", value: ({ csr }) => csr.name ?? "-" },
            { heading: "COMMON NAME", value: ({ csr }) => csr.common_name ?? "-" },
          ],
          style,
          "  ",
        )}`;
  return (
    `${style.bold("Cloudflare Custom CSR API emulator")} listening on ${emulator.baseUrl}\n\n` +
    formatFields(
      [
        ["Base URL", emulator.baseUrl],
        ["API token", `${emulator.token}  (a public test token that only this emulator accepts)`],
        ["Account id", emulator.accountId],
        ["Zone id", emulator.zoneId],
      ],
      style,
    ) +
    `\n${csrs}\n` +
    `Point this command (or a Pulumi stack) at it from another shell:\n` +
    `  export ${ENV_VARS.baseUrl}=${emulator.baseUrl}\n` +
    `  export ${ENV_VARS.apiToken}=${emulator.token}\n` +
    `  custom-csr list ${exampleScope}\n` +
    (example === undefined ? "" : `  custom-csr get ${example.csr.id} ${exampleScope}\n`) +
    (example === undefined ? "" : `\nRehearse drift (see \`custom-csr emulator --help\`), e.g. rename a CSR:\n`) +
    (example === undefined ? "" : renameExample(emulator, example)) +
    `\nPress Ctrl-C to stop.\n`
  );
}

function renameExample(emulator: CloudflareEmulator, { scope, csr }: SeededCsr): string {
  const root = emulator.baseUrl.slice(0, -BASE_PATH.length);
  return (
    `  curl -X PATCH -H "Authorization: Bearer $${ENV_VARS.apiToken}" -d '{"name":"renamed"}' ` +
    `${root}${ADMIN_PATH}/${scopePath(scope)}/custom_csrs/${csr.id}\n`
  );
}

/** The built-in example for `--seed example` (when no such file exists), else the seed file. */
async function seedFrom(value: string): Promise<readonly SeedCsr[]> {
  return value === EXAMPLE && !existsSync(value) ? EXAMPLE_SEED : loadSeedFile(value);
}

/** `14:06:08.892 GET /client/v4/accounts/<id>/custom_csrs?page=1 200`, escaped: the path is the client's. */
function formatRequest({ time, method, path, query, status, faultApplied }: RecordedRequest): string {
  const search = new URLSearchParams(query).toString();
  const outcome = `${status ?? "(no answer)"}${faultApplied === undefined ? "" : ` (fault: ${faultApplied})`}`;
  const target = `${path}${search === "" ? "" : `?${search}`}`;
  return `${escapeForTerminal(`${new Date(time).toISOString().slice(11, 23)} ${method} ${target} ${outcome}`)}\n`;
}

function scopeFlag(scope: CsrScope): string {
  return scope.accountId !== undefined ? `--account ${scope.accountId}` : `--zone ${scope.zoneId}`;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function parsePort(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new InvalidArgumentError("expected a port number from 0 to 65535.");
  return port;
}
