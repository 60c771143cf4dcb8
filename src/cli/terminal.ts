/** Where a command writes: `process.stdout`, `process.stderr`, or a capture in tests. */
export interface OutputStream {
  write(text: string): boolean;
  /** True when the stream is a terminal: colours and progress indicators are shown only then. */
  readonly isTTY?: boolean;
}

/** Everything a command reads from or writes to its surroundings, so that none of it is a hidden global. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The environment: credentials (`CLOUDFLARE_*`), `NO_COLOR`, and what the Pulumi CLI needs. */
  readonly env: NodeJS.ProcessEnv;
  /** The working directory, the default of `drift --cwd`. */
  readonly cwd: string;
  /** Resolves with the signal's name on the first Ctrl-C (SIGINT) or SIGTERM. */
  untilInterrupted(): Promise<NodeJS.Signals>;
}

/** The real process: its streams, environment and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    untilInterrupted: () =>
      new Promise((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve(signal);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      }),
  };
}

/**
 * Whether to colour what goes to `stream`: only on a terminal, never when `NO_COLOR` is set to anything
 * non-empty (https://no-color.org), and not on a `TERM=dumb` terminal.
 */
export function colorEnabled(stream: OutputStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** Text styles; each is the identity when colours are off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

/** ANSI SGR codes: set, and the code that resets only that attribute. */
const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] } as const;

/** Styles for one stream: ANSI colours when {@link colorEnabled}, plain text otherwise. */
export function styleFor(stream: OutputStream, env: NodeJS.ProcessEnv): Style {
  const enabled = colorEnabled(stream, env);
  const paint =
    ([open, close]: readonly [number, number]) =>
    (text: string) =>
      enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: paint(CODES.bold),
    dim: paint(CODES.dim),
    red: paint(CODES.red),
    green: paint(CODES.green),
    yellow: paint(CODES.yellow),
  };
}
