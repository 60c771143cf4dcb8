import { CloudflareClient } from "../cloudflare/client";
import { CLOUDFLARE_ID_PATTERN } from "../cloudflare/ids";
import type { ApiDnsRecord } from "../cloudflare/types";
import { checkCertificate } from "../csr/certificate-check";
import { csrPemToDer, CsrFormatError, decodeCsrPem, type DecodedCsr } from "../csr/decode";
import { normalizeSan, sanKind } from "../csr/names";
import { findPemBlocks } from "../csr/pem";
import { AcmeOrderError, InvalidCustomCsrArgsError, type ArgumentProblem } from "../errors";
import { resolveClientConfig, type ConfigGetter } from "../lookup/connection-settings";
import { ambientStackConfig } from "../lookup/stack-config";
import type { LookupOptions } from "../public-types";
import { AcmeClient } from "./client";
import { waitForTxtRecords } from "./propagation";
import { dnsChallengeValue, generateAccountKey, readAccountKey, type AccountKey } from "./jws";

/** Arguments of {@link orderCertificate}. */
export interface OrderCertificateArgs {
  /** The custom CSR's PEM (a `getCustomCsr` result's `pem`); there is no private key anywhere. */
  csrPem: string;
  /** The Cloudflare zone that holds the `_acme-challenge` TXT records (DNS-01); every SAN must be in it. */
  zoneId: string;
  /** The ACME directory, https only (loopback included, RFC 8555, 6.1). */
  directoryUrl: string;
  /** The ACME account's contact e-mail (not the Cloudflare API-key e-mail, which is `opts.email`). */
  email?: string;
  /** External Account Binding, for CAs that require one (ZeroSSL, Google, most commercial CAs). A secret. */
  externalAccountBinding?: { kid: string; hmacKey: string };
  /** Reuse this ACME account (PKCS#8 PEM, a secret); a new P-256 account key is generated when absent. */
  accountKeyPem?: string;
  /**
   * Delegated DNS-01 (for Custom Hostnames, whose DNS belongs to the SaaS customer): a SAN maps to the name in
   * this zone that the customer's `_acme-challenge.<SAN>` CNAME points to; its TXT record goes there.
   */
  challengeAliases?: Record<string, string>;
}

/** Options of {@link orderCertificate}: Cloudflare's, plus how to wait for DNS. */
export interface OrderCertificateOptions extends LookupOptions {
  /** DNS servers (`host:port`) asked until every TXT record is visible, before the CA is told to validate. */
  dnsResolvers?: string[];
  /** How long to wait for the records to be visible to `dnsResolvers`; default 120 000 ms. */
  propagationTimeoutMs?: number;
  /**
   * Roots (PEM) trusted for the ACME directory's HTTPS besides Node's own: a private CA (step-ca, an in-house
   * Boulder) or a test CA such as Pebble. TLS verification is never turned off.
   */
  caCertificatesPem?: string;
}

/** What {@link orderCertificate} resolves to. */
export interface OrderedCertificate {
  /** The leaf certificate, PEM, checked with `checkCertificate` against the CSR. */
  certificatePem: string;
  /** The intermediates, PEM, as the CA returned them. */
  chainPem: string;
  /** ISO 8601. */
  notBefore: string;
  /** ISO 8601. */
  notAfter: string;
  /** The leaf's SANs. */
  sans: string[];
  /** The leaf's issuer, RFC 4514. */
  issuer: string;
  /** Lower-case hex SHA-256 of the leaf's SubjectPublicKeyInfo (the CSR's key). */
  publicKeySha256: string;
  /** The ACME account key, PKCS#8 PEM: a secret; pass it back as `accountKeyPem` to reuse the account. */
  accountKeyPem: string;
}

/** Default wait for DNS propagation. */
const DEFAULT_PROPAGATION_TIMEOUT_MS = 120_000;
/** TTL of challenge records: Cloudflare's minimum for non-Enterprise zones. */
const CHALLENGE_TTL = 60;

