import {
  startEmulator,
  type CloudflareEmulator,
  type EmulatorOptions,
  type Fault,
  type RandomFaults,
} from "../../src/emulator";

/** What one request met: the status, or "failed" when no response came (a reset). */
async function get(cf: CloudflareEmulator): Promise<number | "failed"> {
  try {
    const response = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/custom_csrs`, {
      headers: { Authorization: `Bearer ${cf.token}` },
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "failed";
  }
}

/** Sends `count` requests one after the other, so arrival order is the sending order. */
async function sequence(cf: CloudflareEmulator, count: number): Promise<(number | "failed")[]> {
  const statuses: (number | "failed")[] = [];
  for (let i = 0; i < count; i++) statuses.push(await get(cf));
  return statuses;
}

const faultsOf = (cf: CloudflareEmulator) => cf.requests.map((request) => request.faultApplied);

const emulators: CloudflareEmulator[] = [];
async function start(options: EmulatorOptions): Promise<CloudflareEmulator> {
  const cf = await startEmulator(options);
  emulators.push(cf);
  return cf;
}
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((cf) => cf.stop()));
});

const MIXED: Fault[] = [
  { kind: "server-error", status: 503 },
  { kind: "success-false" },
  { kind: "rate-limit", retryAfterSeconds: 1 },
];

describe("emulator random faults", () => {
  test("at rate 1 every request gets a fault from the list, recorded as faultApplied", async () => {
    const cf = await start({ randomFaults: { rate: 1, kinds: [{ kind: "server-error", status: 503 }] } });
    expect(await sequence(cf, 5)).toEqual([503, 503, 503, 503, 503]);
    expect(faultsOf(cf)).toEqual(Array(5).fill("server-error"));
  });

  test("at rate 0 no request gets a fault", async () => {
    const cf = await start({ randomFaults: { rate: 0, kinds: MIXED } });
    expect(await sequence(cf, 20)).toEqual(Array(20).fill(200));
    expect(faultsOf(cf).every((kind) => kind === undefined)).toBe(true);
  });

  test("the same seed meets the same faults on the same request sequence; another seed does not", async () => {
    const policy = (seed: number): RandomFaults => ({ rate: 0.3, kinds: MIXED, seed });
    const [first, again, other] = await Promise.all([
      start({ randomFaults: policy(42) }),
      start({ randomFaults: policy(42) }),
      start({ randomFaults: policy(43) }),
    ]);
    for (const cf of [first, again, other]) await sequence(cf, 200);
    expect(faultsOf(again)).toEqual(faultsOf(first));
    expect(faultsOf(other)).not.toEqual(faultsOf(first));
    const faulted = faultsOf(first).filter((kind) => kind !== undefined);
    expect(faulted.length).toBeGreaterThan(30);
    expect(faulted.length).toBeLessThan(90);
  });

  test("draws every listed kind, each about equally often, and serves it as that fault", async () => {
    const cf = await start({ randomFaults: { rate: 1, kinds: MIXED, seed: 7 } });
    const statuses = await sequence(cf, 300);
    const counts = new Map<string, number>();
    for (const kind of faultsOf(cf)) counts.set(String(kind), (counts.get(String(kind)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(["rate-limit", "server-error", "success-false"]);
    for (const count of counts.values()) expect(count).toBeGreaterThan(60);
    faultsOf(cf).forEach((kind, i) =>
      expect(statuses[i]).toBe({ "server-error": 503, "success-false": 200, "rate-limit": 429 }[kind as string]),
    );
  });

  test("a rate of 1 % faults about 1 % of 2,000 requests", async () => {
    const cf = await start({ randomFaults: { rate: 0.01, kinds: [{ kind: "reset" }], seed: 2024 } });
    const statuses = await sequence(cf, 2000);
    const faulted = faultsOf(cf).filter((kind) => kind === "reset").length;
    expect(faulted).toBeGreaterThanOrEqual(8);
    expect(faulted).toBeLessThanOrEqual(35);
    expect(statuses.filter((status) => status === "failed")).toHaveLength(faulted);
  });

  test("an injected fault wins over the random draw, which is still spent", async () => {
    const policy: RandomFaults = { rate: 0.5, kinds: [{ kind: "success-false" }], seed: 11 };
    const plain = await start({ randomFaults: policy });
    const injected = await start({ randomFaults: policy });
    injected.injectFault({ kind: "html-502" }, { count: 2 });
    await sequence(plain, 30);
    await sequence(injected, 30);
    expect(faultsOf(injected)).toEqual(["html-502", "html-502", ...faultsOf(plain).slice(2)]);
  });

  test("setRandomFaults restarts the sequence from the seed, clearFaults leaves it, undefined stops it", async () => {
    const cf = await start({});
    expect(await sequence(cf, 3)).toEqual([200, 200, 200]);
    const policy: RandomFaults = { rate: 0.5, kinds: [{ kind: "server-error" }], seed: 5 };
    cf.setRandomFaults(policy);
    cf.clearRequests();
    await sequence(cf, 20);
    const firstRun = faultsOf(cf);
    expect(firstRun).toContain("server-error");

    cf.clearFaults();
    cf.setRandomFaults(policy);
    cf.clearRequests();
    await sequence(cf, 20);
    expect(faultsOf(cf)).toEqual(firstRun);

    cf.setRandomFaults(undefined);
    cf.clearRequests();
    expect(await sequence(cf, 10)).toEqual(Array(10).fill(200));
  });

  test("the policy is copied: changing the caller's list afterwards changes nothing", async () => {
    const kinds: Fault[] = [{ kind: "server-error", status: 502 }];
    const cf = await start({ randomFaults: { rate: 1, kinds } });
    kinds[0] = { kind: "reset" };
    kinds.push({ kind: "hang" });
    expect(await sequence(cf, 3)).toEqual([502, 502, 502]);
  });

  test.each([
    ["a negative rate", { rate: -0.1, kinds: MIXED }],
    ["a rate above 1", { rate: 1.5, kinds: MIXED }],
    ["a rate that is not a number", { rate: Number.NaN, kinds: MIXED }],
    ["no kinds", { rate: 0.1, kinds: [] }],
    ["an unknown kind", { rate: 0.1, kinds: [{ kind: "explode" }] as unknown as Fault[] }],
    ["a fractional seed", { rate: 0.1, kinds: MIXED, seed: 1.5 }],
  ])("rejects %s, at start and in the setter", async (_name, policy) => {
    await expect(startEmulator({ randomFaults: policy })).rejects.toThrow(/randomFaults/);
    const cf = await start({});
    expect(() => cf.setRandomFaults(policy)).toThrow(TypeError);
  });
});
