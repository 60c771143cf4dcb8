import { boundsScenarios } from "./hostile/bounds";
import { certificateScenarios } from "./hostile/certificate";
import { outputScenarios } from "./hostile/output";
import type { HostileScenario } from "./hostile/scenario";
import { transportScenarios } from "./hostile/transport";

/**
 * Hostile and unlucky servers: every scenario module's cases, run one by one, with a closing count
 * (`hostile: N scenarios, N pass`) so a CI log shows the size of the suite at a glance.
 */
const scenarios: HostileScenario[] = [
  ...transportScenarios,
  ...outputScenarios,
  ...certificateScenarios,
  ...boundsScenarios,
];
let passed = 0;

afterAll(() => {
  process.stdout.write(`hostile: ${scenarios.length} scenarios, ${passed} pass\n`);
});

for (const scenario of scenarios) {
  test(
    `${scenario.area}: ${scenario.name}`,
    async () => {
      await scenario.run();
      passed++;
    },
    scenario.timeoutMs ?? 30_000,
  );
}
