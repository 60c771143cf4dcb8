import * as path from "node:path";
import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import { provider, UNKNOWN } from "../../src/provider/runtime";

/** The CustomCsr provider as the engine calls it, and the marker of an unknown input. */
const runtime = { ...provider, UNKNOWN };
import { CertificateMismatchError, checkCertificateOutput, CUSTOM_CSR_TYPE, CustomCsr } from "../../sdk";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { opensslPublicKeySha256, TestCa } from "../support/openssl";

let env: SeededEmulator;
/** The user's CA: issues certificates for the emulator's CSRs. */
const ca = new TestCa();
const registered: pulumi.runtime.MockResourceArgs[] = [];

/**
 * Mocks stand in for the engine (no cloudflare provider plugin is needed), but CustomCsr resources are still served
 * by the real provider runtime against the emulator, so the values that flow into other resources are the real ones.
 */
beforeAll(async () => {
  env = await startSeededEmulator();
  await runtime.configure({
    config: {
      get: (k: string) => ({ "cloudflare:apiToken": MARKER_TOKEN, "cloudflare:baseUrl": env.emulator.baseUrl })[k],
      require: () => "",
    },
  });
  await pulumi.runtime.setMocks(
    {
      async newResource(args) {
        registered.push(args);
        if (args.type !== CUSTOM_CSR_TYPE) return { id: `${args.name}-id`, state: args.inputs };
        if (args.id !== undefined && args.id !== "") {
          const read = await runtime.read(args.id, args.inputs);
          return { id: read.id as string, state: read.props };
        }
        const { id, outs } = await runtime.create(args.inputs);
        return { id, state: outs };
      },
      call: (args) => args.inputs,
    },
    "custom-csr-example",
    "test",
    false,
  );
});
afterAll(async () => {
  ca.dispose();
  await env.emulator.stop();
});
beforeEach(() => {
  registered.length = 0;
});

