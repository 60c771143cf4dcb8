import type { CloudflareClient } from "../cloudflare/client";
import { CLOUDFLARE_ID_PATTERN } from "../cloudflare/ids";
import type { ApiServingCertificate } from "../cloudflare/types";
import { InvalidCustomCsrArgsError, type ArgumentProblem } from "../errors";
import type {
  CertificateBinding,
  CustomCsrBindings,
  CustomCsrCertificates,
  GetCustomCsrCertificatesArgs,
} from "../public-types";
import { argumentsObject, describeType } from "./args";

const DAY_MS = 86_400_000;

/** Checks `getCustomCsrCertificates` arguments; throws `InvalidCustomCsrArgsError` naming each bad field. */
export function parseBindingArgs(args: unknown): GetCustomCsrCertificatesArgs {
  const record = argumentsObject(args, "{ zoneId }");
  const problems: ArgumentProblem[] = [];
  for (const field of ["zoneId", "accountId"] as const) {
    const value = record[field];
    if (value === undefined && field === "accountId") continue;
    if (typeof value !== "string" || !CLOUDFLARE_ID_PATTERN.test(value)) {
      const got = typeof value === "string" ? JSON.stringify(value.slice(0, 40)) : describeType(value);
      problems.push({ field, reason: `must be a Cloudflare id (up to 32 hex characters), not ${got}.` });
    }
  }
  if (problems.length > 0) throw new InvalidCustomCsrArgsError(problems);
  const accountId = record.accountId as string | undefined;
  return { zoneId: record.zoneId as string, ...(accountId !== undefined ? { accountId } : {}) };
}

/**
 * Every custom CSR of the zone (and of the account when given) with the certificates that serve it: the zone's
 * custom certificates and custom hostnames whose `custom_csr_id` names it, matched on that id; certificates naming
 * a CSR that does not exist are `orphans`. Certificates uploaded with their own key (no `custom_csr_id`) belong to no
 * CSR and are left out. All pages, bounded, through the client's limiter; `now` sets `daysLeft`.
 */
export async function customCsrCertificates(
  args: GetCustomCsrCertificatesArgs,
  client: CloudflareClient,
  now: Date = new Date(),
): Promise<CustomCsrCertificates> {
  const { zoneId, accountId } = args;
  const [zoneCsrs, accountCsrs, customSsl, hostnames] = await Promise.all([
    client.listAllCustomCsrs({ zoneId }),
    accountId === undefined ? Promise.resolve([]) : client.listAllCustomCsrs({ accountId }),
    client.listServingCertificates(zoneId, "custom_ssl"),
    client.listServingCertificates(zoneId, "custom_hostname"),
  ]);
  const csrs = new Map<string, CustomCsrBindings>();
  for (const [records, scope] of [
    [zoneCsrs, { zoneId }],
    [accountCsrs, { accountId }],
  ] as const) {
    for (const record of records) {
      if (csrs.has(record.id)) continue;
      const commonName = record.common_name === undefined ? {} : { commonName: record.common_name };
      csrs.set(record.id, { customCsrId: record.id, ...scope, ...commonName, certificates: [] } as CustomCsrBindings);
    }
  }
  const orphans: CertificateBinding[] = [];
  for (const certificate of [...customSsl, ...hostnames]) {
    if (certificate.custom_csr_id === undefined) continue;
    const binding = bindingOf(certificate, certificate.custom_csr_id, now);
    const owner = csrs.get(binding.customCsrId);
    if (owner === undefined) orphans.push(binding);
    else owner.certificates.push(binding);
  }
  return { csrs: [...csrs.values()], orphans };
}

function bindingOf(certificate: ApiServingCertificate, customCsrId: string, now: Date): CertificateBinding {
  const binding: CertificateBinding = {
    kind: certificate.kind,
    id: certificate.id,
    hosts: certificate.hosts,
    customCsrId,
  };
  if (certificate.issuer !== undefined) binding.issuer = certificate.issuer;
  if (certificate.status !== undefined) binding.status = certificate.status;
  if (certificate.expires_on !== undefined) {
    binding.expiresOn = certificate.expires_on;
    const expires = Date.parse(certificate.expires_on);
    if (Number.isFinite(expires)) binding.daysLeft = Math.floor((expires - now.getTime()) / DAY_MS);
  }
  return binding;
}
