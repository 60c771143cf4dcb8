import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from "node:crypto";

/**
 * JSON Web Signatures for ACME (RFC 8555, 6.2; RFC 7515): requests are signed with the account key, ES256 on a
 * P-256 key or RS256 on an RSA key, in the flattened JSON serialization. The key never leaves this module's callers
 * in any other form than the PKCS#8 PEM the user keeps as a secret.
 */

/** The account key, ready to sign: its private key, public JWK, algorithm and RFC 7638 thumbprint. */
export interface AccountKey {
  readonly privateKey: KeyObject;
  readonly jwk: Readonly<Record<string, string>>;
  readonly alg: "ES256" | "RS256";
  /** base64url SHA-256 of the canonical JWK (RFC 7638): the second half of every key authorization. */
  readonly thumbprint: string;
  /** The key as PKCS#8 PEM. */
  readonly pem: string;
}

/** A new P-256 account key (what Let's Encrypt's clients use by default). */
export function generateAccountKey(): AccountKey {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return accountKeyOf(privateKey);
}

/** Reads a PKCS#8 PEM account key; throws for anything but a P-256 or RSA (2048+) private key. */
export function readAccountKey(pem: string): AccountKey {
  return accountKeyOf(createPrivateKey({ key: pem, format: "pem" }));
}

function accountKeyOf(privateKey: KeyObject): AccountKey {
  const full = createPublicKey(privateKey).export({ format: "jwk" });
  let jwk: Record<string, string>;
  let alg: AccountKey["alg"];
  if (full.kty === "EC" && full.crv === "P-256") {
    jwk = { crv: "P-256", kty: "EC", x: String(full.x), y: String(full.y) };
    alg = "ES256";
  } else if (full.kty === "RSA" && (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) {
    jwk = { e: String(full.e), kty: "RSA", n: String(full.n) };
    alg = "RS256";
  } else {
    throw new TypeError("the account key must be a P-256 or an RSA (2048 bits or more) private key");
  }
  // RFC 7638: the required members in lexicographic order, no whitespace (the objects above are built in order).
  const thumbprint = createHash("sha256").update(JSON.stringify(jwk)).digest("base64url");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return { privateKey, jwk, alg, thumbprint, pem };
}

const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A flattened JWS of `payload` (`""` for POST-as-GET), identified by `kid` once the account exists, else by its JWK. */
export function signRequest(
  key: AccountKey,
  payload: unknown,
  header: { url: string; nonce: string; kid?: string },
): string {
  const protectedHeader = b64(
    JSON.stringify({
      alg: key.alg,
      ...(header.kid === undefined ? { jwk: key.jwk } : { kid: header.kid }),
      nonce: header.nonce,
      url: header.url,
    }),
  );
  const body = payload === "" ? "" : b64(JSON.stringify(payload));
  const input = `${protectedHeader}.${body}`;
  const signature =
    key.alg === "ES256"
      ? sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" })
      : sign("sha256", Buffer.from(input), key.privateKey);
  return JSON.stringify({ protected: protectedHeader, payload: body, signature: b64(signature) });
}

/**
 * The External Account Binding (RFC 8555, 7.3.4): the account's JWK signed with the CA-issued MAC key (HS256),
 * proving the new account belongs to the CA's customer `kid`.
 */
export function externalAccountBinding(
  key: AccountKey,
  binding: { kid: string; hmacKey: string },
  url: string,
): object {
  const protectedHeader = b64(JSON.stringify({ alg: "HS256", kid: binding.kid, url }));
  const payload = b64(JSON.stringify(key.jwk));
  const mac = createHmac("sha256", Buffer.from(binding.hmacKey, "base64url"))
    .update(`${protectedHeader}.${payload}`)
    .digest();
  return { protected: protectedHeader, payload, signature: b64(mac) };
}

/** The TXT value of a DNS-01 challenge: base64url SHA-256 of the key authorization (RFC 8555, 8.4). */
export function dnsChallengeValue(token: string, key: AccountKey): string {
  return createHash("sha256").update(`${token}.${key.thumbprint}`).digest("base64url");
}
