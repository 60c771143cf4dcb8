import { cutText } from "./limits";

/**
 * Thrown by `orderCertificate` when the ACME CA refuses an order or a challenge fails: the CA rejected an identifier,
 * a DNS-01 challenge did not validate, the TXT record did not become visible to the given resolvers within
 * `propagationTimeoutMs`, or the CA did not finish in time. `identifier` names the DNS name concerned, `problemType`
 * the CA's RFC 8555 problem type (e.g. `urn:ietf:params:acme:error:unauthorized`) when it gave one, and `detail` the
 * CA's own explanation (cut to 1,000 characters). Every DNS record the order created was deleted before this is
 * thrown. Never holds the account key or an EAB MAC key.
 */
export class AcmeOrderError extends Error {
  /** The identifier (DNS name) the problem concerns, or what was being done when there is none. */
  readonly identifier: string;
  /** The CA's problem type, when it gave one. */
  declare readonly problemType?: string;
  /** The CA's explanation, or this package's when the CA gave none. */
  readonly detail: string;

  constructor(problem: { identifier: string; problemType?: string; detail: string }) {
    const detail = cutText(problem.detail, 1000);
    const type = problem.problemType === undefined ? "" : ` (${problem.problemType})`;
    super(`The ACME order failed for ${problem.identifier}${type}: ${detail}`);
    this.name = "AcmeOrderError";
    this.identifier = problem.identifier;
    if (problem.problemType !== undefined) this.problemType = problem.problemType;
    this.detail = detail;
  }
}
