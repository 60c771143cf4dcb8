import * as fs from "node:fs";
import { PACKED_BUILD_ENV } from "./packed-build";

/** Removes the packed build that `global-setup.ts` made for this run. */
export default function globalTeardown(): void {
  const dir = process.env[PACKED_BUILD_ENV];
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
}
