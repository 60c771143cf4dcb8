import type { Stack } from "@pulumi/pulumi/automation";
import type { ApiCustomCsr } from "../../src/cloudflare/types";
import { CustomCsr } from "../../sdk";
import { MARKER_TOKEN, startSeededEmulator, type SeededEmulator } from "../support/emulator";
import { commandText, createSandbox, inlineStack, rejection, runCli, type Sandbox } from "../support/pulumi";

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

/** A fresh CSR in the default account and a stack that has deployed a CustomCsr for it. */
async function deployedStack(name: string): Promise<{ csr: ApiCustomCsr; stack: Stack }> {
  const csr = await env.emulator.createCsr(env.account, {
    common_name: `${name}.acme.dev`,
    sans: [`${name}.acme.dev`],
    country: "US",
    state: "California",
    locality: "San Francisco",
    organization: "Acme",
    name,
    key_type: "p256v1",
  });
  const stack = await inlineStack(sandbox, async () => {
    const resource = new CustomCsr(name, { customCsrId: csr.id, accountId: env.emulator.accountId });
    return { pem: resource.pem };
  });
  await stack.up();
  return { csr, stack };
}

/** Both drift checks a CI job would run, with nothing changed remotely. */
async function expectNoDrift(stack: Stack): Promise<void> {
  await expect(stack.previewRefresh({ expectNoChanges: true })).resolves.toMatchObject({ changeSummary: { same: 2 } });
  await expect(stack.preview({ refresh: true, expectNoChanges: true })).resolves.toMatchObject({
    changeSummary: { same: 2 },
  });
}

describe("drift under the real engine", () => {
  it.each([
    // [what changed, resource name suffix, the change, what the refresh diff shows, what the preview diff shows]
    [
      "its name",
      "name",
      (csr: ApiCustomCsr) => env.emulator.updateCsr(env.account, csr.id, { name: "renamed" }),
      /~ name\s*: "drift-name" => "renamed"/,
      /~ name\s*: "drift-name" => "renamed"/,
    ],
    [
      "its SANs",
      "sans",
      (csr: ApiCustomCsr) =>
        env.emulator.regenerateCsr(env.account, csr.id, { sans: [csr.sans?.[0] as string, "extra.acme.dev"] }),
      /\+\s*\[1\]: "extra\.acme\.dev"/,
      /\+\s*\[1\]: "extra\.acme\.dev"/,
    ],
    [
      "its PEM",
      "pem",
      (csr: ApiCustomCsr) => env.emulator.regenerateCsr(env.account, csr.id),
      /~ publicKeySha256\s*: "[0-9a-f]{64}" => "[0-9a-f]{64}"/,
      // `preview --refresh` names the field in its refresh step; the update itself shows the `observed` digest.
      /~ publicKeySha256\s*: "[0-9a-f]{64}" => "[0-9a-f]{64}"[\s\S]*~ observed\s*: "[0-9a-f]{64}\.[0-9a-f-]+" => "[0-9a-f]{64}\.[0-9a-f-]+"/,
    ],
  ])(
    "a change of %s fails both drift checks, naming the resource and the field",
    async (_what, field, change, refreshDetail, previewDetail) => {
      const { csr, stack } = await deployedStack(`drift-${field}`);
      await expectNoDrift(stack);
      await change(csr);

      const refresh = commandText(
        await rejection(runCli(sandbox, stack, ["refresh", "--preview-only", "--expect-no-changes", "--diff"])),
      );
      expect(refresh).toContain("no changes were expected for refresh but changes were proposed");
      expect(refresh).toMatch(
        new RegExp(`pulumi-nodejs:cloudflare:CustomCsr: \\(update\\)[\\s\\S]*::drift-${field}\\]`),
      );
      expect(refresh).toMatch(refreshDetail);

      const preview = commandText(await rejection(stack.preview({ refresh: true, expectNoChanges: true, diff: true })));
      expect(preview).toContain("no changes were expected for preview but changes were proposed");
      expect(preview).toMatch(new RegExp(`::drift-${field}\\]`));
      expect(preview).toMatch(previewDetail);

      // `up` records what Cloudflare holds now, after which both checks pass again.
      const up = await stack.up();
      expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
      await expectNoDrift(stack);
      await stack.destroy();
    },
  );

  it("a CSR deleted in Cloudflare: refresh removes it and says so, and the next up names the missing id", async () => {
    const { csr, stack } = await deployedStack("deleted");
    env.emulator.deleteCsr(env.account, csr.id);

    const check = commandText(await rejection(stack.previewRefresh({ expectNoChanges: true })));
    expect(check).toMatch(/-\s+pulumi-nodejs:cloudflare:CustomCsr deleted delete/);

    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
    const state = await stack.exportStack();
    expect(state.deployment.resources.map((r: { type: string }) => r.type)).not.toContain(
      "pulumi-nodejs:cloudflare:CustomCsr",
    );

    const up = commandText(await rejection(stack.up()));
    expect(up).toContain(`Custom CSR ${csr.id} was not found in account ${env.emulator.accountId}`);
    await stack.destroy();
  });

  it("transient faults during refresh are retried, and the resource stays in state either way", async () => {
    const { csr, stack } = await deployedStack("transient");
    env.emulator.injectFault({ kind: "rate-limit", retryAfterSeconds: 1 }, { pathIncludes: csr.id });
    env.emulator.injectFault({ kind: "server-error", status: 503 }, { pathIncludes: csr.id });
    env.emulator.clearRequests();
    const refresh = await stack.refresh({ expectNoChanges: true });
    expect(refresh.summary.resourceChanges).toEqual({ same: 2 });
    expect(env.emulator.requests.map((r) => r.status)).toEqual([429, 503, 200]);

    // A fault that outlasts the retries fails the refresh but never drops the resource.
    env.emulator.injectFault({ kind: "rate-limit", retryAfterSeconds: 900 }, { pathIncludes: csr.id });
    const failed = commandText(await rejection(stack.refresh()));
    expect(failed).toMatch(/asked to wait 900 s/);
    const state = await stack.exportStack();
    const kept = state.deployment.resources.find(
      (r: { type: string }) => r.type === "pulumi-nodejs:cloudflare:CustomCsr",
    );
    expect(kept?.id).toBe(csr.id);
    await stack.destroy();
  });
});
