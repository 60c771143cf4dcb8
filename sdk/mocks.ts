import { alreadyLoaded, requirePulumi } from "../src/lookup/pulumi-module";

/**
 * The tokens under which the lookup functions reach the `call` of `pulumi.runtime.setMocks`, in the
 * `<package>:index:<function>` form of a bridged provider's invokes.
 */
export const FUNCTION_TOKENS = {
  getCustomCsr: "pulumi-cloudflare-custom-csr:index:getCustomCsr",
  getCustomCsrs: "pulumi-cloudflare-custom-csr:index:getCustomCsrs",
  getCustomCsrCertificates: "pulumi-cloudflare-custom-csr:index:getCustomCsrCertificates",
} as const;

/**
 * Whether `pulumi.runtime.setMocks` is in force. The Node SDK has no public test for it (Go has
 * `ctx.RunningWithMocks()`, pulumi/pulumi#11788); `setMocks` installs a `MockMonitor` as the resource monitor, and a
 * real deployment never does. `setMocks` and `MockMonitor` live in Pulumi's `runtime/mocks` module, so while that is
 * not loaded no mocks can be in force, and Pulumi stays unloaded.
 */
export function mocksActive(): boolean {
  const mocks = alreadyLoaded<typeof import("@pulumi/pulumi/runtime/mocks")>("@pulumi/pulumi/runtime/mocks");
  return mocks !== undefined && requirePulumi().runtime.getMonitor() instanceof mocks.MockMonitor;
}

/**
 * Sends a function call through the runtime's invoke path, which under mocks ends in the mocks' `call` with
 * `token` and `args` (without `undefined` values) as `inputs`, and resolves with what `call` returned. No
 * credential is ever part of `args`.
 */
export function invokeMocks(token: string, args: object): Promise<Record<string, unknown>> {
  const inputs = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
  return requirePulumi().runtime.invoke(token, inputs);
}
