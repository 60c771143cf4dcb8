/**
 * Example program (run by the repository's Pulumi.yaml): the whole chain from a Cloudflare custom CSR to a served
 * certificate. Cloudflare generated the CSR's private key and keeps it, so the certificate goes back to Cloudflare
 * referencing the CSR (`customCsrId`) instead of with a key.
 *
 *   pulumi config set customCsrId 7b163417-1d2b-4c84-a38a-2fb7a0cd7752
 *   pulumi config set accountId 023e105f4ecef8ad9ca31a8372d0c353     # or: zoneId
 *   pulumi config set --secret cloudflare:apiToken <token: "SSL and Certificates Read"/"Edit", "DNS Edit", "Zone Read">
 *
 * Either let an ACME CA issue and renew the certificate (DNS-01 records in a Cloudflare zone):
 *   pulumi config set acmeDirectoryUrl https://acme-v02.api.letsencrypt.org/directory
 *   pulumi config set acmeZoneId <zone holding the CSR's names>
 *   pulumi config set acmeEmail ops@acme.dev
 * or take the certificate your own CA issued for `pulumi stack output pem`:
 *   pulumi config set certificate < web.crt
 * then, to upload it:
 *   pulumi config set uploadZoneId <zone id>
 *   pulumi up                                   # orders (or reads), checks, uploads; later ups renew when due
 */
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { checkCertificateOutput, CustomCsr, CustomCsrCertificate } from "pulumi-cloudflare-custom-csr";

const config = new pulumi.Config();

const csr = new CustomCsr("csr", {
  customCsrId: config.require("customCsrId"),
  accountId: config.get("accountId"),
  zoneId: config.get("zoneId"),
});

const directoryUrl = config.get("acmeDirectoryUrl");
const ordered = directoryUrl
  ? new CustomCsrCertificate("certificate", {
      customCsr: csr,
      zoneId: config.require("acmeZoneId"),
      directoryUrl,
      email: config.get("acmeEmail"),
      renewBeforeDays: config.getNumber("renewBeforeDays"),
    })
  : undefined;
// The leaf and its intermediates, as Cloudflare wants them in one bundle.
const certificate = ordered ? pulumi.concat(ordered.certificatePem, ordered.chainPem) : config.get("certificate");

// Fails the update before the upload when the certificate was issued for another key, leaves out a SAN of the CSR,
// is not valid now or has less than two weeks left.
const checked = certificate ? checkCertificateOutput(csr, certificate, { minDaysRemaining: 14 }) : undefined;
const uploadZoneId = config.get("uploadZoneId");
if (certificate && checked && uploadZoneId) {
  // A renewal changes `certificate`: Cloudflare replaces the certificate in place, the key (its own) stays, and the
  // hostnames keep serving throughout.
  new cloudflare.CustomSsl("certificate", {
    zoneId: uploadZoneId,
    customCsrId: csr.customCsrId,
    certificate: pulumi.all([certificate, checked]).apply(([pem]) => pem),
  });
}

/** The CSR in PEM form, for your CA (`pulumi stack output pem > web.csr`) or `openssl req -noout -text`. */
export const pem = csr.pem;
/** The names the CSR requests: the certificate must cover each. */
export const sans = csr.sans;
/** The subject's common name. */
export const commonName = csr.commonName;
/** SHA-256 of the CSR's public key (DER SubjectPublicKeyInfo): the certificate must carry the same key. */
export const publicKeySha256 = csr.publicKeySha256;
/** Who issued the certificate (absent without one). */
export const certificateIssuer = checked?.issuer;
/** When the certificate expires (absent without one). */
export const certificateNotAfter = checked?.notAfter.apply((date: Date) => date.toISOString());
