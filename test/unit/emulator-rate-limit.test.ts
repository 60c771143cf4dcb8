import { RateLimiter, rateLimitHeaders } from "../../src/emulator/rate-limit";

describe("emulator rate limiter", () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  test("allows the quota, then blocks until the window that began with the first request ends", () => {
    const limiter = new RateLimiter({ limit: 2, windowSeconds: 60 }, clock);
    expect(limiter.take()).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    now += 10_500;
    expect(limiter.take()).toEqual({ allowed: true, remaining: 0, resetSeconds: 50 });
    expect(limiter.take()).toEqual({ allowed: false, remaining: 0, resetSeconds: 50 });
    now += 49_400;
    expect(limiter.take()).toEqual({ allowed: false, remaining: 0, resetSeconds: 1 });
    now += 100;
    expect(limiter.take()).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
  });

  test("peek reports the window without counting or starting one", () => {
    const limiter = new RateLimiter({ limit: 2, windowSeconds: 60 }, clock);
    expect(limiter.peek()).toEqual({ allowed: true, remaining: 2, resetSeconds: 60 });
    now += 30_000;
    expect(limiter.take().resetSeconds).toBe(60);
    expect(limiter.peek()).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
  });

  test("reset replaces the policy and forgets the count", () => {
    const limiter = new RateLimiter({ limit: 1, windowSeconds: 60 }, clock);
    limiter.take();
    expect(limiter.take().allowed).toBe(false);
    limiter.reset({ limit: 5, windowSeconds: 10 });
    expect(limiter.current).toEqual({ limit: 5, windowSeconds: 10 });
    expect(limiter.take()).toEqual({ allowed: true, remaining: 4, resetSeconds: 10 });
  });

  test("formats the Ratelimit and Ratelimit-Policy headers", () => {
    expect(rateLimitHeaders({ limit: 1200, windowSeconds: 300 }, { remaining: 7, resetSeconds: 42 })).toEqual({
      Ratelimit: '"default";r=7;t=42',
      "Ratelimit-Policy": '"default";q=1200;w=300',
    });
  });
});
