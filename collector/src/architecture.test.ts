/**
 * The collector's folders follow the data (docs/ARCHITECTURE.md): each imports only the folders
 * before it, the two HTTP edges (ingest, api) orchestrate, nothing imports in a cycle, and the
 * product never imports the benchmarks or the tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** What each folder may import besides itself (top-level files such as deps.ts are their own "folder"). */
const MAY_IMPORT: Record<string, string[]> = {
  lib: [],
  db: ['lib'],
  sites: ['db', 'lib'],
  enrich: ['db', 'lib', 'sites'],
  sessions: ['db', 'lib', 'enrich'],
  store: ['db', 'lib', 'enrich', 'sessions'],
  aggregate: ['db', 'lib', 'sites', 'enrich'],
  reports: ['db', 'lib', 'sites', 'aggregate'],
  ingest: ['db', 'lib', 'sites', 'enrich', 'store', 'deps.ts'],
  api: ['db', 'lib', 'sites', 'aggregate', 'reports', 'deps.ts'],
  // the dashboard reads the reports as the API does, and answers its CSV with the API's own routes
  dashboard: ['db', 'lib', 'sites', 'aggregate', 'reports', 'api', 'deps.ts'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm;
const files = sources(SRC);
const importsOf = new Map(
  files.map((file) => [file, [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1]!).filter((s) => s.startsWith('.'))]),
);
const resolved = (file: string, spec: string) => path.resolve(path.dirname(file), spec);
const folderOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]!;

it('imports no file of bench/ or tests/, and every relative import exists', () => {
  for (const [file, specs] of importsOf) {
    for (const spec of specs) {
      const target = resolved(file, spec);
      expect(path.relative(SRC, target).startsWith('..'), `${path.relative(SRC, file)} imports ${spec}`).toBe(false);
      expect(existsSync(target), `${path.relative(SRC, file)} imports ${spec}`).toBe(true);
    }
  }
});

it('imports, folder by folder, only what comes before it in the flow of data', () => {
  const wrong: string[] = [];
  for (const [file, specs] of importsOf) {
    const from = folderOf(file);
    const allowed = MAY_IMPORT[from];
    if (!allowed) continue; // the top-level files (app, server, cli …) and demo/ put the pieces together
    for (const spec of specs) {
      const to = folderOf(resolved(file, spec));
      if (to !== from && !allowed.includes(to)) wrong.push(`${path.relative(SRC, file)} → ${spec}`);
    }
  }
  expect(wrong).toEqual([]);
});

it('has no import cycle', () => {
  const graph = new Map(files.map((f) => [f, importsOf.get(f)!.map((s) => resolved(f, s)).filter((t) => importsOf.has(t))]));
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const next of graph.get(file)!) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  expect(cycles).toEqual([]);
});
