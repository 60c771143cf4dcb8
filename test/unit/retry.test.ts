import { backoffMs, isRetryableStatus, retryAfterMs, type RetryPolicy } from "../../src/cloudflare/retry";

describe("isRetryableStatus", () => {
  it.each([408, 429, 500, 502, 503, 504, 520, 599])("%i is worth another attempt", (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([200, 204, 301, 400, 401, 403, 404, 409, 422])("%i is final", (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");

  it("retry-after-ms wins over retry-after", () => {
    expect(retryAfterMs({ "retry-after-ms": "250", "retry-after": "30" }, now)).toBe(250);
  });

  it("retry-after-ms may be fractional and may be a number", () => {
    expect(retryAfterMs({ "retry-after-ms": "12.5" }, now)).toBe(12.5);
    expect(retryAfterMs({ "retry-after-ms": 40 }, now)).toBe(40);
  });

  it("an unusable retry-after-ms falls back to retry-after", () => {
    expect(retryAfterMs({ "retry-after-ms": "soon", "retry-after": "2" }, now)).toBe(2000);
    expect(retryAfterMs({ "retry-after-ms": "-5", "retry-after": "3" }, now)).toBe(3000);
  });

  it("retry-after in whole seconds becomes milliseconds", () => {
    expect(retryAfterMs({ "retry-after": "30" }, now)).toBe(30_000);
    expect(retryAfterMs({ "retry-after": "0" }, now)).toBe(0);
    expect(retryAfterMs({ "retry-after": " 7 " }, now)).toBe(7000);
  });

  it("retry-after in fractional seconds becomes milliseconds", () => {
    expect(retryAfterMs({ "retry-after": "1.5" }, now)).toBe(1500);
  });

  it("retry-after as an HTTP date is the time left until that date", () => {
    expect(retryAfterMs({ "retry-after": "Sun, 01 Jun 2025 12:00:45 GMT" }, now)).toBe(45_000);
  });

  it("retry-after as an HTTP date in the past means no wait", () => {
    expect(retryAfterMs({ "retry-after": "Sun, 01 Jun 2025 11:59:00 GMT" }, now)).toBe(0);
  });

  it("no retry headers names no wait", () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "" }, now)).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "   " }, now)).toBeUndefined();
  });

  it.each(["soon", "in 5 minutes", "30s", "1e3", "0x10"])("the garbage retry-after %j names no wait", (value) => {
    expect(retryAfterMs({ "retry-after": value }, now)).toBeUndefined();
  });

  it("a negative retry-after is neither seconds nor an HTTP date, so it names no wait", () => {
    expect(retryAfterMs({ "retry-after": "-5" }, now)).toBeUndefined();
  });

  it("a non-string retry-after names no wait", () => {
    expect(retryAfterMs({ "retry-after": ["30"] }, now)).toBeUndefined();
  });

  it("measures an HTTP date against the current time by default", () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const wait = retryAfterMs({ "retry-after": inTenSeconds });
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThanOrEqual(10_000);
  });
});

describe("backoffMs", () => {
  const policy: RetryPolicy = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

  it.each([
    [0, 500],
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
  ])("retry %i waits between half and all of %i ms", (retry, ceiling) => {
    expect(backoffMs(retry, policy, () => 0)).toBe(ceiling / 2);
    expect(backoffMs(retry, policy, () => 1)).toBe(ceiling);
    expect(backoffMs(retry, policy, () => 0.5)).toBe(ceiling * 0.75);
  });

  it("caps one step at maxDelayMs", () => {
    expect(backoffMs(5, policy, () => 1)).toBe(8_000);
    expect(backoffMs(30, policy, () => 1)).toBe(8_000);
    expect(backoffMs(30, policy, () => 0)).toBe(4_000);
    expect(backoffMs(2, { ...policy, maxDelayMs: 1_200 }, () => 1)).toBe(1_200);
  });

  it("returns whole milliseconds", () => {
    expect(backoffMs(0, { ...policy, baseDelayMs: 333 }, () => 0)).toBe(167);
  });

  it("stays within bounds with the default random source", () => {
    for (let i = 0; i < 50; i++) {
      const wait = backoffMs(1, policy);
      expect(wait).toBeGreaterThanOrEqual(500);
      expect(wait).toBeLessThanOrEqual(1_000);
    }
  });
});
