import { inspect } from "node:util";

/**
 * The real `process`. Jest gives each test file a copy whose events never fire, and hands unhandled rejections to
 * its own listener on the real one; a listener of ours must sit there too. Node's core modules live in the outer
 * realm, so the `Function` constructor of one of their functions evaluates code against the real global scope.
 */
function realProcess(): NodeJS.Process {
  return (inspect.constructor as FunctionConstructor)("return process")() as NodeJS.Process;
}

/** Records every unhandled rejection from now until `stop()`; `reasons` lists them. */
export function watchUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const target = realProcess();
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  target.on("unhandledRejection", listener);
  return { reasons, stop: () => target.off("unhandledRejection", listener) };
}
