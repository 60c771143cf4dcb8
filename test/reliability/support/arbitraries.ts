import fc from "fast-check";
import type { ApiCustomCsr } from "../../../src/cloudflare/types";
import type { Reply } from "./recording-server";

/*
 * Generators for the property-based reliability tests: lookup arguments (valid, almost valid and hostile),
 * Cloudflare responses (well-formed, mutated and garbage) and PEM texts (mutated real CSRs and noise).
 */

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** The contract's alphabet of custom CSR ids. */
export const ID_ALPHABET = `${LETTERS}0123456789-`;
/** The contract's alphabet of account and zone ids. */
export const HEX_ALPHABET = "0123456789abcdefABCDEF";

/** `arbitrary` one time in `n`, else `otherwise`. */
const oneIn = <T, U>(n: number, arbitrary: fc.Arbitrary<T>, otherwise: U): fc.Arbitrary<T | U> =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(otherwise) }, { weight: 1, arbitrary });

const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(""));
const ofLength = (alphabet: string, length: number) =>
  fc.string({ unit: chars(alphabet), minLength: length, maxLength: length });

/** A custom CSR id the contract accepts: 1..36 of [A-Za-z0-9-]. */
const validCsrId = fc.string({ unit: chars(ID_ALPHABET), minLength: 1, maxLength: 36 });
/** An account or zone id the contract accepts: 1..32 hex digits, either case. */
const validScopeId = fc.string({ unit: chars(HEX_ALPHABET), minLength: 1, maxLength: 32 });

/** Pieces that break paths, URLs, encodings or comparisons when they slip into an id. */
const HOSTILE_PIECES = [
  "/",
  "\\",
  "..",
  ".",
  "%2e%2e",
  "%2E%2E",
  "%2e",
  "%2F",
  "%2f",
  "%5C",
  "%5c",
  "%00",
  "%",
  "%%",
  "%zz",
  "%252F",
  "..%2f",
  "%2e%2e%2f",
  "..;/",
  "?",
  "#",
  "&",
  "=",
  ";",
  ":",
  "@",
  "+",
  "*",
  "~",
  "$",
  "'",
  '"',
  "<",
  ">",
  "`",
  " ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\v",
  "\f",
  "\u0000",
  "\u0085",
  "\u00a0",
  "\u1680",
  "\u2028",
  "\u2029",
  "\u200b",
  "\u200d",
  "\ufeff",
  "\u3000",
  "\u202e",
  "\ud800",
  "\udfff",
  "ａ",
  "Ａ",
  "０",
  "٣",
  "é",
  "e\u0301",
  "İ",
  "ı",
  "ß",
  "ﬀ",
  "Ⅻ",
  "😀",
  "👩‍💻",
  "a",
  "F",
  "0",
  "9",
  "-",
  "_",
];
const hostilePiece = fc.constantFrom(...HOSTILE_PIECES);
const WHITESPACE = [" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u3000", "\u200b", "\ufeff"];

/** Long runs of otherwise valid characters, up to 100,000, some with a hostile tail. */
const longString = fc
  .tuple(fc.integer({ min: 1, max: 100_000 }), chars(`${ID_ALPHABET}xyz`), fc.option(hostilePiece, { nil: undefined }))
  .map(([length, char, tail]) => char.repeat(length) + (tail ?? ""));

/** Strings of any kind that are meant to be (but are not guaranteed to be) invalid ids. */
const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 48 }),
  fc.string({ unit: "grapheme", maxLength: 24 }),
  fc.string({ unit: "binary-ascii", maxLength: 48 }),
  fc.array(hostilePiece, { minLength: 1, maxLength: 10 }).map((pieces) => pieces.join("")),
  longString,
);

/** A valid string with one hostile piece inserted: the inputs most likely to slip past a sloppy check. */
const nearlyValid = (valid: fc.Arbitrary<string>) =>
  fc.tuple(valid, fc.nat(), hostilePiece).map(([text, at, piece]) => {
    const cut = at % (text.length + 1);
    return text.slice(0, cut) + piece + text.slice(cut);
  });

