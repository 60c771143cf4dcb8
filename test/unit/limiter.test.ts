import { CloudflareApiError, ConnectionError, RateLimitError } from "../../src/errors";
import { RequestLimiter, type Clock, type LimiterOptions } from "../../src/cloudflare/limiter";

/**
 * A clock whose sleeps only record how long they would have waited and advance time by that much; its timers
 * fire only when a test calls `fire()`.
 */
function fakeClock(): Clock & { slept: number[]; time: number; fire(): void } {
  const timers = new Set<() => void>();
  const clock = {
    time: 1_000_000,
    slept: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.time += ms;
    },
    timer: (_ms: number, callback: () => void) => {
      timers.add(callback);
      return () => timers.delete(callback);
    },
    fire: () => {
      for (const callback of [...timers]) callback();
      timers.clear();
    },
  };
  return clock;
}

const options = (overrides: Partial<LimiterOptions> = {}): LimiterOptions => ({
  maxConcurrent: 2,
  quota: 1200,
  windowMs: 300_000,
  lowWater: 100,
  maxWaitMs: 60_000,
  ...overrides,
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

  it("a 429 without Retry-After or Ratelimit invents no window: the next request goes at once", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(429, {});
    (await limiter.acquire())();
    expect(clock.slept).toEqual([]);
  });

  it("a 429 whose Ratelimit says r=0;t=3 holds requests for those 3 s only", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(429, { ratelimit: '"default";r=0;t=3' });
    (await limiter.acquire())();
    (await limiter.acquire())();
    expect(clock.slept).toEqual([3000]);
  });

  it("takes an announced reset further away than one window as one window", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options({ maxWaitMs: 600_000 }), clock);
    limiter.observe(429, { "retry-after": "Fri, 31 Dec 9999 23:59:59 GMT", ratelimit: '"default";r=0;t=99999999999' });
    (await limiter.acquire(600_000))();
    expect(clock.slept).toEqual([300_000]);
    expect(limiter.forgettable).toBe(true);
  });

  it("treats a 429 as a spent budget until its Retry-After", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(429, { "retry-after": "5" });
    (await limiter.acquire())();
    expect(clock.slept[0]).toBeGreaterThanOrEqual(5000);
  });

  it("fails at once instead of stalling when the reset is further than maxWaitMs, and frees the slot", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options({ maxConcurrent: 1 }), clock);
    limiter.observe(429, { "retry-after": "120", ratelimit: '"default";r=0;t=120' });
    const error = await limiter.acquire().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect((error as CloudflareApiError).status).toBe(429);
    expect((error as Error).message).toMatch(/is spent \(the server answered 429 with a time to wait\)/);
    expect((error as Error).message).toMatch(/and resets in 120 s/);
    expect((error as Error).message).toMatch(/would wait 120 s, longer than the 60 s it may wait/);
    expect(clock.slept).toEqual([]);
    expect(limiter.inFlight).toBe(0);
  });

  it("fails at once when the caller's own bound is shorter than the wait, naming the call's deadline", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(200, { ratelimit: '"default";r=0;t=5' });
    const error = await limiter.acquire(1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as Error).message).toMatch(/would wait 5 s, longer than the 1 s it may wait \(the call's deadline/);
    expect(clock.slept).toEqual([]);
    (await limiter.acquire(10_000))();
    expect(clock.slept).toEqual([5000]);
  });

  it("counts the caller's budget bound from its slot: time queued for a slot is not held against it", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options({ maxConcurrent: 1 }), clock);
    const held = await limiter.acquire();
    const queued = limiter.acquire(1000);
    clock.time += 5_000;
    limiter.observe(429, { "retry-after": "1" });
    held();
    (await queued)();
    expect(clock.slept).toEqual([1000]);
  });

  it("never takes a caller's bound above maxWaitMs", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(200, { ratelimit: '"default";r=0;t=90' });
    await expect(limiter.acquire(600_000)).rejects.toThrow(/would wait 90 s, longer than the 60 s/);
  });

  it("refuses a paced turn further away than the bound, and leaves the budget as it was", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options(), clock);
    limiter.observe(200, { ratelimit: '"default";r=10;t=100' });
    (await limiter.acquire(1000))();
    const error = await limiter.acquire(1000).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/has 9 requests left for the next 100 s \(from Cloudflare's Ratelimit/);
    expect((error as Error).message).toMatch(/would wait 10 s, longer than the 1 s it may wait/);
    (await limiter.acquire())();
    expect(clock.slept).toEqual([10_000]);
  });

  it("a request waiting for a slot longer than maxWaitMs fails with a typed error and gives up its place", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options({ maxConcurrent: 1 }), clock);
    const held = await limiter.acquire();
    const waiting = limiter.acquire(2000).catch((e: unknown) => e);
    clock.fire();
    const error = await waiting;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as Error).message).toMatch(/request slots for this credential stayed busy for 60 s, the longest/);
    held();
    expect(limiter.inFlight).toBe(0);
    (await limiter.acquire())();
  });

  it("reports going idle, and is forgettable only while no announced throttle is in force", async () => {
    const clock = fakeClock();
    const idle: RequestLimiter[] = [];
    const limiter = new RequestLimiter(options(), clock, (l) => idle.push(l));
    const release = await limiter.acquire();
    expect(limiter.forgettable).toBe(false);
    release();
    expect(idle).toEqual([limiter]);
    expect(limiter.forgettable).toBe(true);
    limiter.observe(200, { ratelimit: '"default";r=3;t=30' });
    expect(limiter.forgettable).toBe(false);
    clock.time += 30_000;
    expect(limiter.forgettable).toBe(true);
  });

  it("counts its own requests against the quota when no headers say otherwise", async () => {
    const clock = fakeClock();
    const limiter = new RequestLimiter(options({ quota: 5, lowWater: 0, windowMs: 1000, maxConcurrent: 10 }), clock);
    for (let i = 0; i < 6; i++) (await limiter.acquire())();
    expect(clock.slept).toEqual([1000]);
  });
});
