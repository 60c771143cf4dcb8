import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Real PKCS#10 requests made by the `openssl` CLI, so the decoder is checked against an independent implementation. */

export type KeySpec = "rsa:2048" | "rsa:4096" | "ec-p256" | "ec-secp256k1" | "ed25519";

export interface CsrSpec {
  readonly key: KeySpec;
  /** An `openssl req -subj` string, e.g. `/C=US/O=Example/CN=www.example.com`. */
  readonly subject: string;
  /** DNS names and IPs in `subjectAltName` syntax, e.g. `["DNS:www.example.com", "IP:192.0.2.1"]`. */
  readonly sans?: readonly string[];
  /** Further `-addext` values, e.g. `keyUsage=digitalSignature`. */
  readonly extensions?: readonly string[];
  readonly multivalueRdn?: boolean;
  readonly utf8?: boolean;
  /** The signature's digest, e.g. `sha1` (openssl's default is SHA-256). */
  readonly digest?: "sha1" | "md5" | "sha384";
}

export interface GeneratedCsr {
  readonly pem: string;
  readonly path: string;
  readonly keyPath: string;
}

export class OpensslWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), "custom-csr-unit-"));
  private counter = 0;

  csr(spec: CsrSpec): GeneratedCsr {
    const base = join(this.dir, `csr-${this.counter++}`);
    const curve = { "ec-p256": "prime256v1", "ec-secp256k1": "secp256k1" }[spec.key as string];
    const keyArgs =
      curve === undefined ? ["-newkey", spec.key] : ["-newkey", "ec", "-pkeyopt", `ec_paramgen_curve:${curve}`];
    const args = [
      "req",
      "-new",
      ...keyArgs,
      "-nodes",
      "-keyout",
      `${base}.key`,
      "-out",
      `${base}.csr`,
      "-subj",
      spec.subject,
    ];
    if (spec.multivalueRdn === true) args.push("-multivalue-rdn");
    if (spec.utf8 === true) args.push("-utf8");
    if (spec.digest !== undefined) args.push(`-${spec.digest}`);
    if (spec.sans !== undefined && spec.sans.length > 0) args.push("-addext", `subjectAltName=${spec.sans.join(",")}`);
    for (const extension of spec.extensions ?? []) args.push("-addext", extension);
    openssl(args);
    return { pem: readFileSync(`${base}.csr`, "utf8"), path: `${base}.csr`, keyPath: `${base}.key` };
  }

  /** A self-signed certificate (label `CERTIFICATE`), for "wrong kind of PEM" cases. */
  certificate(keyPath: string): string {
    const out = join(this.dir, `cert-${this.counter++}.pem`);
    openssl(["req", "-x509", "-new", "-key", keyPath, "-subj", "/CN=not-a-csr.example", "-days", "1", "-out", out]);
    return readFileSync(out, "utf8");
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `openssl req -noout -subject -nameopt RFC2253`, without the `subject=` prefix. */
export function opensslSubject(csrPath: string): string {
  return openssl(["req", "-in", csrPath, "-noout", "-subject", "-nameopt", "RFC2253"])
    .trim()
    .replace(/^subject=/, "");
}

/** The contract's reference: `openssl req -pubkey -noout | openssl pkey -pubin -outform der | sha256sum`. */
export function opensslPublicKeySha256(csrPath: string): string {
  const pipeline = 'openssl req -in "$1" -pubkey -noout | openssl pkey -pubin -outform der | sha256sum';
  return execFileSync("sh", ["-c", pipeline, "sh", csrPath], { encoding: "utf8" }).split(/\s+/)[0];
}

export function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
}

export function derToPem(der: Buffer, label: string): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Flips one bit of the last byte of the DER, which lies inside the signature BIT STRING of a PKCS#10 request. */
export function tamperSignature(pem: string): string {
  const der = pemToDer(pem);
  der[der.length - 1] ^= 0x01;
  return derToPem(der, "CERTIFICATE REQUEST");
}

/**
 * Turns the ECDSA signature's inner SEQUENCE tag into an OCTET STRING tag, so the signature no longer parses
 * as an ECDSA-Sig-Value (RFC 3279) at all.
 */
export function breakEcdsaSignatureEncoding(pem: string): string {
  const der = pemToDer(pem);
  for (let i = der.length - 4; i > 0; i--) {
    const isSignatureBitString =
      der[i] === 0x03 && der[i + 1] === der.length - i - 2 && der[i + 2] === 0x00 && der[i + 3] === 0x30;
    if (isSignatureBitString) {
      der[i + 3] = 0x04;
      return derToPem(der, "CERTIFICATE REQUEST");
    }
  }
  throw new Error("no ECDSA signature BIT STRING found at the end of the request");
}

function openssl(args: string[]): string {
  return execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}
