import type { HostileScenario } from "./scenario";

/** Scenarios about what the CLI and the emulator print, redact and survive. */
export const outputScenarios: HostileScenario[] = [];
