import type { ApiMessage } from "./wire";

/*
 * Every status and error code the emulator answers with. Codes 1400-1420 and 1500 and their messages are Cloudflare's
 * own (developers.cloudflare.com/cloudflare-for-platforms/cloudflare-for-saas/reference/status-codes/custom-csrs/);
 * the gateway codes (7000, 7001, 7003), the auth codes (10000, 6003 with 6102/6103/6111) and 971 are what the API
 * returns in the wild; the rows marked "emulator" fill gaps the docs leave open.
 *
 * | HTTP | Code  | When                                                                                       |
 * |------|-------|--------------------------------------------------------------------------------------------|
 * | 400  | 7003  | account/zone id is not 32 lower-case hex; always followed by 7000 in the same response     |
 * | 400  | 7000  | no route: unknown path (emulator: 400, as the gateway answers 7003/7000)                   |
 * | 405  | 7001  | known path, unsupported method                                                             |
 * | 400  | 6003  | malformed credential headers, with one `error_chain` entry:                                |
 * |      |  6111 |   `Authorization` is not `Bearer <token>`                                                  |
 * |      |  6102 |   `X-Auth-Email` missing (with a key) or not an address                                    |
 * |      |  6103 |   `X-Auth-Key` missing (with an e-mail) or not hexadecimal (e.g. a token sent as a key)    |
 * | 400  | 1402  | no credential header at all                                                                |
 * | 401  | 10000 | an unknown token / e-mail + key                                                            |
 * | 403  | 10000 | token without "SSL and Certificates Read", or a well-formed account/zone id not accessible |
 * | 429  | 971   | rate limit exceeded (blocked until the window ends, `Retry-After` in seconds)              |
 * | 403  | 10000 | (emulator) an admin request whose Host is not a loopback name or address (DNS rebinding)  |
 * | 400  | 1401  | the zone id is empty (`/zones//custom_csrs`)                                               |
 * | 403  | 1403  | no quota allocated for custom CSRs (set with `restrictCsrAccess(scope, "no-quota")`)        |
 * | 403  | 1404  | access to generating CSRs not granted (`restrictCsrAccess(scope, "not-granted")`)           |
 * | 413  | 1422  | (emulator) request body over the emulator's limit (`maxBodyBytes`, default 64 KiB)          |
 * | 400  | 1400  | body is not a JSON object, or a field has the wrong JSON type                              |
 * | 400  | 1405  | country missing, or (emulator) not two letters                                             |
 * | 400  | 1406  | state missing                                                                              |
 * | 400  | 1407  | locality missing                                                                           |
 * | 400  | 1408  | organization missing                                                                       |
 * | 400  | 1409  | common_name missing                                                                        |
 * | 400  | 1410  | common_name longer than 64 characters                                                      |
 * | 400  | 1411  | sans missing or empty                                                                      |
 * | 400  | 1412  | more than 150 SANs (the API schema's limit)                                                |
 * | 400  | 1412  | a SAN: 256+ characters, an IP address, a special character, an empty label, a label        |
 * |      |       |   starting or ending with "-" (a leading "*." wildcard label is allowed: emulator choice)  |
 * | 400  | 1413  | a SAN with non-ASCII characters                                                            |
 * | 400  | 1414  | a SAN under a reserved TLD: test, example, invalid, localhost                               |
 * | 400  | 1415  | a SAN without a registrable domain (emulator: a single label such as "intranet")           |
 * | 400  | 1416  | a SAN equal to or under example.com, example.net, example.org                              |
 * | 400  | 1417  | key_type other than exactly rsa2048 / p256v1                                               |
 * | 400  | 1418  | custom CSR id longer than 36 characters or outside [A-Za-z0-9-]                            |
 * | 404  | 1419  | custom CSR not found in this account/zone                                                  |
 * | 409  | 1420  | DELETE of a CSR an active custom certificate or custom hostname uses                       |
 * | 400  | 1421  | (emulator) bad list parameter: page < 1, per_page outside 5..50, unknown order / direction |
 * | 400  | 1004  | DNS record validation (the emulator takes TXT records in the zone only)                    |
 * | 404  | 81044 | DNS record not found                                                                       |
 * | 404  | 1001  | (emulator admin) certificate not found                                                      |
 * | 500  | 1500  | internal error (fault injection only; 502/503/504 faults reuse the code)                   |
 *
 * Create validation reports one error per problem (each with `source.pointer`, e.g. "/sans/2"), in this order:
 * 1400 (stops there), then the required fields, 1410, the SANs (first problem per SAN), 1417.
 */