/**
 * Orders a certificate for a custom CSR from an ACME CA, proving control of its names with DNS-01 records in a
 * Cloudflare zone: validates everything first (nothing is sent for bad arguments, and only `GET /zones/{zone_id}`
 * for a SAN outside the zone), creates the `_acme-challenge` TXT records (a wildcard and its base name share one
 * name with two values), waits until `dnsResolvers` see them, lets the CA validate, finalizes with the CSR as it is
 * (Cloudflare keeps the key), and checks the leaf with `checkCertificate` before returning it. Every record the call
 * created is deleted before it settles, whatever happened. Authorizations the CA still holds as valid are reused.
 *
 * @throws InvalidCustomCsrArgsError for bad arguments (a non-https directory, an unparsable CSR, a SAN outside the
 *   zone), AcmeOrderError when the CA refuses or a challenge fails (or the records never become visible),
 *   CertificateMismatchError when the CA's certificate does not fit the CSR, and the lookup errors
 *   (CloudflareAuthError: the token needs "DNS Edit" and "Zone Read"; CloudflareApiError) for Cloudflare failures.
 */
export async function orderCertificate(
  args: OrderCertificateArgs,
  opts: OrderCertificateOptions = {},
): Promise<OrderedCertificate> {
  return orderCertificateWith(args, opts, ambientStackConfig());
}

/** {@link orderCertificate} with the stack config read from `config` (the provider process's own). */
export async function orderCertificateWith(
  args: OrderCertificateArgs,
  opts: OrderCertificateOptions,
  config: ConfigGetter,
): Promise<OrderedCertificate> {
  const { dnsResolvers, propagationTimeoutMs, caCertificatesPem, ...lookupOptions } = opts;
  const checked = await checkArguments(args, { dnsResolvers, propagationTimeoutMs });
  const cloudflare = new CloudflareClient(resolveClientConfig(lookupOptions, config));
  const zone = await cloudflare.getZone(args.zoneId);
  const names = challengeNames(checked.identifiers, args.challengeAliases ?? {}, zone.name, args.zoneId);

  const acme = new AcmeClient({ directoryUrl: args.directoryUrl, key: checked.key, caCertificatesPem });
  const created: ApiDnsRecord[] = [];
  const values: { name: string; content: string }[] = [];
  let outcome: OrderedCertificate | undefined;
  let failure: unknown;
  try {
    await acme.account(args.email, args.externalAccountBinding);
    const order = await acme.newOrder(checked.identifiers);
    const pending = [];
    for (const url of order.authorizations) {
      const authorization = await acme.authorization(url);
      if (authorization.status === "valid") continue; // the CA reuses a recent validation
      const identifier = `${authorization.wildcard === true ? "*." : ""}${authorization.identifier.value}`;
      const challenge = authorization.challenges.find((candidate) => candidate.type === "dns-01");
      if (challenge === undefined) {
        throw new AcmeOrderError({ identifier, detail: "the CA offers no dns-01 challenge for it" });
      }
      const name = names.get(authorization.identifier.value) as string;
      pending.push({ url, identifier, challenge, name, content: dnsChallengeValue(challenge.token, checked.key) });
    }
    for (const { name, content } of pending) {
      values.push({ name, content });
      created.push(await cloudflare.createTxtRecord(args.zoneId, { name, content, ttl: CHALLENGE_TTL }));
    }
    if (checked.resolvers.length > 0) await waitForTxtRecords(values, checked.resolvers, checked.propagationTimeoutMs);
    for (const { challenge, identifier } of pending) await acme.respond(challenge.url, identifier);
    for (const { url, identifier } of pending) await acme.waitForAuthorization(url, identifier);
    const what = checked.identifiers.join(", ");
    const chain = findPemBlocks(await acme.certificate(await acme.finalize(order, checked.der, what), what));
    outcome = result(args.csrPem, checked.decoded, chain, checked.key);
  } catch (error) {
    failure = error;
  }
  const leftover = await deleteRecords(cloudflare, args.zoneId, created, values);
  if (failure !== undefined) throw failure;
  if (leftover !== undefined) throw leftover;
  return outcome as OrderedCertificate;
}

