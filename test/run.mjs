// Runs every *.test.ts under test/ (or the suites named on the command line: unit,
// integration, e2e) with node's test runner. Fails when a test fails or when none ran.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(new URL(import.meta.url).pathname);
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

function collect(dir) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const files = suites.flatMap((s) => {
  const dir = path.join(root, s);
  try { return collect(dir); } catch { return []; }
}).sort();
if (files.length === 0) {
  console.error(`no test files found in ${suites.join(', ')}`);
  process.exit(1);
}

const result = spawnSync(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-reporter=spec',
  `--test-concurrency=${process.env.NBG_TEST_CONCURRENCY ?? 2}`,
  '--test-timeout=120000',
  // A file whose tests are done but whose handles keep the process alive must not hang the run.
  '--test-force-exit',
  ...files,
], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } });
process.exit(result.status ?? 1);
