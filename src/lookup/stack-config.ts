import type { ConfigGetter } from "./connection-settings";
import { loadedPulumi } from "./pulumi-module";

/** The language host hands a program its stack config as JSON in this variable (`@pulumi/pulumi/runtime/config`). */
const CONFIG_ENV = "PULUMI_CONFIG";

const none: ConfigGetter = () => undefined;

/**
 * The stack config of the Pulumi program this process runs, found without loading `@pulumi/pulumi`:
 * 1. if the program has already loaded `@pulumi/pulumi` (as every program that declares a resource has), its
 *    `runtime.getConfig`, which also sees config set by the Automation API and by `setMocks` tests;
 * 2. else the `PULUMI_CONFIG` environment variable the language host sets for a program;
 * 3. else no config (plain Node.js code: options and `CLOUDFLARE_*` environment variables only).
 * Loading Pulumi here would cost a plain script ~120 MiB and ~0.5 s for config it cannot have.
 */
export function ambientStackConfig(env: NodeJS.ProcessEnv = process.env): ConfigGetter {
  const pulumi = loadedPulumi();
  if (pulumi !== undefined) return pulumiConfigGetter(pulumi);
  const text = env[CONFIG_ENV];
  if (text === undefined || text.trim() === "") return none;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return none; // not ours to validate: Pulumi itself would fail on it first
  }
  if (typeof parsed !== "object" || parsed === null) return none;
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    // The language host still writes the legacy form `cloudflare:config:apiToken` for old SDKs.
    if (typeof value === "string") values.set(key.replace(/^([^:]+):config:/, "$1:"), value);
  }
  return (key) => values.get(key);
}

/**
 * A getter over the stack config of a loaded `@pulumi/pulumi`, for one call: the config is read on first use and
 * reused for the call's other keys, because Pulumi's `runtime.getConfig` parses the whole of `PULUMI_CONFIG` again
 * for every key and a lookup may read four (credentials, base URL, timeout).
 */
export function pulumiConfigGetter(pulumi: typeof import("@pulumi/pulumi")): ConfigGetter {
  let all: Record<string, string> | undefined;
  return (key) => {
    all ??= pulumi.runtime.allConfig();
    return Object.hasOwn(all, key) ? all[key] : undefined;
  };
}
