import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');

// Writes a throwaway file inside a real layer folder and lints it with the project config.
async function lintAt(relDir: string, source: string): Promise<string[]> {
  const dir = path.join(root, relDir);
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(path.join(dir, '.lint-probe-'));
  const file = path.join(tmp, 'probe.ts');
  writeFileSync(file, source);
  try {
    const eslint = new ESLint({ cwd: root });
    const [res] = await eslint.lintFiles([file]);
    return (res?.messages ?? []).filter((m) => m.ruleId === 'nbg/layering').map((m) => m.message);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('native may not import electron or core', async () => {
  const msgs = await lintAt('native', "import { app } from 'electron';\nimport x from '../../electron/app/dispatcher';\nexport { app, x };\n");
  assert.equal(msgs.length, 2, msgs.join('\n'));
});

test('core may import native and shared but never electron', async () => {
  const ok = await lintAt('electron/core', "import a from '../../../native/sk/types';\nimport b from '../../shared/contract';\nexport { a, b };\n");
  assert.deepEqual(ok, []);
  const bad = await lintAt('electron/core', "import { ipcMain } from 'electron';\nexport { ipcMain };\n");
  assert.equal(bad.length, 1);
});

test('renderer imports only electron/shared and UI packages', async () => {
  const bad = await lintAt('renderer/src', "import fs from 'node:fs';\nimport c from '../../../electron/core/app';\nimport s from '../../../electron/shared/contract';\nexport { fs, c, s };\n");
  assert.equal(bad.length, 2, bad.join('\n'));
});

test('shared imports zod only', async () => {
  const bad = await lintAt('electron/shared', "import { z } from 'zod';\nimport ssh2 from 'ssh2';\nexport { z, ssh2 };\n");
  assert.equal(bad.length, 1);
});

test('native may import the error-code catalogue but not the rest of electron/shared', async () => {
  for (const dir of ['native', 'native/ctap2']) {
    const up = '../'.repeat(dir.split('/').length + 1);
    const ok = await lintAt(dir, `import { ErrorCode } from '${up}electron/shared/error-codes';\nexport { ErrorCode };\n`);
    assert.deepEqual(ok, [], dir);
    const bad = await lintAt(dir, `import { methods } from '${up}electron/shared/contract';\nexport { methods };\n`);
    assert.equal(bad.length, 1, `${dir}: ${bad.join('\n')}`);
  }
});

test('core imports no front end (app, CLI, drill) and not the service layer', async () => {
  const bad = await lintAt('electron/core/keys', [
    "import a from '../../../app/dispatcher';", "import b from '../../../cli/main';",
    "import c from '../../../drill/fabric';", "import d from '../../../services/services';",
    "import e from '../../shared/contract';", 'export { a, b, c, d, e };', '',
  ].join('\n'));
  assert.equal(bad.length, 4, bad.join('\n'));
});

test('the service layer may use core and the drill, never a front end; the drill never the services', async () => {
  const services = await lintAt('electron/services', [
    "import a from '../../drill/fabric';", "import b from '../../core/keys/store';",
    "import c from '../../app/dispatcher';", "import d from '../../cli/main';", 'export { a, b, c, d };', '',
  ].join('\n'));
  assert.equal(services.length, 2, services.join('\n'));
  const drill = await lintAt('electron/drill', "import a from '../../services/services';\nimport b from '../../cli/main';\nexport { a, b };\n");
  assert.equal(drill.length, 2, drill.join('\n'));
});

test('CTAP2 knows nothing of OpenSSH: native/ctap2 may not import native/sk', async () => {
  const bad = await lintAt('native/ctap2', "import a from '../../sk/types';\nimport b from '../../ctaphid/channel';\nexport { a, b };\n");
  assert.equal(bad.length, 1, bad.join('\n'));
});
