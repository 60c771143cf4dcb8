import { execFileSync } from "node:child_process";

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

/** Whether `openssl req -verify` accepts the CSR's self-signature. */
export function opensslVerifies(pem: string): boolean {
  try {
    execFileSync("openssl", ["req", "-noout", "-verify"], { input: pem, stdio: ["pipe", "pipe", "pipe"] });
    return true;
  } catch {
    return false;
  }
}