/** Waits until a resource of the given type has been registered with the mocks. */
async function registration(type: string): Promise<pulumi.runtime.MockResourceArgs> {
  for (let waited = 0; waited < 5000; waited += 10) {
    const found = registered.find((r) => r.type === type);
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no ${type} was registered`);
}

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("CustomCsr", () => {
  it("registers the contract type token with its inputs and a serialized provider", async () => {
    const csr = new CustomCsr("web", { customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    expect(await value(csr.pem)).toBe(env.rsa.csr);
    const args = registered.find((r) => r.name === "web");
    expect(args?.type).toBe("pulumi-nodejs:cloudflare:CustomCsr");
    expect(args?.inputs).toMatchObject({ customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    expect(typeof args?.inputs.__provider).toBe("string");
    expect(args?.inputs.__provider).not.toContain(MARKER_TOKEN);
  });

  it("exposes every contract output on the object", async () => {
    const csr = new CustomCsr("zone-csr", { customCsrId: env.zoneCsr.id, zoneId: env.emulator.zoneId });
    const outputs: Record<string, pulumi.Output<unknown>> = {
      customCsrId: csr.customCsrId,
      zoneId: csr.zoneId,
      accountId: csr.accountId,
      pem: csr.pem,
      sans: csr.sans,
      commonName: csr.commonName,
      keyType: csr.keyType,
      organization: csr.organization,
      country: csr.country,
      state: csr.state,
      locality: csr.locality,
      accountTag: csr.accountTag,
      createdAt: csr.createdAt,
      subject: csr.subject,
      publicKeyAlgorithm: csr.publicKeyAlgorithm,
      publicKeySha256: csr.publicKeySha256,
      name: csr.name,
      description: csr.description,
      organizationalUnit: csr.organizationalUnit,
    };
    const all = await value(pulumi.all(outputs));
    expect(all).toMatchObject({
      customCsrId: env.zoneCsr.id,
      zoneId: env.emulator.zoneId,
      pem: env.zoneCsr.csr,
      sans: ["shop.example.dev"],
      commonName: "shop.example.dev",
      keyType: "rsa2048",
      organization: "Example Shop",
      subject: "CN=shop.example.dev,O=Example Shop,L=Austin,ST=Texas,C=US",
      publicKeyAlgorithm: "RSA-2048",
    });
    expect(all.accountId).toBeUndefined();
    expect(all.description).toBeUndefined();
  });

  it("CustomCsr.get adopts an existing CSR by id", async () => {
    const csr = CustomCsr.get("adopted", env.ec.id, { accountId: env.emulator.accountId });
    expect(await value(csr.publicKeyAlgorithm)).toBe("ECDSA-P256");
    expect(registered.find((r) => r.name === "adopted")?.id).toBe(env.ec.id);
  });
});

describe("the example program", () => {
  it("checks the certificate the user's CA issued, then uploads it as a CustomSsl referencing the CSR", async () => {
    const certificate = ca.issue(env.ec.csr as string);
    pulumi.runtime.setAllConfig({
      "custom-csr-example:customCsrId": env.ec.id,
      "custom-csr-example:accountId": env.emulator.accountId,
      "custom-csr-example:certificate": certificate,
      "custom-csr-example:uploadZoneId": env.emulator.zoneId,
    });
    const program = (await import(path.resolve(__dirname, "../../examples/index.ts"))) as Record<
      string,
      pulumi.Output<unknown>
    >;
    expect(await value(program.pem)).toBe(env.ec.csr);
    expect(await value(program.sans)).toEqual(["api.example.dev"]);
    expect(await value(program.commonName)).toBe("api.example.dev");
    expect(await value(program.publicKeySha256)).toMatch(/^[0-9a-f]{64}$/);
    expect(await value(program.certificateNotAfter)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const upload = await registration("cloudflare:index/customSsl:CustomSsl");
    // The CSR's id instead of a private key: Cloudflare pairs the certificate with the key it keeps.
    expect(upload.inputs).toEqual({ zoneId: env.emulator.zoneId, customCsrId: env.ec.id, certificate });
    expect(registered.map((r) => r.type)).not.toContain("cloudflare:index/originCaCertificate:OriginCaCertificate");
  });
});

/**
 * What a failed Output fails with. In a program the language host reports the rejection and stops the update; here
 * the Output's promises are awaited one by one, and each must reject with that same error.
 */
async function failureOf(output: pulumi.Output<unknown>): Promise<unknown> {
  type Internals = { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  const internals = output as unknown as Internals;
  const settled = await Promise.allSettled([internals.promise(), internals.isKnown, internals.isSecret]);
  const reasons = settled.map((outcome) => (outcome.status === "rejected" ? (outcome.reason as unknown) : outcome));
  expect(reasons.every((reason) => reason === reasons[0])).toBe(true);
  return reasons[0];
}

describe("README: SSL for SaaS", () => {
  it("a CustomHostname references the CSR and carries the checked certificate", async () => {
    const certificate = ca.issue(env.rsa.csr as string);
    const csr = new CustomCsr("saas", { customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    const checked = checkCertificateOutput(csr, certificate, { minDaysRemaining: 14 });
    new cloudflare.CustomHostname("shop", {
      zoneId: env.emulator.zoneId,
      hostname: "www.example.dev",
      ssl: { customCsrId: csr.customCsrId, customCertificate: checked.apply(() => certificate) },
    });
    const hostname = await registration("cloudflare:index/customHostname:CustomHostname");
    expect(hostname.inputs.ssl).toEqual({ customCsrId: env.rsa.id, customCertificate: certificate });
  });

  it("a certificate issued for another CSR fails the program with CertificateMismatchError", async () => {
    const csr = new CustomCsr("mixed-up", { customCsrId: env.rsa.id, accountId: env.emulator.accountId });
    const checked = checkCertificateOutput(csr, ca.issue(env.ec.csr as string));
    const error = (await failureOf(checked)) as CertificateMismatchError;
    expect(error).toBeInstanceOf(CertificateMismatchError);
    expect(error.problems).toEqual([
      expect.stringMatching(/^it was issued for another key/),
      "it does not cover the CSR's SAN www.example.dev (its SANs are api.example.dev)",
      "it does not cover the CSR's SAN example.dev (its SANs are api.example.dev)",
    ]);
  });

  it("checkCertificateOutput takes a lookup's facts as inputs, and `now` as a real Date", async () => {
    const certificate = ca.issue(env.ec.csr as string, { days: 10 });
    const facts = { customCsrId: env.ec.id, pem: env.ec.csr as string, sans: pulumi.output(["api.example.dev"]) };
    const publicKeySha256 = pulumi.output(opensslPublicKeySha256(env.ec.csr as string));
    const later = new Date(Date.now() + 20 * 86_400_000);
    const error = await failureOf(checkCertificateOutput({ ...facts, publicKeySha256 }, certificate, { now: later }));
    expect(error).toBeInstanceOf(CertificateMismatchError);
    const { problems } = error as CertificateMismatchError;
    expect(problems).toEqual([expect.stringMatching(/^it expired .* \(checked at /)]);
  });
});
