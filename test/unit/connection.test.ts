import { ConnectionLimiters, connectionKey } from "../../src/cloudflare/connection";
import type { Credentials } from "../../src/cloudflare/credentials";

const BASE = "http://127.0.0.1:9/client/v4";
const token = (value: string): Credentials => ({ scheme: "api-token", token: value });

describe("connectionKey", () => {
  it("is the base URL and a hash of the credential, never the credential itself", () => {
    const key = connectionKey(BASE, token("tok-very-secret-value"));
    expect(key.startsWith(`${BASE} api-token:`)).toBe(true);
    expect(key).not.toContain("tok-very-secret-value");
    const keyed = connectionKey(BASE, { scheme: "api-key", key: "k".repeat(37), email: "a@b.dev" });
    expect(keyed).not.toMatch(/kkkk|a@b\.dev/);
  });

  it("tells credentials and base URLs apart", () => {
    expect(connectionKey(BASE, token("one-token"))).not.toBe(connectionKey(BASE, token("two-token")));
    const elsewhere = connectionKey("http://127.0.0.1:10/client/v4", token("one-token"));
    expect(connectionKey(BASE, token("one-token"))).not.toBe(elsewhere);
  });
});

describe("ConnectionLimiters", () => {
  it("gives one limiter per base URL and credential", () => {
    const limiters = new ConnectionLimiters();
    const credentials = token("shared-token-1");
    expect(limiters.for(connectionKey(BASE, credentials))).toBe(limiters.for(connectionKey(BASE, { ...credentials })));
    expect(limiters.for(connectionKey(BASE, credentials))).not.toBe(
      limiters.for(connectionKey(BASE, token("other-token-1"))),
    );
  });

  it("forgets a limiter once idle with no throttle in force: distinct credentials pile nothing up", async () => {
    const limiters = new ConnectionLimiters();
    for (let i = 0; i < 100; i++) (await limiters.for(connectionKey(BASE, token(`distinct-token-${i}`))).acquire())();
    expect(limiters.size).toBe(0);
  });

  it("keeps a limiter whose server announced a low budget, and the same one serves the next request", async () => {
    const limiters = new ConnectionLimiters();
    const credentials = token("throttled-token-1");
    const limiter = limiters.for(connectionKey(BASE, credentials));
    const release = await limiter.acquire();
    limiter.observe(200, { ratelimit: '"default";r=5;t=300' });
    release();
    expect(limiters.size).toBe(1);
    expect(limiters.for(connectionKey(BASE, credentials))).toBe(limiter);
  });
});