/** Checks the leaf against the CSR and shapes the result. */
function result(csrPem: string, decoded: DecodedCsr, chain: ReturnType<typeof findPemBlocks>, key: AccountKey) {
  const certificates = chain.filter((block) => block.label === "CERTIFICATE");
  const pem = (block: (typeof certificates)[number]) =>
    `-----BEGIN CERTIFICATE-----${block.body}-----END CERTIFICATE-----\n`;
  if (certificates.length === 0) {
    throw new AcmeOrderError({ identifier: decoded.sans.join(", "), detail: "the CA returned no certificate" });
  }
  const leaf = pem(certificates[0]);
  const check = checkCertificate(
    { customCsrId: "", pem: csrPem, sans: [...decoded.sans], publicKeySha256: decoded.publicKeySha256 },
    leaf,
  );
  return {
    certificatePem: leaf,
    chainPem: certificates.slice(1).map(pem).join(""),
    notBefore: check.notBefore.toISOString(),
    notAfter: check.notAfter.toISOString(),
    sans: check.sans,
    issuer: check.issuer,
    publicKeySha256: check.publicKeySha256,
    accountKeyPem: key.pem,
  };
}

/**
 * Deletes every record this order created (by id), and any TXT record of the same names holding one of its values
 * (a create whose answer was lost and retried can leave a twin). Returns the error to report when one remains.
 */
async function deleteRecords(
  cloudflare: CloudflareClient,
  zoneId: string,
  created: readonly ApiDnsRecord[],
  values: readonly { name: string; content: string }[],
): Promise<Error | undefined> {
  const ids = new Set(created.map((record) => record.id));
  let firstError: Error | undefined;
  for (const name of new Set(values.map((value) => value.name))) {
    try {
      const ours = new Set(values.filter((value) => value.name === name).map((value) => value.content));
      for (const record of await cloudflare.listTxtRecords(zoneId, name)) {
        if (ours.has(record.content.replace(/^"|"$/g, ""))) ids.add(record.id);
      }
    } catch (error) {
      firstError ??= error as Error;
    }
  }
  for (const id of ids) {
    try {
      await cloudflare.deleteDnsRecord(zoneId, id);
    } catch (error) {
      firstError ??= error as Error;
    }
  }
  return firstError;
}

/** Where each identifier's TXT record goes: `_acme-challenge.<name>`, or its alias; all must lie in the zone. */
function challengeNames(
  identifiers: readonly string[],
  aliases: Record<string, string>,
  zoneName: string,
  zoneId: string,
): Map<string, string> {
  const zone = zoneName.toLowerCase();
  const inZone = (name: string) => name === zone || name.endsWith(`.${zone}`);
  const names = new Map<string, string>();
  const problems: ArgumentProblem[] = [];
  for (const identifier of identifiers) {
    const base = identifier.replace(/^\*\./, "");
    const alias = Object.hasOwn(aliases, base) ? aliases[base].toLowerCase().replace(/\.$/, "") : undefined;
    const name = alias ?? `_acme-challenge.${base}`;
    if (inZone(name)) names.set(base, name);
    else {
      const where =
        alias === undefined ? `the SAN ${identifier} is` : `the challenge alias ${alias} of ${identifier} is`;
      const reason = `${where} outside zone ${zone} (${zoneId}), whose DNS this order writes; order it with the zone that holds it, or delegate its _acme-challenge name with challengeAliases.`;
      problems.push({ field: alias === undefined ? "csrPem" : "challengeAliases", reason });
    }
  }
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  return names;
}

