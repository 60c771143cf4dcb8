import type { CsrScope } from "../cloudflare/scope";

/*
 * The typed requests each entry (the SDK functions, the plain entry, the provider runtime, the CLI) turns its
 * arguments into, once, before anything else runs: the session, the list walk and the single lookup take these,
 * never `unknown`. The parsers are `parseLookupArgs` (`args.ts`) and `parseListArgs` (`list.ts`).
 */

/** One custom CSR to look up. */
export interface CustomCsrRequest {
  readonly customCsrId: string;
  readonly scope: CsrScope;
}

/** What a CSR must match to be selected; an absent field matches every CSR. */
export interface CsrFilter {
  readonly name?: string;
  readonly commonName?: string;
  readonly san?: string;
}

/** The CSRs of one account or zone to list, and what they must match. */
export interface CustomCsrListRequest {
  readonly scope: CsrScope;
  readonly filter: CsrFilter;
}
