import { isIPv4 } from "node:net";

/**
 * Subject alternative names as this package compares them, everywhere (the verification of a PEM against the API,
 * the list lookup's `san` filter, the certificate check): one spelling per name, and one rule for what covers what.
 *
 * Spelling: DNS names in ASCII lower case without one trailing dot; IPv4 addresses as dotted quads; IPv6 addresses
 * in their RFC 5952 form (openssl and the API print the same address differently); other kinds as `kind:value`
 * (`email:`, `url:`, `id:`, `dn:`, `othername:`, `x400:`, `edi:`), the same on the CSR and the certificate side.
 * Nothing is trimmed: a name with a space or a control character is junk, and junk covers nothing.
 */

/** What a SAN is, once spelled by {@link normalizeSan}. */
export type SanKind = "dns" | "wildcard" | "ip" | "other" | "junk";

/** The longest DNS name (RFC 1035, 2.3.4) plus one trailing dot. */
const MAX_DNS_LENGTH = 254;
/** A DNS label as certificates carry them: letters, digits, hyphens and the underscores of service names. */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** A host name label (RFC 1123, 2.1): what a wildcard may stand above; no underscore. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The kinds written `kind:value` (see `sanText` in decode.ts). */
const OTHER_KIND = /^(?:email|url|id|dn|othername|x400|edi):/;

/**
 * A SAN as it is compared. DNS names are lower-cased (ASCII only) and lose one trailing dot; IP addresses take
 * their canonical form; anything else is returned as given, so that junk stays junk. Never throws.
 */
export function normalizeSan(san: string): string {
  const ipv6 = canonicalIPv6(san);
  if (ipv6 !== undefined) return ipv6;
  if (OTHER_KIND.test(san)) return san;
  const lower = san.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  return lower.length > 1 && lower.endsWith(".") && !lower.endsWith("..") ? lower.slice(0, -1) : lower;
}

/**
 * The names of each list that the other lacks, compared and returned as {@link normalizeSan} spells them (DNS
 * case and one trailing dot ignored), each once: the one set difference of SAN lists.
 */
export function sanSetDifference(
  first: readonly string[],
  second: readonly string[],
): { onlyFirst: string[]; onlySecond: string[] } {
  const firstSet = new Set(first.map(normalizeSan));
  const secondSet = new Set(second.map(normalizeSan));
  return {
    onlyFirst: [...firstSet].filter((name) => !secondSet.has(name)),
    onlySecond: [...secondSet].filter((name) => !firstSet.has(name)),
  };
}

/** The kind of a name spelled by {@link normalizeSan}. */
export function sanKind(name: string): SanKind {
  if (isIPv4(name) || canonicalIPv6(name) === name) return "ip";
  if (OTHER_KIND.test(name)) return /[\p{Cc}\s]/u.test(name) ? "junk" : "other";
  if (name.length === 0 || name.length > MAX_DNS_LENGTH - 1) return "junk";
  const labels = name.split(".");
  if (labels[0] === "*") return labels.slice(1).every((label) => HOST_LABEL.test(label)) ? "wildcard" : "junk";
  return labels.every((label) => LABEL.test(label)) ? "dns" : "junk";
}

/**
 * Does the certificate name `held` cover the requested name `wanted` (both spelled by {@link normalizeSan})? RFC
 * 6125, 6.4: an IP address only by the same iPAddress; a DNS name by the same name, or by a wildcard whose `*` is
 * the whole left-most label, standing for exactly one label, above at least two labels (`*.acme.dev` covers
 * `www.acme.dev`, not `acme.dev`, `a.b.acme.dev`, nor does `*.dev` cover `acme.dev`). A requested wildcard is
 * covered only by the same wildcard; other kinds only by the same name. Junk on either side covers nothing, and so
 * does a certificate name whose `heldType` (its GeneralName) disagrees with its text.
 */
export function sanCovers(held: string, wanted: string, heldType?: "dns" | "ip" | "other"): boolean {
  const heldKind = sanKind(held);
  // A name must be what its GeneralName says: a dNSName holding "192.0.2.1" or "url:..." stands for nothing.
  if (heldType !== undefined && heldType !== (heldKind === "wildcard" ? "dns" : heldKind)) return false;
  const wantedKind = sanKind(wanted);
  if (heldKind === "junk" || wantedKind === "junk") return false;
  if (held === wanted) return heldKind === wantedKind;
  if (heldKind !== "wildcard" || wantedKind !== "dns") return false;
  const parent = held.slice(2);
  const dot = wanted.indexOf(".");
  return parent.includes(".") && dot > 0 && wanted.slice(dot + 1) === parent;
}

/**
 * The RFC 5952 text of an IPv6 address (lower case, no leading zeros, the longest run of two or more zero groups
 * as `::`, an embedded IPv4 tail turned into hex groups, as WHATWG URL prints it); `undefined` for anything else,
 * a zone id (`fe80::1%eth0`) included: no certificate can hold one.
 */
export function canonicalIPv6(text: string): string | undefined {
  if (text.length < 2 || text.length > 45 || !text.includes(":") || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  let source = text;
  const tail = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(source);
  if (tail !== null) {
    if (!isIPv4(tail[1])) return undefined;
    const [a, b, c, d] = tail[1].split(".").map(Number);
    source = `${source.slice(0, tail.index + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = source.split("::");
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groupsOf(halves[0]);
  const rest = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  if (!groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return undefined;
  const values = groups.map((group) => parseInt(group, 16).toString(16));
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8;) {
    let end = start;
    while (end < 8 && values[end] === "0") end++;
    if (end - start > best.length) best = { start, length: end - start };
    start = end === start ? start + 1 : end;
  }
  if (best.start < 0) return values.join(":");
  return `${values.slice(0, best.start).join(":")}::${values.slice(best.start + best.length).join(":")}`;
}