/** The arguments, checked and read: nothing is sent before this passes. */
async function checkArguments(
  args: OrderCertificateArgs,
  opts: Pick<OrderCertificateOptions, "dnsResolvers" | "propagationTimeoutMs">,
) {
  const problems: ArgumentProblem[] = [];
  if (typeof args !== "object" || args === null) {
    throw new InvalidCustomCsrArgsError([{ field: "args", reason: "expected { csrPem, zoneId, directoryUrl }." }]);
  }
  if (typeof args.zoneId !== "string" || !CLOUDFLARE_ID_PATTERN.test(args.zoneId)) {
    problems.push({ field: "zoneId", reason: "must be a Cloudflare zone id (32 hex characters)." });
  }
  if (!isHttpsUrl(args.directoryUrl)) {
    problems.push({ field: "directoryUrl", reason: "must be an https:// URL (RFC 8555, 6.1), loopback included." });
  }
  if (args.email !== undefined && (typeof args.email !== "string" || !/^[^\s@]+@[^\s@]+$/.test(args.email))) {
    problems.push({ field: "email", reason: "must be an e-mail address such as ops@acme.dev." });
  }
  const binding = args.externalAccountBinding;
  if (
    binding !== undefined &&
    (typeof binding?.kid !== "string" || binding.kid === "" || !/^[A-Za-z0-9_-]+=*$/.test(String(binding.hmacKey)))
  ) {
    problems.push({ field: "externalAccountBinding", reason: "needs the CA's kid and its base64url hmacKey." });
  }
  let key: AccountKey | undefined;
  try {
    key = args.accountKeyPem === undefined ? generateAccountKey() : readAccountKey(args.accountKeyPem);
  } catch {
    problems.push({ field: "accountKeyPem", reason: "must be a P-256 or RSA private key, PKCS#8 PEM." });
  }
  let decoded: DecodedCsr | undefined;
  try {
    decoded = decodeCsrPem(typeof args.csrPem === "string" ? args.csrPem : "");
  } catch (error) {
    const reason = error instanceof CsrFormatError ? error.message : "is not a CSR";
    problems.push({ field: "csrPem", reason: `must be one PKCS#10 PEM block: ${reason}.` });
  }
  const identifiers = decoded === undefined ? [] : identifiersOf(decoded, problems);
  const resolvers = opts.dnsResolvers ?? [];
  if (!Array.isArray(resolvers) || !resolvers.every((r) => typeof r === "string" && /^[^\s]+:\d{1,5}$/.test(r))) {
    problems.push({ field: "dnsResolvers", reason: "must be a list of host:port strings, e.g. 1.1.1.1:53." });
  }
  const propagationTimeoutMs = opts.propagationTimeoutMs ?? DEFAULT_PROPAGATION_TIMEOUT_MS;
  if (!Number.isInteger(propagationTimeoutMs) || propagationTimeoutMs < 1 || propagationTimeoutMs > 3_600_000) {
    problems.push({ field: "propagationTimeoutMs", reason: "must be a whole number of ms from 1 to 3600000." });
  }
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  return {
    key: key as AccountKey,
    decoded: decoded as DecodedCsr,
    der: csrPemToDer(args.csrPem),
    identifiers,
    resolvers,
    propagationTimeoutMs,
  };
}

/** The DNS names to order: the CSR's SANs (its CN when it has none); any other kind of SAN cannot be validated. */
function identifiersOf(decoded: DecodedCsr, problems: ArgumentProblem[]): string[] {
  if (!decoded.signatureValid) {
    problems.push({ field: "csrPem", reason: "its self-signature does not verify, so no CA would accept it." });
  }
  const names = decoded.sans.length > 0 ? decoded.sans : decoded.commonNames;
  // The same spelling and kinds as every other SAN rule of the package (`src/csr/names.ts`).
  const bad = names.filter((name) => !DNS_KINDS.has(sanKind(normalizeSan(name))));
  if (names.length === 0) problems.push({ field: "csrPem", reason: "it names no DNS name to order." });
  if (bad.length > 0) {
    problems.push({ field: "csrPem", reason: `DNS-01 validates DNS names only, not ${bad.slice(0, 5).join(", ")}.` });
  }
  return [...new Set(names.map(normalizeSan))];
}

/** The SAN kinds DNS-01 can validate: host names and wildcards. */
const DNS_KINDS: ReadonlySet<string> = new Set(["dns", "wildcard"]);

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}