/** A valid string wrapped in whitespace. */
const padded = (valid: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.constantFrom("", ...WHITESPACE), valid, fc.constantFrom("", ...WHITESPACE))
    .map(([before, text, after]) => before + text + after);

/** Strings from the right alphabet around the length limit. */
const aroundLimit = (alphabet: string, limit: number) =>
  fc.integer({ min: limit - 1, max: limit + 2 }).chain((length) => ofLength(alphabet, length));

/** Every JavaScript value that is not a string, including the ones that are falsy or look numeric. */
const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constantFrom(0, -0, Number.NaN, Infinity, 1e21, 0xabc),
  fc.date({ noInvalidDate: true }),
  fc.array(fc.oneof(validCsrId, validScopeId, fc.anything()), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
  fc.constant(Symbol("id")),
  fc.constant(() => "7b163417"),
  fc.constant(new String("abc")),
);

/** "Not set" as callers spell it. */
const unset = fc.constantFrom(undefined, null, "");

/** Any value for `customCsrId`. */
const csrIdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: validCsrId },
  { weight: 2, arbitrary: aroundLimit(ID_ALPHABET, 36) },
  { weight: 3, arbitrary: nearlyValid(validCsrId) },
  { weight: 2, arbitrary: padded(validCsrId) },
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: nonString },
  { weight: 1, arbitrary: unset },
);

/** Any value for `accountId` or `zoneId`. */
const scopeIdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: validScopeId },
  { weight: 2, arbitrary: aroundLimit(HEX_ALPHABET, 32) },
  { weight: 3, arbitrary: nearlyValid(validScopeId) },
  { weight: 2, arbitrary: padded(validScopeId) },
  {
    weight: 2,
    arbitrary: fc.string({ unit: chars("0123456789abcdefghijklmnopqrstuvwxyz.-"), minLength: 1, maxLength: 40 }),
  },
  { weight: 3, arbitrary: hostileString },
  { weight: 2, arbitrary: nonString },
  { weight: 3, arbitrary: unset },
);

/** Keys callers might add by mistake; the lookup must ignore them. */
const strayKeys = fc.dictionary(
  fc.constantFrom("observed", "name", "id", "customcsrid", "AccountId", "zone_id", "pem"),
  fc.anything(),
  { maxKeys: 2 },
);

/** Arguments that satisfy the contract, with the other scope field absent or spelled as unset. */
const validArgs = fc
  .tuple(
    validCsrId,
    validScopeId,
    fc.constantFrom("accountId", "zoneId"),
    fc.option(unset, { nil: "missing" as const }),
  )
  .map(([customCsrId, id, field, other]) => {
    const args: Record<string, unknown> = { customCsrId, [field]: id };
    if (other !== "missing") args[field === "accountId" ? "zoneId" : "accountId"] = other;
    return args;
  });

/**
 * Lookup arguments as a record: a third valid, a third valid with one field replaced by anything, a third any
 * combination of the three fields (each possibly missing), all with occasional stray keys.
 */
export const lookupArgs: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.oneof(
      validArgs,
      fc
        .tuple(validArgs, fc.constantFrom("customCsrId", "accountId", "zoneId"), fc.oneof(csrIdValue, scopeIdValue))
        .map(([args, field, value]) => ({ ...args, [field]: value })),
      fc.record({ customCsrId: csrIdValue, accountId: scopeIdValue, zoneId: scopeIdValue }, { requiredKeys: [] }),
    ),
    oneIn(4, strayKeys, {}),
  )
  .map(([args, stray]) => ({ ...stray, ...args }));

/** Anything at all as the whole argument, including non-objects and arrays. */
export const anyArgs: fc.Arbitrary<unknown> = fc.oneof(
  lookupArgs,
  fc.anything(),
  fc.array(lookupArgs, { maxLength: 2 }),
);

// ---- PEM texts ------------------------------------------------------------------------------------------------

const BEGIN = "-----BEGIN CERTIFICATE REQUEST-----";
const END = "-----END CERTIFICATE REQUEST-----";

