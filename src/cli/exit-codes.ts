/**
 * The exit codes of `custom-csr`, documented in the README. A CI job can tell "the check ran and found a problem"
 * (1) from "the check could not run" (2).
 */
export const ExitCode = {
  /** Success: the data was printed, every check passed, no drift. */
  Ok: 0,
  /** A check failed: `verify` found a problem, `drift` found drift, `get` found a PEM that fails verification. */
  CheckFailed: 1,
  /** A usage error (unknown flag, missing or invalid argument), or an API, network, Pulumi or file error. */
  Error: 2,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
