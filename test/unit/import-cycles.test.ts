// No import cycles in the source tree: between files anywhere, and between the folders of
// native/ and electron/core/ (an area that imports another must not be imported back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const SOURCE_ROOTS = ['electron', 'native', 'renderer'];
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return ['.ts', '.tsx', '/index.ts', ''].map((e) => base + e).find((c) => existsSync(c) && statSync(c).isFile());
}

export function importGraph(files: string[], node: (file: string) => string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = node(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = resolve(file, m[1]!);
      if (target && node(target) !== from) edges.add(node(target));
    }
  }
  return graph;
}

/** Strongly connected components with more than one node (Tarjan). */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

const files = SOURCE_ROOTS.flatMap((d) => sourceFiles(path.join(root, d)));
const rel = (f: string): string => path.relative(root, f).split(path.sep).join('/');

test('the cycle finder finds a cycle (so an empty result means something)', () => {
  const graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
  assert.deepEqual(cycles(graph), [['a', 'b', 'c']]);
});

test('no file imports itself back through others', () => {
  assert.deepEqual(cycles(importGraph(files, rel)), []);
});

test('the areas of electron/core and native do not import each other back', () => {
  // An area is a folder directly under electron/core or native; files at their top count as their own area.
  const area = (f: string): string => {
    const parts = rel(f).split('/');
    const top = parts[0] === 'electron' ? 2 : 1;
    return parts.slice(0, Math.min(top + 1, parts.length)).join('/');
  };
  const inScope = files.filter((f) => /^(native|electron\/core)\//.test(rel(f)));
  assert.deepEqual(cycles(importGraph(inScope, area)), []);
});