/** Wraps DER bytes the way PEM does (RFC 7468): base64 in 64-character lines between the labels. */
export function toPem(der: Uint8Array, label = "CERTIFICATE REQUEST"): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

export function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
}

type DerEdit = { at: number; kind: "set" | "flip" | "delete" | "insert"; byte: number; length: number };

/** A real CSR's DER with a few bytes set, flipped, deleted or inserted: ASN.1 that is almost right. */
const derMutation = (pems: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...pems),
      fc.array(
        fc.record({
          at: fc.nat(),
          kind: fc.constantFrom("set", "flip", "delete", "insert"),
          byte: fc.integer({ min: 0, max: 255 }),
          length: fc.integer({ min: 1, max: 8 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([pem, edits]: [string, DerEdit[]]) => {
      let der = derOf(pem);
      for (const edit of edits) {
        const at = edit.at % Math.max(der.length, 1);
        if (edit.kind === "set") der[at] = edit.byte;
        else if (edit.kind === "flip") der[at] ^= 1 << (edit.byte % 8);
        else if (edit.kind === "delete") der = Buffer.concat([der.subarray(0, at), der.subarray(at + edit.length)]);
        else der = Buffer.concat([der.subarray(0, at), Buffer.alloc(edit.length, edit.byte), der.subarray(at)]);
      }
      return toPem(der);
    });

/** A real CSR's PEM text damaged as text: characters replaced, cut, labels changed, blocks doubled, noise around. */
const textMutation = (pems: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...pems),
      fc.nat(),
      fc.string({ unit: "binary-ascii", maxLength: 8 }),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([pem, at, noise, kind]) => {
      const cut = at % pem.length;
      switch (kind) {
        case 0:
          return pem.slice(0, cut) + noise + pem.slice(cut + 1);
        case 1:
          return pem.slice(0, cut);
        case 2:
          return pem.replace("CERTIFICATE REQUEST-----", `${noise.toUpperCase()}-----`);
        case 3:
          return pem + pem;
        case 4:
          return `${noise}\n${pem}`;
        case 5:
          return pem.replace(/\n/g, "\r\n");
        case 6:
          return pem.replace(/\n(?!-)/g, "");
        case 7:
          return pem
            .replace(BEGIN, "-----BEGIN NEW CERTIFICATE REQUEST-----")
            .replace(END, "-----END NEW CERTIFICATE REQUEST-----");
        case 8:
          return pem.replace(/=+\n/, "\n");
        default:
          return pem.slice(0, cut) + pem.slice(cut + noise.length + 1);
      }
    });

/** PEM-shaped noise: random bytes labelled as a CSR. */
const randomDer = fc.uint8Array({ maxLength: 700 }).map((bytes) => toPem(bytes));

/** Any text handed to the decoder as a PEM: garbage, near-misses and damaged real CSRs. */
export const pemText = (pems: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: oddString },
    { weight: 2, arbitrary: randomDer },
    { weight: 3, arbitrary: textMutation(pems) },
    { weight: 6, arbitrary: derMutation(pems) },
    { weight: 1, arbitrary: fc.constantFrom(...pems) },
  );

// ---- Responses ------------------------------------------------------------------------------------------------

/** The fields of a custom CSR record, as the API names them, plus a few it does not have. */
const RECORD_FIELDS = [
  "id",
  "created_at",
  "key_type",
  "csr",
  "common_name",
  "sans",
  "name",
  "description",
  "organization",
  "organizational_unit",
  "country",
  "state",
  "locality",
  "account_tag",
  "extra",
  "__proto__",
  "constructor",
];

/** Strings that are hard on parsers, comparisons and memory. */
const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "null",
    "undefined",
    "NaN",
    "[object Object]",
    "\ufeff",
    "\u202eevil",
    "e\u0301",
    "rsa2048 ",
    "RSA2048",
    "p256v1\n",
  ),
  fc.integer({ min: 60_000, max: 300_000 }).map((length) => "x".repeat(length)),
  fc.integer({ min: 1, max: 5_000 }).map((count) => "💥".repeat(count)),
  fc.constant("-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n"),
);