/** Numeric codes of every error the emulator sends; see the table in `codes.ts`. */
export const ErrorCodes = Object.freeze({
  NoRoute: 7000,
  MethodNotAllowed: 7001,
  CouldNotRoute: 7003,
  InvalidRequestHeaders: 6003,
  InvalidEmailHeader: 6102,
  InvalidKeyHeader: 6103,
  InvalidAuthorizationHeader: 6111,
  AuthenticationError: 10000,
  RateLimited: 971,
  InvalidJson: 1400,
  ZoneIdRequired: 1401,
  AuthorizationMissing: 1402,
  NoQuota: 1403,
  AccessNotGranted: 1404,
  CountryRequired: 1405,
  StateRequired: 1406,
  LocalityRequired: 1407,
  OrganizationRequired: 1408,
  CommonNameRequired: 1409,
  CommonNameTooLong: 1410,
  SanRequired: 1411,
  SanInvalid: 1412,
  SanNonAscii: 1413,
  SanReservedTld: 1414,
  SanUnparsable: 1415,
  SanExampleDomain: 1416,
  InvalidKeyType: 1417,
  InvalidCsrId: 1418,
  CsrNotFound: 1419,
  CsrInUse: 1420,
  InvalidListParameter: 1421,
  RequestTooLarge: 1422,
  InternalError: 1500,
  DnsValidation: 1004,
  DnsRecordNotFound: 81044,
  CertificateNotFound: 1001,
});

const CHECK = "Please check your input and try again.";

/** The longest common name Cloudflare accepts. */
export const MAX_COMMON_NAME_LENGTH = 64;

/** Builds an error entry, with `source.pointer` when the error is about one input field. */
function entry(code: number, message: string, pointer?: string): ApiMessage {
  return pointer === undefined ? { code, message } : { code, message, source: { pointer } };
}

