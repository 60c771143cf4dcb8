"use strict";
// Preloaded (`node --require`) into a process under test: on exit, says on stderr how many `@pulumi/*` modules the
// process loaded. B4 uses it to hold the CLI to its contract (only `drift` loads Pulumi).

const { sep } = require("node:path");

process.on("exit", () => {
  const count = Object.keys(require.cache).filter((file) => file.includes(`${sep}@pulumi${sep}`)).length;
  process.stderr.write(`\npulumi-modules=${count}\n`);
});
