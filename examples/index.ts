/**
 * Example program (run by the repository's Pulumi.yaml): look up a Cloudflare custom CSR, then upload the
 * certificate your CA issued for it. Cloudflare generated the CSR's private key and keeps it: the upload references
 * the CSR (`customCsrId`) instead of sending a key, and Cloudflare pairs the two.
 *
 *   pulumi config set customCsrId 7b163417-1d2b-4c84-a38a-2fb7a0cd7752
 *   pulumi config set accountId 023e105f4ecef8ad9ca31a8372d0c353     # or: zoneId
 *   pulumi config set --secret cloudflare:apiToken <token with "SSL and Certificates Read" (and Edit to upload)>
 *   pulumi up                                                         # exports the PEM: have your CA sign it
 *   pulumi config set certificate < web.crt                          # the certificate your CA issued
 *   pulumi config set uploadZoneId <zone id>                          # where to upload it (default: zoneId)
 *   pulumi up                                                         # checks it, then uploads it
 */
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { checkCertificateOutput, CustomCsr } from "pulumi-cloudflare-custom-csr";

const config = new pulumi.Config();

const csr = new CustomCsr("csr", {
  customCsrId: config.require("customCsrId"),
  accountId: config.get("accountId"),
  zoneId: config.get("zoneId"),
});

const certificate = config.get("certificate");
// Fails the update before the upload when the certificate was issued for another key, leaves out a SAN of the CSR,
// is not valid now or has less than two weeks left.
const checked = certificate ? checkCertificateOutput(csr, certificate, { minDaysRemaining: 14 }) : undefined;
if (certificate && checked) {
  new cloudflare.CustomSsl("certificate", {
    zoneId: config.get("uploadZoneId") || config.require("zoneId"),
    customCsrId: csr.customCsrId,
    certificate: checked.apply(() => certificate),
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
/** When the uploaded certificate expires (absent until `certificate` is set). */
export const certificateNotAfter = checked?.notAfter.apply((date: Date) => date.toISOString());
