// `npm start` where the Electron runtime is missing and cannot be fetched: one paragraph saying
// what failed and what to do, no stack trace, a non-zero exit. Every way out is a loopback port
// that refuses: the mirror, the proxies; the download cache and runtime folder are empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../support/sshd';
import { tempDir } from '../../support/sessions';

const START = path.resolve(import.meta.dirname, '../../../electron/build/start.mjs');

test('npm start without an Electron runtime explains the mirror, the cache, the override and the drill', async (t) => {
  const dir = tempDir(t, 'nbg-start-');
  const refused = `http://127.0.0.1:${await freePort()}`;
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(electron_|npm_config_electron|.*_proxy$)/i.test(k)));
  Object.assign(env, {
    ELECTRON_MIRROR: `${refused}/`, HTTPS_PROXY: refused, HTTP_PROXY: refused, ALL_PROXY: refused,
    electron_config_cache: path.join(dir, 'cache'),
    // An empty runtime folder: the outcome does not depend on whether this machine has the runtime.
    ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'runtime'),
  });
  const r = spawnSync(process.execPath, [START], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /the desktop app cannot start: the Electron [\d.]+ runtime is not at .*runtime/);
  assert.match(r.stderr, /could not be fetched \(.+\)/);
  assert.match(r.stderr, /ELECTRON_MIRROR=/);
  assert.match(r.stderr, /electron_config_cache=DIR/);
  assert.match(r.stderr, /ELECTRON_OVERRIDE_DIST_PATH=DIR/);
  assert.match(r.stderr, /'npm run nbg -- drill'/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.equal(r.stdout, '');
});
