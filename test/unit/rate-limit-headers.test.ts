import { parseRateLimitHeaders } from "../../src/cloudflare/rate-limit-headers";

describe("parseRateLimitHeaders", () => {
  it("reads the structured Ratelimit header, and nothing from Ratelimit-Policy", () => {
    const state = parseRateLimitHeaders({
      ratelimit: '"default";r=50;t=30',
      "ratelimit-policy": '"burst";q=1200;w=300',
    });
    expect(state).toEqual({ remaining: 50, resetSeconds: 30 });
  });

  it("tolerates spaces around structured parameters", () => {
    expect(parseRateLimitHeaders({ ratelimit: '"default"; r = 7 ; t = 12' })).toEqual({
      remaining: 7,
      resetSeconds: 12,
    });
  });

  it("keeps a remaining budget of zero", () => {
    expect(parseRateLimitHeaders({ ratelimit: '"default";r=0;t=5' })).toEqual({ remaining: 0, resetSeconds: 5 });
  });

  it("reads the legacy x-ratelimit-remaining and x-ratelimit-reset headers", () => {
    expect(parseRateLimitHeaders({ "x-ratelimit-remaining": "10", "x-ratelimit-reset": "42" })).toEqual({
      remaining: 10,
      resetSeconds: 42,
    });
  });

  it("accepts legacy header values that are already numbers", () => {
    expect(parseRateLimitHeaders({ "x-ratelimit-remaining": 3, "x-ratelimit-reset": 7 })).toEqual({
      remaining: 3,
      resetSeconds: 7,
    });
  });

  it("ignores a remaining count that comes without a reset time: no window is invented", () => {
    expect(parseRateLimitHeaders({ ratelimit: '"default";r=0' })).toEqual({});
    expect(parseRateLimitHeaders({ "x-ratelimit-remaining": "0" })).toEqual({});
  });

  it("the structured header wins over the legacy headers", () => {
    const state = parseRateLimitHeaders({
      ratelimit: '"default";r=5;t=9',
      "x-ratelimit-remaining": "100",
      "x-ratelimit-reset": "60",
    });
    expect(state).toEqual({ remaining: 5, resetSeconds: 9 });
  });

  it("falls back to a legacy header for a parameter the structured header lacks", () => {
    expect(parseRateLimitHeaders({ ratelimit: '"default";r=5', "x-ratelimit-reset": "60" })).toEqual({
      remaining: 5,
      resetSeconds: 60,
    });
  });

  it("no rate-limit headers give an empty state with no keys at all", () => {
    const state = parseRateLimitHeaders({ "content-type": "application/json" });
    expect(state).toEqual({});
    expect(Object.keys(state)).toEqual([]);
  });

  it("ignores negative, non-numeric and non-string values", () => {
    const state = parseRateLimitHeaders({
      ratelimit: '"default";r=-1;t=soon',
      "ratelimit-policy": ["q=5"],
      "x-ratelimit-remaining": { n: 1 },
    });
    expect(Object.keys(state)).toEqual([]);
  });

  it("ignores a structured parameter without a value", () => {
    expect(parseRateLimitHeaders({ ratelimit: '"default";r;t=4' })).toEqual({ resetSeconds: 4 });
  });
});
