// Issue 18: text from outside is inert wherever nbg prints it. What a server, Azure or an agent
// client sent reaches the audit log verbatim (it is evidence); `nbg audit list` and nbg's tables
// show it with its control characters escaped, as OpenSSH's vis(3) does, so it cannot clear the
// screen, retitle the window or reorder the line the operator reads.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../../electron/cli/main';
import { table } from '../../../electron/cli/runtime';
import { AuditLog, auditLogPath } from '../../../electron/core/audit/index';
import { captureIo } from '../../support/nbg';

const HOSTILE = 'leaf\x1b[2J\x1b]0;pwned\x07\u202Ecod.exe\r';
const SHOWN = 'leaf\\033[2J\\033]0;pwned\\007\\u{202E}cod.exe\\015';
const ACTIVE = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

test('nbg audit list shows recorded outside text escaped', async (t) => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-inert-audit-'));
  t.after(() => fs.rm(home, { recursive: true, force: true }));
  const log = await AuditLog.open({ file: auditLogPath(home) });
  await log.append({ type: 'agent-refusal', origin: 'ssh-agent socket client #1', reason: 'sign-failed', detail: HOSTILE });
  await log.append({
    type: 'connect-outcome', connectionId: 'c1', target: `op@${HOSTILE}`, hops: [{ user: 'op', host: '10.0.0.9', port: 22 }], path: 'primary', outcome: 'failed',
    error: { code: 'HOP_CONNECT_FAILED', message: `server said ${HOSTILE}` },
  });
  await log.close();
  const c = captureIo({ NBG_HOME: home });
  assert.equal(await runCli(['audit', 'list'], c.io), 0, c.err());
  const out = c.out();
  assert.equal(out.split('\n').filter(Boolean).length, 2, 'one line per entry: a CR or LF in a field cannot add one');
  assert.ok(out.includes(`a signature the security key did not give: ${SHOWN}.`), out);
  assert.ok(out.includes(`Connection to op@${SHOWN} over the management network failed: server said ${SHOWN}.`), out);
  assert.doesNotMatch(out, ACTIVE);
});

test('nbg tables (fabrics, devices, keysets) print every cell escaped and stay aligned', () => {
  const out = table([['NAME', 'HOST'], [HOSTILE, '10.0.0.1'], ['leaf-02', 'Grüße']]);
  assert.doesNotMatch(out, ACTIVE);
  const lines = out.split('\n');
  assert.ok(lines[1]!.startsWith(SHOWN));
  assert.equal(lines[0]!.indexOf('HOST'), lines[2]!.indexOf('Grüße'));
});
