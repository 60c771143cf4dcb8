import * as pulumi from "@pulumi/pulumi";
import { CustomCsr } from "../../sdk";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { opensslPublicKeySha256, opensslSubject, opensslVerifies } from "../support/openssl";
import { createSandbox, inlineStack, type Sandbox } from "../support/pulumi";

jest.setTimeout(300_000);

let env: SeededEmulator;
let sandbox: Sandbox;

beforeAll(async () => {
  env = await startSeededEmulator();
  sandbox = createSandbox({ CLOUDFLARE_API_TOKEN: MARKER_TOKEN, CLOUDFLARE_BASE_URL: env.emulator.baseUrl });
});
afterAll(async () => {
  sandbox.dispose();
  await env.emulator.stop();
});

/** A stand-in for a certificate resource: it records the CSR inputs it was given. */
const consumerProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "consumer", outs: { receivedPem: inputs.csrPem, receivedSans: inputs.hostnames } };
  },
};

class Consumer extends pulumi.dynamic.Resource {
  declare readonly receivedPem: pulumi.Output<string>;
  declare readonly receivedSans: pulumi.Output<string[]>;
  constructor(name: string, args: { csrPem: pulumi.Input<string>; hostnames: pulumi.Input<string[] | undefined> }) {
    super(consumerProvider, name, { ...args, receivedPem: undefined, receivedSans: undefined }, {});
  }
}

describe("CustomCsr under the real engine", () => {
  it("up exports what the emulator holds; a consumer receives the PEM and SANs; destroy deletes nothing remotely", async () => {
    const stack = await inlineStack(sandbox, async () => {
      const csr = new CustomCsr("web", { customCsrId: env.rsa.id, accountId: env.emulator.accountId });
      const consumer = new Consumer("certificate", { csrPem: csr.pem, hostnames: csr.sans });
      return {
        pem: csr.pem,
        sans: csr.sans,
        commonName: csr.commonName,
        publicKeySha256: csr.publicKeySha256,
        subject: csr.subject,
        receivedPem: consumer.receivedPem,
        receivedSans: consumer.receivedSans,
      };
    });
    const up = await stack.up();
    const outputs = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value]));
    expect(outputs.pem).toBe(env.rsa.csr);
    expect(outputs.sans).toEqual(env.rsa.sans);
    expect(outputs.commonName).toBe(env.rsa.common_name);
    expect(outputs.publicKeySha256).toBe(opensslPublicKeySha256(env.rsa.csr as string));
    expect(outputs.subject).toBe(opensslSubject(env.rsa.csr as string));
    expect(opensslVerifies(outputs.pem)).toBe(true);
    expect(outputs.receivedPem).toBe(env.rsa.csr);
    expect(outputs.receivedSans).toEqual(env.rsa.sans);

    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.changeSummary).toEqual({ same: 3 });

    env.emulator.clearRequests();
    const destroy = await stack.destroy();
    expect(destroy.summary.resourceChanges).toMatchObject({ delete: 3 });
    expect(env.emulator.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(env.emulator.getCsr(env.account, env.rsa.id)).toBeDefined();
  });

  it("changing customCsrId shows a replace", async () => {
    let id = env.rsa.id;
    const stack = await inlineStack(sandbox, async () => {
      const csr = new CustomCsr("web", { customCsrId: id, accountId: env.emulator.accountId });
      return { keyType: csr.keyType };
    });
    await stack.up();
    id = env.ec.id;
    const preview = await stack.preview({ diff: true });
    expect(preview.changeSummary).toMatchObject({ replace: 1 });
    expect(preview.stdout).toMatch(/\+-\s*pulumi-nodejs:cloudflare:CustomCsr: \(replace\)/);
    expect(preview.stdout).toMatch(new RegExp(`customCsrId\\s*: "${env.rsa.id}" => "${env.ec.id}"`));
    const up = await stack.up();
    expect(up.outputs.keyType.value).toBe("p256v1");
    await stack.destroy();
  });

  it("CustomCsr.get adopts an existing CSR by id, and fails naming an id that does not exist", async () => {
    let id = env.zoneCsr.id;
    const stack = await inlineStack(sandbox, async () => {
      const csr = CustomCsr.get("adopted", id, { zoneId: env.emulator.zoneId });
      return { pem: csr.pem, zoneId: csr.zoneId, sans: csr.sans };
    });
    const up = await stack.up();
    expect(up.outputs.pem.value).toBe(env.zoneCsr.csr);
    expect(up.outputs.zoneId.value).toBe(env.emulator.zoneId);
    expect(up.outputs.sans.value).toEqual(env.zoneCsr.sans);
    const state = await stack.exportStack();
    const adopted = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::adopted"));
    expect(adopted.external).toBe(true);
    expect(adopted.id).toBe(env.zoneCsr.id);

    id = "0b7e9c1a-0000-4000-8000-000000000000";
    const error = await stack.up().catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(
      /Custom CSR 0b7e9c1a-0000-4000-8000-000000000000 was not found in zone/,
    );
    // The package's own error needs no stack trace through its modules (issue 11.7).
    expect(String((error as Error).message)).not.toMatch(/^\s*at .*:\d+:\d+\)?$/m);
    await stack.destroy();
  });

  it("reports invalid inputs per field before any request", async () => {
    env.emulator.clearRequests();
    const stack = await inlineStack(sandbox, async () => {
      new CustomCsr("bad", {
        customCsrId: "../../etc",
        accountId: env.emulator.accountId,
        zoneId: env.emulator.zoneId,
      });
    });
    const error = await stack.preview().catch((e: unknown) => e);
    const text = String((error as Error).message);
    expect(text).toMatch(/property customCsrId value \{\.\.\/\.\.\/etc\} has a problem: .*is not a custom CSR id/);
    expect(text).toMatch(/accountId and zoneId are mutually exclusive/);
    expect(env.emulator.requests).toEqual([]);
  });
});