/** `null` wrapped in `depth` levels of objects or arrays. */
const nestedNull = fc.tuple(fc.integer({ min: 1, max: 64 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = null;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { value };
  return value;
});

/** Objects whose conversion to a primitive throws once parsed: `String({"toString": 1})` is a TypeError. */
const unconvertible = fc.constantFrom(
  { toString: 1 },
  { toString: "x", valueOf: null },
  { valueOf: 1, toString: 1 },
  { toJSON: 1 },
);

/** A JSON value of the wrong kind for whatever field it lands in. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  unconvertible,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  oddString,
  nestedNull,
  fc.array(fc.oneof(oddString, fc.constant(null), fc.integer()), { maxLength: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A real record with some fields deleted or replaced (often by a value of the wrong type), or left intact. */
const mutatedRecord = (template: ApiCustomCsr, templates: readonly ApiCustomCsr[]) =>
  fc
    .tuple(
      fc.oneof(
        fc.constant([]),
        fc.array(
          fc.record({
            field: fc.constantFrom(...RECORD_FIELDS),
            change: fc.constantFrom("delete", "replace", "null"),
            value: wrongValue,
          }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
      ),
      oneIn(6, fc.oneof(fc.constant(null), fc.integer(), oddString, fc.jsonValue({ maxDepth: 2 })), undefined),
      oneIn(6, pemText(templates.map((t) => t.csr as string)), undefined),
    )
    .map(([changes, sanEntry, pem]) => {
      const record: Record<string, unknown> = JSON.parse(JSON.stringify(template));
      if (pem !== undefined) record.csr = pem;
      for (const { field, change, value } of changes) {
        if (change === "delete") delete record[field];
        else
          Object.defineProperty(record, field, {
            value: change === "null" ? null : value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
      if (sanEntry !== undefined && Array.isArray(record.sans)) record.sans = [...record.sans, sanEntry];
      return record;
    });

/** One entry of `errors`, with Cloudflare's interesting codes and a nested `error_chain` up to thousands deep. */
const errorEntry = fc
  .tuple(
    fc.record(
      {
        code: fc.oneof(
          fc.constantFrom(1419, 10000, 7000, 7003, 971, 1500, 6003, 6111, 0, -1),
          fc.integer(),
          wrongValue,
        ),
        message: fc.oneof(oddString, wrongValue),
        documentation_url: oddString,
      },
      { requiredKeys: [] },
    ),
    fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }) }),
  )
  .map(([entry, depth]) => {
    let chained: Record<string, unknown> = entry;
    for (let i = 0; i < depth; i++) chained = { code: 1000 + (i % 7), message: "cause", error_chain: [chained] };
    return chained;
  });

const resultInfo = fc.oneof(
  fc.record(
    { page: fc.nat(), per_page: fc.nat(), count: fc.nat(), total_count: fc.nat(), total_pages: fc.nat() },
    { requiredKeys: [] },
  ),
  wrongValue,
);

/** A Cloudflare-style envelope around a mutated result, with every envelope field possibly wrong too. */
const envelope = (template: ApiCustomCsr, templates: readonly ApiCustomCsr[]) => {
  const fields = {
    success: fc.oneof(
      { weight: 6, arbitrary: fc.constant(true) },
      { weight: 2, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: wrongValue },
    ),
    errors: fc.oneof(
      { weight: 4, arbitrary: fc.constant([]) },
      { weight: 4, arbitrary: fc.array(errorEntry, { maxLength: 3 }) },
      { weight: 1, arbitrary: wrongValue },
    ),
    messages: fc.oneof(fc.constant([]), fc.array(errorEntry, { maxLength: 2 }), wrongValue),
    result: fc.oneof(
      { weight: 8, arbitrary: mutatedRecord(template, templates) },
      { weight: 1, arbitrary: fc.array(mutatedRecord(template, templates), { maxLength: 2 }) },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: wrongValue },
    ),
    result_info: resultInfo,
    extra: wrongValue,
  };
  return fc.oneof(
    { weight: 5, arbitrary: fc.record(fields, { requiredKeys: ["success", "errors", "messages", "result"] }) },
    { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) },
  );
};

