/**
 * One hostile or unlucky server behaviour, and what the package must do about it. Each scenario starts its own
 * loopback server (never the emulator, which is too polite), drives one entry point against it, and asserts the
 * observable outcome: the call settles, with the right result or typed error, and nothing leaks or is forged.
 */
export interface HostileScenario {
  /** The class of problem it proves, e.g. "rate limits", "pagination", "terminal output", "credentials". */
  readonly area: string;
  /** What the server does and what must happen, as a test name. */
  readonly name: string;
  /** Runs the scenario; throws (a failed `expect`) when the package misbehaves. */
  readonly run: () => Promise<void>;
  /** Jest timeout for this scenario; default 30 s. */
  readonly timeoutMs?: number;
}
