"use strict";
// Peak RSS of processes this bench started, sampled from /proc while they run. Only descendants of this
// process count: other Pulumi runs on the same machine have their own dynamic-provider processes.

const fs = require("node:fs");

function read(file) {
  try {
    return fs.readFileSync(file, "latin1");
  } catch {
    return ""; // The process exited between listing and reading.
  }
}

function threads(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // Gone already.
  }
}

/** Every descendant pid. Children hang off whichever thread forked them (the Go CLI forks from many). */
function descendants(pid) {
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const tid of threads(parent)) {
      for (const child of read(`/proc/${parent}/task/${tid}/children`).split(" ").filter(Boolean)) {
        found.push(Number(child));
        queue.push(Number(child));
      }
    }
  }
  return found;
}

/** VmHWM ("high water mark": the kernel's own peak RSS of the process) in bytes, or 0. */
function peakRssOf(pid) {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`));
  return match === null ? 0 : Number(match[1]) * 1024;
}

/**
 * Samples, every `intervalMs`, the peak RSS of descendant processes whose command line contains `needle`.
 * `stop()` returns the largest seen (VmHWM only grows, so sampling misses at most the last interval's growth).
 */
function watchPeakRss(needle, intervalMs = 50) {
  let peak = 0;
  const sample = () => {
    // Read afresh every time: between fork and exec a child still shows its parent's command line.
    for (const pid of descendants(process.pid)) {
      if (read(`/proc/${pid}/cmdline`).includes(needle)) peak = Math.max(peak, peakRssOf(pid));
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    /** Stops sampling (once; later calls only read the result) and returns the peak in bytes. */
    stop() {
      if (timer.hasRef()) {
        clearInterval(timer);
        timer.unref();
        sample();
      }
      return peak;
    },
  };
}

module.exports = { watchPeakRss };