const HEADER_TEXT = chars('0123456789 .-;=,"abcdefghijklmnopqrstuvwxyzGMT:');
const headers = fc.record(
  {
    "Content-Type": fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "text/html; charset=UTF-8",
      "text/plain",
      "application/octet-stream",
      "",
    ),
    "Retry-After": fc.oneof(fc.nat().map(String), fc.string({ unit: HEADER_TEXT, maxLength: 30 })),
    Ratelimit: fc.oneof(
      fc.tuple(fc.nat(), fc.nat()).map(([remaining, reset]) => `"default";r=${remaining};t=${reset}`),
      fc.string({ unit: HEADER_TEXT, maxLength: 30 }),
    ),
    "Content-Encoding": fc.constantFrom("gzip", "br", "deflate", "identity"),
  },
  { requiredKeys: [] },
);

/**
 * Envelopes nested thousands of levels deep, in `error_chain` or in `result`. Written as text: building them as
 * objects would overflow `JSON.stringify` in the test itself.
 */
const deeplyNested = fc
  .tuple(fc.integer({ min: 11, max: 50_000 }), fc.boolean(), fc.constantFrom(200, 404, 500))
  .map(([depth, inErrors]) =>
    inErrors
      ? `{"success":false,"errors":[${'{"code":1000,"message":"cause","error_chain":['.repeat(depth)}{"code":1419,"message":"Not found"}${"]}".repeat(depth)}],"messages":[],"result":null}`
      : `{"success":true,"errors":[],"messages":[],"result":${'{"id":'.repeat(depth)}null${"}".repeat(depth)}}`,
  );

/** Body texts that are not what the client asked for at all. */
const strangeBody = (templates: readonly ApiCustomCsr[]) =>
  fc.oneof(
    oddString,
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc.constant("<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"),
    fc.tuple(fc.constantFrom(...templates), fc.nat()).map(([record, at]) => {
      const whole = JSON.stringify({ success: true, errors: [], messages: [], result: record });
      return whole.slice(0, at % whole.length);
    }),
    fc.integer({ min: 1_000, max: 100_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
    deeplyNested,
  );

/** HTTP statuses: mostly the ones Cloudflare uses for this API, sometimes any status that can carry a body. */
const status = fc.oneof(
  { weight: 4, arbitrary: fc.constant(200) },
  { weight: 4, arbitrary: fc.constantFrom(400, 403, 404, 429, 500) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 200, max: 599 }).filter((code) => code !== 204 && code !== 205 && code !== 304),
  },
);

/**
 * One lookup and its answer: the CSR asked for (one of `templates`) and a reply about it: status, headers, body (an
 * envelope around a mutation of that CSR most of the time) and, rarely, a connection cut mid-body.
 */
export const apiExchange = (templates: readonly ApiCustomCsr[]): fc.Arbitrary<{ asked: ApiCustomCsr; reply: Reply }> =>
  fc.constantFrom(...templates).chain((asked) =>
    fc.record({
      asked: fc.constant(asked),
      reply: fc.record({
        status,
        headers: oneIn(3, headers, undefined),
        body: fc.oneof(
          { weight: 6, arbitrary: envelope(asked, templates).map((value) => JSON.stringify(value)) },
          { weight: 1, arbitrary: strangeBody(templates) },
        ),
        cut: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      }),
    }),
  );

/** Field values an API record might carry next to a PEM: the real ones, near misses, and nonsense. */
export const apiFieldChanges = oneIn(
  2,
  fc.record(
    {
      common_name: fc.oneof(oddString, fc.constantFrom("www.example.dev", "WWW.EXAMPLE.DEV", "www.example.dev.")),
      sans: fc.array(fc.oneof(oddString, fc.constantFrom("www.example.dev", "example.dev", "*.example.dev")), {
        maxLength: 4,
      }),
      key_type: fc.oneof(
        oddString,
        fc.constantFrom("rsa2048", "p256v1", "ed25519", "__proto__", "constructor", "toString", "hasOwnProperty"),
      ),
    },
    { requiredKeys: [] },
  ),
  {},
);
