"use strict";
// Summaries of repeated runs. Medians, not means: one run disturbed by GC or by another process on a 2-core
// machine should not move the figure.

function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The median of one field over runs, e.g. medianOf(runs, 'wallMs'). */
function medianOf(runs, field) {
  return median(runs.map((run) => run[field]));
}

/** "1.23x"; two decimals below 10, whole numbers above (a 60x gap needs no decimals). */
function ratio(value, base) {
  const r = value / base;
  return r < 10 ? `${r.toFixed(2)}x` : `${Math.round(r)}x`;
}

function ms(value) {
  return value < 10 ? `${value.toFixed(3)} ms` : `${value.toFixed(0)} ms`;
}

function seconds(valueMs) {
  return `${(valueMs / 1000).toFixed(valueMs < 10_000 ? 2 : 1)} s`;
}

function mib(bytes) {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

module.exports = { medianOf, ratio, ms, seconds, mib, kib };
