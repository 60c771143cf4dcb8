import type { HostileScenario } from "./scenario";

/** Scenarios about the request path: rate limits, pagination, proxies, credentials echoed back, limiter keys. */
export const transportScenarios: HostileScenario[] = [];
