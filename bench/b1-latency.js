'use strict';
// B1: one lookup at a time, no added latency, nothing cached: what one lookup costs us on top of the network,
// split into the HTTP client's share and the CSR verification's share.

const { runInChild } = require('./child');
const { startSeededEmulator } = require('./emulator');
const { medianOf, ratio, ms } = require('./stats');

const CASES = [
  { row: 'B1a', label: 'ours as shipped, RSA-2048 (getCustomCsr, PEM verified)', contender: 'shipped', keyType: 'rsa2048' },
  { row: 'B1b', label: 'ours as shipped, P-256 (getCustomCsr, PEM verified)', contender: 'shipped', keyType: 'p256v1' },
  { row: 'B1c', label: 'ours, verification skipped (CloudflareClient.getCustomCsr)', contender: 'unverified', keyType: 'rsa2048' },
  { row: 'B1d', label: 'official SDK (cloudflare@7 customCsrs.get)', contender: 'officialSdk', keyType: 'rsa2048' },
  { row: 'B1e', label: 'floor: bare node:http GET, keep-alive', contender: 'bareHttp', keyType: 'rsa2048' },
  { row: 'B1f', label: 'axios.get alone, keep-alive (diagnostic: the HTTP library under B1c)', contender: 'axiosGet', keyType: 'rsa2048' },
];

async function runB1({ quick }) {
  const plan = quick ? { runs: 3, lookups: 100, warmup: 50 } : { runs: 9, lookups: 300, warmup: 300 };
  const { emulator, target, csrs } = await startSeededEmulator({ count: 2 });
  try {
    const idOf = (keyType) => csrs.find((csr) => csr.key_type === keyType).id;
    const perRun = await runInChild({
      kind: 'latency',
      target,
      ...plan,
      cases: CASES.map((c) => ({ label: c.row, contender: c.contender, id: idOf(c.keyType) })),
    });
    const m = Object.fromEntries(CASES.map((c) => [c.row, medianOf(perRun[c.row], 'wallMs')]));
    const cpu = Object.fromEntries(CASES.map((c) => [c.row, medianOf(perRun[c.row], 'cpuMs')]));
    const floor = m.B1e;
    const rows = CASES.map((c) => ({
      id: c.row,
      case: c.label,
      runs: `${plan.runs} x ${plan.lookups}`,
      time: `${ms(m[c.row])} / lookup (CPU ${ms(cpu[c.row])})`,
      ratio: c.row === 'B1e' ? '1.00x (floor)' : `${ratio(m[c.row], floor)} floor (CPU ${ratio(cpu[c.row], cpu.B1e)})`,
    }));
    // The HTTP path is measured on the RSA CSR; the P-256 response is ~0.5 KiB shorter, which costs microseconds.
    const verifyRsa = m.B1a - m.B1c;
    const verifyP256 = m.B1b - m.B1c;
    const notes = [
      `B1 setup: sequential lookups of one CSR, emulator in another process, no added latency, nothing cached; time = wall ` +
        `time per lookup, CPU = the client process's own CPU time per lookup.`,
      `B1 verification cost per lookup (as shipped minus verification skipped): RSA-2048 ${ms(verifyRsa)}, P-256 ${ms(verifyP256)}.`,
    ];
    const targets = [
      {
        target: 'B1: ours with verification skipped within 1.5x of the bare node:http floor (median)',
        measured: `${ms(m.B1c)} vs ${ms(floor)} = ${ratio(m.B1c, floor)} (client CPU ${ratio(cpu.B1c, cpu.B1e)})`,
        pass: m.B1c <= 1.5 * floor,
      },
      {
        target: 'B1: verification cost reported per key type (RSA-2048, P-256)',
        measured: `RSA-2048 ${ms(verifyRsa)}, P-256 ${ms(verifyP256)}`,
        pass: Number.isFinite(verifyRsa) && Number.isFinite(verifyP256),
      },
    ];
    return { rows, notes, targets };
  } finally {
    await emulator.stop();
  }
}

module.exports = { runB1 };
