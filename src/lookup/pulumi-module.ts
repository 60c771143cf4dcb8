/**
 * `@pulumi/pulumi` as the package reaches it: never loaded for a lookup, which does not need it. Loading it (and
 * gRPC under it) costs a process tens of megabytes and a young generation V8 grows for it, in which a lookup's
 * allocations are slower (docs/performance.md); a script that only looks CSRs up never pays that. A Pulumi program has
 * loaded it already, and what needs it to exist (a resource, an `Output`) loads it on first use.
 */

type PulumiModule = typeof import("@pulumi/pulumi");

/** Resolved paths, `null` for a module that is not installed. */
const paths = new Map<string, string | null>();
/** Modules found loaded, so that asking again (once per lookup for the mocks) costs a map lookup. */
const found = new Map<string, unknown>();

/**
 * The module `specifier` resolves to, when this process has loaded it already (from this package's point of view);
 * else `undefined`, and it stays unloaded.
 */
export function alreadyLoaded<T>(specifier: string): T | undefined {
  if (found.has(specifier)) return found.get(specifier) as T;
  let path = paths.get(specifier);
  if (path === undefined) {
    try {
      path = require.resolve(specifier);
    } catch {
      path = null; // not installed
    }
    paths.set(specifier, path);
  }
  if (path === null || require.cache[path] === undefined) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(path) as T;
  found.set(specifier, loaded);
  return loaded;
}

/** `@pulumi/pulumi` when the program has loaded it, else `undefined` (see the module comment). */
export function loadedPulumi(): PulumiModule | undefined {
  return alreadyLoaded<PulumiModule>("@pulumi/pulumi");
}

/** `@pulumi/pulumi`, loaded now if it was not: for what cannot exist without it (resources, `Output`s, mocks). */
export function requirePulumi(): PulumiModule {
  // A dynamic require on purpose: a static import would load Pulumi in every process that looks a CSR up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return loadedPulumi() ?? (require("@pulumi/pulumi") as PulumiModule);
}
