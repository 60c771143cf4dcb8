export { findArgumentProblems, parseLookupArgs, type CustomCsrLookupArgs } from "./args";
export { lookupCustomCsr, resultFromRecord } from "./lookup";
export { resolveClientConfig, type ConfigGetter, type LookupOptions } from "./options";
export { observedOf, toResult, type CustomCsrResult, type Observed } from "./result";
export { LookupSession } from "./session";
