"use strict";
// The machine a run was measured on, for the header line: figures from different machines are not comparable.

const fs = require("node:fs");
const os = require("node:os");

/** CPU model as /proc/cpuinfo names it (os.cpus() can report an empty model in some VMs). */
function cpuModel() {
  try {
    const line = fs
      .readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line !== undefined) return line.split(":").slice(1).join(":").trim();
  } catch {
    // Not Linux: fall back to what Node knows.
  }
  return os.cpus()[0]?.model ?? "unknown CPU";
}

/** One line: CPU, cores, RAM, Node, OS, date, and the load when the run started (other work skews timings). */
function describeMachine(now = new Date()) {
  const ram = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
  const load = os.loadavg()[0].toFixed(2);
  return (
    `${cpuModel()}, ${os.availableParallelism()} cores, ${ram}, Node ${process.version}, ${os.type()} ${os.release()}, ` +
    `${now.toISOString().slice(0, 16).replace("T", " ")} UTC, load ${load} at start`
  );
}

module.exports = { describeMachine };
