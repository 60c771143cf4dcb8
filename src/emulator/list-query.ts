import type { Checked } from "./wire";
import type { ApiMessage, ApiResultInfo, CsrScope } from "./wire";
import { Errors } from "./codes";
import type { ListDirection, ListOrder } from "./store";

/** The list endpoint's parameters with defaults applied. */
export interface ListQuery {
  /** `page`, 1-based. */
  page: number;
  /** `per_page`, 5..50. */
  perPage: number;
  /** `order`: `name`, `account_tag` or `created_at`. */
  order: ListOrder;
  /** `direction`: `asc` or `desc`. */
  direction: ListDirection;
}

/**
 * Defaults, as Cloudflare's API schema gives them: `per_page` 50 on an account's list and 20 on a zone's
 * (`perPage` here is the zone's; see {@link defaultPerPage}); `created_at` ascending, which keeps pages stable while
 * new CSRs are added at the end.
 */
export const LIST_DEFAULTS: Readonly<ListQuery> = Object.freeze({
  page: 1,
  perPage: 20,
  order: "created_at",
  direction: "asc",
});

/** `per_page` when the request leaves it out: 50 for an account's CSRs, 20 for a zone's. */
export function defaultPerPage(scope: CsrScope): number {
  return scope.accountId !== undefined ? 50 : LIST_DEFAULTS.perPage;
}

/** The `per_page` range Cloudflare documents. */
export const PER_PAGE_RANGE = Object.freeze({ min: 5, max: 50 });

const ORDERS: readonly ListOrder[] = ["name", "account_tag", "created_at"];
const DIRECTIONS: readonly ListDirection[] = ["asc", "desc"];

/** Parses the query; an empty parameter counts as absent; every bad parameter yields one 1421 error. */
export function parseListQuery(query: Record<string, string>, scope: CsrScope): Checked<ListQuery, ApiMessage> {
  const errors: ApiMessage[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = query[name];
    if (text === undefined || text === "") return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) {
      errors.push(
        Errors.invalidListParameter(
          name,
          max === Infinity ? `must be an integer of at least ${min}` : `must be an integer from ${min} to ${max}`,
        ),
      );
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const text = query[name];
    if (text === undefined || text === "") return fallback;
    const value = allowed.find((candidate) => candidate === text);
    if (value === undefined) errors.push(Errors.invalidListParameter(name, `must be one of ${allowed.join(", ")}`));
    return value ?? fallback;
  };
  const value: ListQuery = {
    page: integer("page", LIST_DEFAULTS.page, 1, Infinity),
    perPage: integer("per_page", defaultPerPage(scope), PER_PAGE_RANGE.min, PER_PAGE_RANGE.max),
    order: oneOf("order", LIST_DEFAULTS.order, ORDERS),
    direction: oneOf("direction", LIST_DEFAULTS.direction, DIRECTIONS),
  };
  return errors.length > 0 ? { ok: false, problems: errors } : { ok: true, value };
}

/** One page of `items` and the `result_info` describing it; a page past the end is empty. */
export function paginate<T>(items: readonly T[], page: number, perPage: number): { items: T[]; info: ApiResultInfo } {
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return {
    items: slice,
    info: {
      page,
      per_page: perPage,
      count: slice.length,
      total_count: items.length,
      total_pages: Math.ceil(items.length / perPage),
    },
  };
}
