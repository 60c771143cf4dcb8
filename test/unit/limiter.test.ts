import { CloudflareApiError } from "../../src/errors";
import { RequestLimiter, type Clock, type LimiterOptions } from "../../src/cloudflare/limiter";

/** A clock whose sleeps only record how long they would have waited and advance time by that much. */
function fakeClock(): Clock & { slept: number[]; time: number } {
  const clock = {
    time: 1_000_000,
    slept: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

const options = (overrides: Partial<LimiterOptions> = {}): LimiterOptions => ({
  maxConcurrent: 2, quota: 1200, windowMs: 300_000, lowWater: 100, maxWaitMs: 60_000, ...overrides,
});

describe("RequestLimiter", () => {
  it("lets at most maxConcurrent requests run at once and hands slots over in order", async () => {
    const limiter = new RequestLimiter(options(), fakeClock());
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    const order: string[] = [];
    const third = limiter.acquire().then((release) => (order.push("third"), release));
    const fourth = limiter.acquire().then((release) => (order.push("fourth"), release));
    await Promise.resolve();
    expect(limiter.inFlight).toBe(2);
    expect(order).toEqual([]);
    first();
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual(["third", "fourth"]);
    expect(limiter.inFlight).toBe(0);
  });

  it("ignores a second release of the same slot", async () => {
    const limiter = new RequestLimiter(options({ maxConcurrent: 1 }), fakeClock());
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.inFlight).toBe(0);
    await limiter.acquire();
    expect(limiter.inFlight).toBe(1);
  });

  it("sends without waiting while the budget is comfortable", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options({ maxConcurrent: 50 }), clock);
    for (let i = 0; i < 50; i++) (await limiter.acquire())();
    expect(clock.slept).toEqual([]);
  });

  it("spreads the last requests of a window evenly once the Ratelimit header says the budget is low", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(200, { ratelimit: '"default";r=10;t=100' });
    for (let i = 0; i < 4; i++) (await limiter.acquire())();
    // 10 left for 100 s: the first at once, then about one every 10 s (re-spread as time and budget go).
    expect(clock.slept).toHaveLength(3);
    for (const wait of clock.slept) {
      expect(wait).toBeGreaterThanOrEqual(10_000);
      expect(wait).toBeLessThanOrEqual(12_500);
    }
  });

  it("waits for the reset when the budget is spent, then refills it", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(200, { ratelimit: '"default";r=0;t=30' });
    (await limiter.acquire())();
    expect(clock.slept).toEqual([30_000]);
    (await limiter.acquire())();
    expect(clock.slept).toEqual([30_000]);
  });

  it("treats a 429 as a spent budget until its Retry-After", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(429, { "retry-after": "5" });
    (await limiter.acquire())();
    expect(clock.slept[0]).toBeGreaterThanOrEqual(5000);
  });

  it("fails instead of stalling when the reset is further away than maxWaitMs, and frees the slot", async () => {
    const limiter = new RequestLimiter(options({ maxConcurrent: 1 }), fakeClock());
    limiter.observe(429, { "retry-after": "600", ratelimit: '"default";r=0;t=600' });
    const error = await limiter.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).status).toBe(429);
    expect((error as Error).message).toMatch(/resets in 600 s, longer than the 60 s this client waits/);
    expect(limiter.inFlight).toBe(0);
  });

  it("counts its own requests against the quota when no headers say otherwise", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options({ quota: 5, lowWater: 0, windowMs: 1000, maxConcurrent: 10 }), clock);
    for (let i = 0; i < 6; i++) (await limiter.acquire())();
    expect(clock.slept).toEqual([1000]);
  });
});
