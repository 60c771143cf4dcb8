import { InvalidCustomCsrArgsError } from "../errors";

/** Cloudflare's production API endpoint. */
export const DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

/**
 * Accepts `https://` anywhere and `http://` only on loopback (a local emulator or proxy), because a
 * credential travels with every request. Returns the URL without a trailing slash.
 */
export function validateBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidCustomCsrArgsError([
      {
        field: "baseUrl",
        reason: `"${quoteUnparsed(raw)}" is not a URL; expected something like ${DEFAULT_BASE_URL}.`,
      },
    ]);
  }
  // `user:password@host` without a scheme parses with "user:" as the scheme: never quote that back either.
  if (url.username !== "" || url.password !== "" || /^[^/?#]*@/.test(raw)) {
    throw new InvalidCustomCsrArgsError([
      {
        field: "baseUrl",
        reason: "must not contain a user name or password; pass credentials as apiToken or apiKey + email.",
      },
    ]);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new InvalidCustomCsrArgsError([
      {
        field: "baseUrl",
        reason:
          `plain http:// is only allowed for loopback hosts (localhost, 127.0.0.0/8, [::1]), ` +
          `not "${url.hostname}"; use https://.`,
      },
    ]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidCustomCsrArgsError([
      { field: "baseUrl", reason: `unsupported scheme "${url.protocol}"; use https://.` },
    ]);
  }
  // `search`/`hash` are empty for a bare trailing "?" or "#", which `toString()` keeps: check the text too.
  if (url.search !== "" || url.hash !== "" || /[?#]/.test(url.href)) {
    throw new InvalidCustomCsrArgsError([{ field: "baseUrl", reason: "must not contain a query string or fragment." }]);
  }
  return url.toString().replace(/\/+$/, "");
}

/** Longest part of an unparsable base URL quoted back. */
const MAX_QUOTED_URL = 200;

/**
 * An unparsable base URL as safe to quote: everything after the scheme up to the last `@` (a user name and
 * password, possibly; where the authority ends cannot be trusted in text that does not parse) is replaced, and
 * the text is cut to a readable length.
 */
function quoteUnparsed(raw: string): string {
  const withoutUserinfo = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, "$1[redacted]@");
  return withoutUserinfo.length <= MAX_QUOTED_URL ? withoutUserinfo : `${withoutUserinfo.slice(0, MAX_QUOTED_URL)}...`;
}

/** True for `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host === "::1") return true;
  const octets = host.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
