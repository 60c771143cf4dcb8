import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../support/pulumi";

// `npm run bench` once failed for weeks (a removed module) without anyone noticing. This runs the quick,
// engine-free part of it on every `npm test`: it asserts only that every row and target is produced, never a
// figure (timings belong to the bench, not to correctness tests).
jest.setTimeout(240_000);

const EXPECTED_ROWS = [
  "B1a",
  "B1b",
  "B1c",
  "B1d",
  "B1e",
  "B1f",
  "B1g",
  "B1h",
  "B4a",
  "B4b",
  "B4c",
  "B4d",
  "B5a",
  "B5b",
  "B5c",
  "B6a",
  "B6b",
  "B6c",
  "B6d",
];

let report: string;

beforeAll(async () => {
  const args = [path.join(REPO_ROOT, "bench", "run.js"), "--quick", "--only", "B1,B4,B5,B6"];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  report = stdout;
});

describe("npm run bench, quick B1, B4, B5 and B6", () => {
  it("prints the machine line and one table row per case", () => {
    expect(report).toMatch(/^Machine: .+ cores?, .+Node v\d+/m);
    for (const row of EXPECTED_ROWS) expect(report).toMatch(new RegExp(`^\\| ${row} \\| .+ \\| [0-9.]+ m?s`, "m"));
  });

  it("rates every target PASS or MISS with a measured figure", () => {
    const targets = report.split("\n").filter((line) => /^- (PASS|MISS) {2}B[14]/.test(line));
    expect(targets.length).toBeGreaterThanOrEqual(9);
    for (const line of targets) expect(line).toMatch(/: .*\d/);
    expect(report).not.toMatch(/NaN|undefined/);
  });
});
