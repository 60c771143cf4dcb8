import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** `openssl req -pubkey -noout | openssl pkey -pubin -outform der | sha256sum` of a CSR PEM. */
export function opensslPublicKeySha256(pem: string): string {
  const publicKey = execFileSync("openssl", ["req", "-pubkey", "-noout"], { input: pem });
  const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "der"], { input: publicKey });
  return execFileSync("sha256sum", [], { input: der }).toString().split(" ")[0];
}

/** `openssl req -noout -subject -nameopt RFC2253` of a CSR PEM, without the `subject=` prefix. */
export function opensslSubject(pem: string): string {
  return execFileSync("openssl", ["req", "-noout", "-subject", "-nameopt", "RFC2253"], { input: pem })
    .toString()
    .trim()
    .replace(/^subject=/, "");
}

/** `openssl x509 -noout -subject -nameopt RFC2253` of a certificate PEM, without the `subject=` prefix. */
export function opensslCertificateSubject(pem: string): string {
  return execFileSync("openssl", ["x509", "-noout", "-subject", "-nameopt", "RFC2253"], { input: pem })
    .toString()
    .trim()
    .replace(/^subject=/, "");
}

/** Whether `openssl req -verify` accepts the CSR's self-signature. */
export function opensslVerifies(pem: string): boolean {
  try {
    execFileSync("openssl", ["req", "-noout", "-verify"], { input: pem, stdio: ["pipe", "pipe", "pipe"] });
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link TestCa.issue}. */
export interface IssueOptions {
  /** The certificate's `subjectAltName` (e.g. `DNS:*.acme.dev,IP:192.0.2.1`); default: the CSR's own SANs. */
  readonly sans?: string;
  /** Validity in days from now; default 30. */
  readonly days?: number;
}

/**
 * A throwaway certificate authority in a temp directory: issues certificates for CSRs with `openssl x509 -req`,
 * as a user's CA would.
 */
export class TestCa {
  /** The temp directory holding the CA's files and whatever {@link write} puts there. */
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-ca-"));
  private serial = 0;
  /** The CA's certificate, PEM. */
  readonly pem: string;

  constructor(commonName = "Test CA") {
    this.openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-subj",
      `/CN=${commonName}`,
      "-days",
      "400",
    );
    this.pem = fs.readFileSync(path.join(this.dir, "ca.pem"), "utf8");
  }

  /** Issues a certificate for the CSR, returning its PEM. */
  issue(csrPem: string, options: IssueOptions = {}): string {
    const name = `cert-${++this.serial}`;
    this.write(`${name}.csr`, csrPem);
    const extensions =
      options.sans === undefined
        ? ["-copy_extensions", "copy"]
        : ["-extfile", this.write(`${name}.ext`, `subjectAltName=${options.sans}\n`)];
    this.openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      String(options.days ?? 30),
      "-out",
      `${name}.pem`,
      ...extensions,
    );
    return fs.readFileSync(path.join(this.dir, `${name}.pem`), "utf8");
  }

  /** Writes a file into the CA's directory, returning its path. */
  write(name: string, text: string): string {
    fs.writeFileSync(path.join(this.dir, name), text);
    return path.join(this.dir, name);
  }

  /** Removes the CA's directory. */
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private openssl(...args: string[]): void {
    execFileSync("openssl", args, { cwd: this.dir, stdio: "pipe" });
  }
}
