import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { checkCertificate } from "../../src/csr/certificate-check";
import { sanKind, normalizeSan } from "../../src/csr/names";
import { CertificateMismatchError } from "../../src/errors";
import { certificateDer, keyPair, pemOf, type SanSpec } from "../support/der-builder";

/**
 * `checkCertificate`'s name matching held against openssl (`openssl x509 -checkhost` / `-checkip`) as the oracle,
 * on generated certificates and names:
 * - it never says a name is covered when openssl says it is not;
 * - where every name is clean (no junk, no partial wildcard), it says exactly what openssl says.
 * openssl allows partial wildcards (`w*.acme.dev`) and RFC 6125 discourages them, so there only the first holds.
 *
 * The seed is fixed; `ORACLE_RUNS=5000 npx jest test/reliability/certificate-oracle.test.ts` runs a larger sample
 * (and `ORACLE_SEED` another seed).
 */

const RUNS = Number(process.env.ORACLE_RUNS ?? 150);
const SEED = Number(process.env.ORACLE_SEED ?? 6125);
const NOW = new Date("2026-12-06T12:00:00Z");

const key = keyPair("ec");
const keySha256 = createHash("sha256").update(key.spki).digest("hex");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "custom-csr-oracle-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** openssl's verdict: does the certificate match this host name or IP address? */
function opensslMatches(pem: string, name: string, ip: boolean): boolean {
  const file = path.join(dir, "cert.pem");
  fs.writeFileSync(file, pem);
  const out = execFileSync("openssl", ["x509", "-noout", "-in", file, ip ? "-checkip" : "-checkhost", name], {
    stdio: ["ignore", "pipe", "pipe"],
  }).toString();
  if (/does NOT match/.test(out)) return false;
  if (/does match/.test(out)) return true;
  throw new Error(`openssl said neither: ${out}`);
}

/** Ours: is `name` covered (any other problem would be a bug in the generated certificate)? */
function oursCovers(pem: string, name: string): boolean {
  try {
    checkCertificate({ customCsrId: "oracle", pem: "", sans: [name], publicKeySha256: keySha256 }, pem, { now: NOW });
    return true;
  } catch (error) {
    if (!(error instanceof CertificateMismatchError)) throw error;
    expect(error.problems.every((problem) => problem.includes("does not cover"))).toBe(true);
    return false;
  }
}

const label = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("www", "api", "acme", "dev", "a", "b", "xn--bcher-kva", "eu-1", "_srv") },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/) },
);
const hostName = fc.tuple(fc.array(label, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([labels, upper]) => {
  const name = labels.join(".");
  return upper ? name.toUpperCase() : name;
});
/** A certificate's DNS name: a host name, a whole-label wildcard, a partial wildcard, or junk. */
const certificateName = fc.oneof(
  { weight: 5, arbitrary: hostName },
  { weight: 3, arbitrary: hostName.map((name) => `*.${name}`) },
  { weight: 1, arbitrary: fc.tuple(label, hostName).map(([l, name]) => `${l.slice(0, 1)}*.${name}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(hostName, fc.constantFrom(" ", "\t", "..", "*", "-")).map(([n, junk]) => `${n}${junk}`),
  },
);
/** A requested name: one the certificate holds, one a level deeper, a random one, or junk. */
const requested = (names: string[]) =>
  fc.oneof(
    fc.constantFrom(...names).map((name) => name.replace(/^[^.]*\*[^.]*\./, "www.")),
    fc.constantFrom(...names).map((name) => `x.${name.replace(/^\*\./, "")}`),
    hostName,
    hostName.map((name) => ` ${name}`),
  );

const isClean = (name: string) => {
  const kind = sanKind(normalizeSan(name));
  return kind === "dns" || kind === "wildcard";
};

function certificateWith(sans: readonly SanSpec[]): string {
  return pemOf(
    certificateDer({
      spki: key.spki,
      signer: key.privateKey,
      sans,
      notBefore: "261101000000Z",
      notAfter: "270301000000Z",
    }),
    "CERTIFICATE",
  );
}

test("DNS names: never covered where openssl -checkhost says no; the same verdict where every name is clean", () => {
  let agreedClean = 0;
  fc.assert(
    fc.property(
      fc
        .array(certificateName, { minLength: 1, maxLength: 4 })
        .chain((names) => fc.tuple(fc.constant(names), requested(names))),
      ([names, wanted]) => {
        const pem = certificateWith(names.map((dns) => ({ dns })));
        const openssl = opensslMatches(pem, wanted, false);
        const ours = oursCovers(pem, wanted);
        if (ours) expect({ names, wanted, openssl }).toEqual({ names, wanted, openssl: true });
        if ([...names, wanted].every(isClean)) {
          expect({ names, wanted, ours }).toEqual({ names, wanted, ours: openssl });
          agreedClean++;
        }
      },
    ),
    { seed: SEED, numRuns: RUNS },
  );
  // The clean part must be a real share of the sample, or the equality above proves little.
  expect(agreedClean).toBeGreaterThan(RUNS / 4);
});

test("IP addresses: the same verdict as openssl -checkip, in any spelling", () => {
  const octets = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
  fc.assert(
    fc.property(fc.boolean(), octets(4), octets(16), fc.boolean(), (v6, four, sixteen, same) => {
      const held = v6 ? sixteen : four;
      const asked = same ? held : Uint8Array.from(held, (byte, i) => (i === held.length - 1 ? byte ^ 1 : byte));
      const text = v6
        ? Array.from({ length: 8 }, (_, i) => ((asked[2 * i] << 8) | asked[2 * i + 1]).toString(16).toUpperCase()).join(
            ":",
          )
        : Array.from(asked).join(".");
      const pem = certificateWith([{ ip: held }, { dns: "www.acme.dev" }]);
      expect(oursCovers(pem, text)).toBe(opensslMatches(pem, text, true));
    }),
    { seed: SEED, numRuns: Math.max(20, Math.floor(RUNS / 3)) },
  );
});