/** Factories for every error entry, so each message is spelled in one place. */
export const Errors = {
  noRoute: () => entry(ErrorCodes.NoRoute, "No route for that URI"),
  couldNotRoute: (path: string) =>
    entry(ErrorCodes.CouldNotRoute, `Could not route to ${path}, perhaps your object identifier is invalid?`),
  methodNotAllowed: (method: string) =>
    entry(ErrorCodes.MethodNotAllowed, `Method ${method} not available for that URI.`),
  malformedHeader: (chainCode: number, header: string): ApiMessage => ({
    code: ErrorCodes.InvalidRequestHeaders,
    message: "Invalid request headers",
    error_chain: [{ code: chainCode, message: `Invalid format for ${header} header` }],
  }),
  authentication: () => entry(ErrorCodes.AuthenticationError, "Authentication error"),
  authorizationMissing: () =>
    entry(ErrorCodes.AuthorizationMissing, `The request has no Authorization header. ${CHECK}`),
  zoneIdRequired: () => entry(ErrorCodes.ZoneIdRequired, `Zone ID is required. ${CHECK}`),
  noQuota: () => entry(ErrorCodes.NoQuota, "No quota has been allocated for custom CSRs in this account or zone."),
  accessNotGranted: () =>
    entry(ErrorCodes.AccessNotGranted, "Access to generating CSRs has not been granted for this account or zone."),
  csrInUse: () =>
    entry(
      ErrorCodes.CsrInUse,
      "The custom CSR is used by an active certificate and cannot be deleted; delete the certificate first.",
    ),
  tooManySans: (max: number) =>
    entry(ErrorCodes.SanInvalid, `At most ${max} subject alternative names (SANs) are allowed. ${CHECK}`, "/sans"),
  foreignHost: () =>
    entry(
      ErrorCodes.AuthenticationError,
      "Admin endpoints answer only requests addressed to a loopback host (localhost, 127.0.0.1, [::1])",
    ),
  rateLimited: () => entry(ErrorCodes.RateLimited, "Please wait and consider throttling your request speed"),
  requestTooLarge: (limit: number) =>
    entry(ErrorCodes.RequestTooLarge, `Request body too large: the emulator reads at most ${limit} bytes. ${CHECK}`),
  invalidJson: () => entry(ErrorCodes.InvalidJson, `Unable to decode the JSON request body. ${CHECK}`),
  required: (code: number, field: string, label: string) =>
    entry(code, `${label} field is required. ${CHECK}`, `/${field}`),
  countryFormat: () =>
    entry(ErrorCodes.CountryRequired, `Country must be a two-letter country code. ${CHECK}`, "/country"),
  commonNameTooLong: () =>
    entry(
      ErrorCodes.CommonNameTooLong,
      `The specified Common Name is too long. Maximum allowed length is ${MAX_COMMON_NAME_LENGTH} characters. ${CHECK}`,
      "/common_name",
    ),
  sanRequired: () =>
    entry(ErrorCodes.SanRequired, `At least one subject alternative name (SAN) is required. ${CHECK}`, "/sans"),
  sanInvalid: (index: number) =>
    entry(
      ErrorCodes.SanInvalid,
      "Invalid subject alternative name(s) (SAN). SANs have to be smaller than 256 characters in length, cannot be IP " +
        "addresses, cannot contain any special characters such as ~`!@#$%^&*()=+{}[]|\\;:'\",<>/? and cannot begin or " +
        `end with a '-' character. ${CHECK}`,
      `/sans/${index}`,
    ),
  sanNonAscii: (index: number) =>
    entry(
      ErrorCodes.SanNonAscii,
      `Subject Alternative Names (SANs) with non-ASCII characters are not supported. ${CHECK}`,
      `/sans/${index}`,
    ),
  sanReservedTld: (index: number) =>
    entry(
      ErrorCodes.SanReservedTld,
      `Reserved top domain subject alternative names (SAN), such as 'test', 'example', 'invalid' or 'localhost', is not supported. ${CHECK}`,
      `/sans/${index}`,
    ),
  sanUnparsable: (index: number, san: string) =>
    entry(
      ErrorCodes.SanUnparsable,
      `Unable to parse subject alternative name(s) (SAN) - publicsuffix: cannot derive eTLD+1 for domain ${JSON.stringify(san)}. ${CHECK}`,
      `/sans/${index}`,
    ),
  sanExampleDomain: (index: number) =>
    entry(
      ErrorCodes.SanExampleDomain,
      `Subject Alternative Names (SANs) ending in example.com, example.net, or example.org are prohibited. ${CHECK}`,
      `/sans/${index}`,
    ),
  invalidKeyType: () =>
    entry(ErrorCodes.InvalidKeyType, `Invalid key type. Only 'rsa2048' or 'p256v1' is accepted. ${CHECK}`, "/key_type"),
  invalidCsrId: () => entry(ErrorCodes.InvalidCsrId, `The custom CSR ID is invalid. ${CHECK}`),
  csrNotFound: () => entry(ErrorCodes.CsrNotFound, "The custom CSR was not found."),
  invalidListParameter: (parameter: string, rule: string) =>
    entry(ErrorCodes.InvalidListParameter, `Invalid list parameter ${parameter}: ${rule}. ${CHECK}`),
  internal: (message = "Internal Server Error") => entry(ErrorCodes.InternalError, message),
  dnsRecord: (reason: string) => entry(ErrorCodes.DnsValidation, `DNS Validation Error: ${reason}`),
  dnsRecordNotFound: () => entry(ErrorCodes.DnsRecordNotFound, "Record does not exist."),
  certificateNotFound: () => entry(ErrorCodes.CertificateNotFound, "The certificate was not found."),
};
