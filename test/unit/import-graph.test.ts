import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** Every relative import of every `.ts` file under `dirs` (type-only imports and re-exports included). */
function importGraph(dirs: string[]): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (full.endsWith(".ts")) files.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(ROOT, dir));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const targets: string[] = [];
    for (const match of text.matchAll(/(?:from|require\()\s*"(\.[^"]+)"/g)) {
      const base = path.join(path.dirname(file), match[1]);
      const target = [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => fs.existsSync(candidate));
      if (target !== undefined) targets.push(target);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** The import cycles of a graph, each as the files on it (Tarjan's strongly connected components). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file) as number, index.get(next) as number));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(path.relative(ROOT, member));
      } while (member !== file);
      if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

describe("module boundaries", () => {
  it("src/ and sdk/ have no import circle, type-only imports included", () => {
    expect(cyclesOf(importGraph(["src", "sdk"]))).toEqual([]);
  });

  it("the cycle finder sees a circle when there is one", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(cyclesOf(graph).map((cycle) => cycle.length)).toEqual([3]);
  });

  it("the emulator imports nothing from the client, the lookup layer or the CSR reader: it owns its wire rules", () => {
    const graph = importGraph(["src/emulator"]);
    const outside = [...graph.values()]
      .flat()
      .map((target) => path.relative(ROOT, target))
      .filter((target) => /^src\/(cloudflare|lookup|csr)\//.test(target));
    expect(outside).toEqual([]);
  });

  it("the lower layers know nothing of Pulumi, sessions or the CLI", () => {
    for (const layer of ["src/cloudflare", "src/csr", "src/errors"]) {
      const targets = [...importGraph([layer]).values()].flat().map((target) => path.relative(ROOT, target));
      expect(targets.filter((target) => /^(sdk|src\/(lookup|provider|cli|acme))\//.test(target))).toEqual([]);
      for (const file of importGraph([layer]).keys()) {
        expect(fs.readFileSync(file, "utf8")).not.toMatch(/from "@pulumi\/pulumi"/);
      }
    }
  });
});
