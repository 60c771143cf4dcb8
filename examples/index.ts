/**
 * Example program (run by the repository's Pulumi.yaml): look up a Cloudflare custom CSR and use it.
 *
 *   pulumi config set customCsrId 7b163417-1d2b-4c84-a38a-2fb7a0cd7752
 *   pulumi config set accountId 023e105f4ecef8ad9ca31a8372d0c353     # or: zoneId
 *   pulumi config set --secret cloudflare:apiToken <token with "SSL and Certificates Read">
 *   pulumi config set originCertificate true                          # optional: also issue an Origin CA certificate
 *   pulumi up
 */
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { CustomCsr } from "pulumi-cloudflare-custom-csr";

const config = new pulumi.Config();

const csr = new CustomCsr("csr", {
  customCsrId: config.require("customCsrId"),
  accountId: config.get("accountId"),
  zoneId: config.get("zoneId"),
});

// The CSR's PEM and SANs flow straight into an Origin CA certificate; its key type picks the request type.
if (config.getBoolean("originCertificate")) {
  new cloudflare.OriginCaCertificate("origin", {
    csr: csr.pem,
    hostnames: csr.sans.apply((sans) => sans ?? []),
    requestType: csr.keyType.apply((keyType) => (keyType === "p256v1" ? "origin-ecc" : "origin-rsa")),
    requestedValidity: 5475,
  });
}

/** The CSR in PEM form, ready for `openssl req -noout -text` or a certificate authority. */
export const pem = csr.pem;
/** The names the CSR requests. */
export const sans = csr.sans;
/** The subject's common name. */
export const commonName = csr.commonName;
/** SHA-256 of the CSR's public key (DER SubjectPublicKeyInfo), to match certificates against. */
export const publicKeySha256 = csr.publicKeySha256;