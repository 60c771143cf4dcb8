/** One rejected argument: which field, and why. */
export interface ArgumentProblem {
  /** The argument's name as the caller spelled it, e.g. `customCsrId` or `accountId`. */
  readonly field: string;
  /** What is wrong and how to fix it. */
  readonly reason: string;
}

/**
 * Thrown before any request is sent when the lookup arguments or options are invalid: an id of the wrong
 * length or alphabet, both or neither of `accountId`/`zoneId`, conflicting credentials, a plain-HTTP base URL
 * that is not on loopback. `problems` lists every problem found, not just the first.
 */
export class InvalidCustomCsrArgsError extends Error {
  /** Every problem found in the arguments. */
  readonly problems: readonly ArgumentProblem[];

  constructor(problems: readonly ArgumentProblem[]) {
    super(
      problems.length === 1
        ? `Invalid ${problems[0].field}: ${problems[0].reason}`
        : `Invalid arguments:\n${problems.map((p) => `  - ${p.field}: ${p.reason}`).join("\n")}`,
    );
    this.name = "InvalidCustomCsrArgsError";
    this.problems = problems;
  }
}
