// Runs every *.test.ts under test/ (or the suites named on the command line: unit,
// integration, e2e, windows) with node's test runner. Fails when a test fails or when none ran.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(new URL(import.meta.url).pathname);
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e', 'windows'];

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

// The Windows suite's Wine prefix, Windows Node, win32 tree and `nbg` bundle are prepared (or found
// cached) once, before its test files start in parallel; the run id makes the bundle fresh per run.
const env = { ...process.env, NODE_ENV: 'test', NBG_TEST_RUN_ID: randomBytes(6).toString('hex') };
// When that fails (no wine64?), the other suites still run and the run fails.
let windowsReady = true;
if (suites.includes('windows')) {
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'windows', 'prepare.ts')], { stdio: 'inherit', env });
  windowsReady = prepared.status === 0;
  if (!windowsReady) console.error('the Windows suite could not be prepared (see above); its tests are not run and the run fails');
}
const runnable = windowsReady ? files : files.filter((f) => !f.startsWith(path.join(root, 'windows') + path.sep));
if (runnable.length === 0) process.exit(1);

const result = spawnSync(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-reporter=spec',
  `--test-concurrency=${process.env.NBG_TEST_CONCURRENCY ?? 2}`,
  '--test-timeout=120000',
  // A file whose tests are done but whose handles keep the process alive must not hang the run.
  '--test-force-exit',
  ...runnable,
], { stdio: 'inherit', env });
process.exit(windowsReady ? result.status ?? 1 : 1);
