import * as pulumi from "@pulumi/pulumi";

/**
 * The provider object every `CustomCsr` hands to the engine. Pulumi serializes it, closures included, into
 * the `__provider` property of each resource's state, so it is deliberately tiny: each method only loads the
 * real implementation at call time, inside the provider process, through the package's public subpath. It
 * captures no credential, no client and no cache (a captured token would be stored in plaintext).
 *
 * The `require` calls resolve from the Pulumi program's directory, which is why the runtime is exported as
 * `pulumi-cloudflare-custom-csr/provider-runtime` in `package.json`.
 *
 * There is no `delete`: Pulumi's dynamic provider treats a missing one as "forget the resource", which is exactly
 * what deleting a lookup means (the CSR belongs to Cloudflare, not to the stack), and every method left out keeps
 * a few hundred bytes out of each resource's state, twice.
 */
export const customCsrProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    return require("pulumi-cloudflare-custom-csr/provider-runtime").configure(req);
  },
  async check(olds, news) {
    return require("pulumi-cloudflare-custom-csr/provider-runtime").check(olds, news);
  },
  async diff(id, olds, news) {
    return require("pulumi-cloudflare-custom-csr/provider-runtime").diff(id, olds, news);
  },
  async create(inputs) {
    return require("pulumi-cloudflare-custom-csr/provider-runtime").create(inputs);
  },
  async read(id, props) {
    return require("pulumi-cloudflare-custom-csr/provider-runtime").read(id, props);
  },
  async update(id, olds, news) {
    return require("pulumi-cloudflare-custom-csr/provider-runtime").update(id, olds, news);
  },
};

let serialized: pulumi.Output<string> | undefined;

/**
 * The provider, serialized once per process the way `pulumi.dynamic.Resource` does it, for the reserved
 * `__provider` input that routes a resource to the Node.js dynamic provider.
 */
export function serializedProvider(): pulumi.Output<string> {
  // Capture the object through a local: a reference to the exported binding would be serialized as a require()
  // of this internal module, which the package's `exports` map does not (and should not) expose.
  const provider = customCsrProvider;
  serialized ??= pulumi.output(
    pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((result) => result.text),
  );
  return serialized;
}
