// `nbg drill` as a Windows program with no security key plugged in (node-hid's win32 build lists
// none under Wine): the drill's own simulated key, the simulated fabric on loopback, the whole
// flow, and `nbg audit verify` over the log it wrote under an app home with a space in its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { verifyAuditLog } from '../../electron/core/audit/index';
import { windowsHost, WINDOWS_USER } from '../support/wine';

/** The drill key's PIN, printed in the drill's briefing. */
const DRILL_PIN = '123456';
/** One PIN per connect; the flow connects fewer times than this. */
const PIN_LINES = 12;

test('nbg drill under Windows Node: the flow passes on the drill key, the audit log verifies', async (t) => {
  const win = await windowsHost();
  const work = await fs.mkdtemp(path.join(win.profile, 'drill test '));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const home = path.join(work, 'app home');
  const env = { NBG_HOME: win.toWindows(home) };

  const drill = await win.nbg(['drill', '--port', '0', '--pin-stdin'], { env, stdin: `${DRILL_PIN}\n`.repeat(PIN_LINES) });
  assert.equal(drill.code, 0, drill.stderr);
  assert.match(drill.stderr, new RegExp(`Drill key: a simulated security key \\(PIN ${DRILL_PIN}`));
  assert.match(drill.stdout, new RegExp(`${WINDOWS_USER} +Writer`), 'the drill user is the Windows user name');
  assert.match(drill.stdout, /OK \(primary path\): Arista DCS-7280DR3-24-F, sk flags 0x05/);
  assert.match(drill.stdout, /OK \(backup path\): \d+ interfaces connected/);
  assert.match(drill.stdout, /Drill flow: 4 of 4 steps as expected\./);
  // The stock-OpenSSH hint names the drill's ssh_config by its Windows path, quoted for the space.
  assert.ok(drill.stdout.includes(`ssh -F "${win.toWindows(path.join(home, 'drill', 'ssh_config'))}"`), drill.stdout);

  const audit = await verifyAuditLog(path.join(home, 'audit', 'audit.jsonl'));
  assert.equal(audit.ok, true);
  assert.ok(audit.entries.some((e) => e.type === 'connect-outcome'), JSON.stringify(audit.entries.map((e) => e.type)));
  const verified = await win.nbg(['audit', 'verify', '--json'], { env });
  assert.equal(verified.code, 0, verified.stderr);
  assert.deepEqual(JSON.parse(verified.stdout), {
    file: win.toWindows(path.join(home, 'audit', 'audit.jsonl')), ok: true, entries: audit.entries.length, fresh: false,
    // Wine's PowerShell is a stub, so there is no DPAPI key store: the log is hash-chained only.
    keyed: null, unkeyed: audit.entries.length, remote: null, problems: [], repairs: [], alerts: [],
  });

  // An edited entry is found by the Windows build too.
  const log = path.join(home, 'audit', 'audit.jsonl');
  const lines = (await fs.readFile(log, 'utf8')).split('\n');
  lines[1] = lines[1]!.replace('"ok"', '"failed"');
  await fs.writeFile(log, lines.join('\n'));
  const tampered = await win.nbg(['audit', 'verify', '--json'], { env });
  assert.equal(tampered.code, 1, tampered.stdout);
  assert.equal((JSON.parse(tampered.stdout) as { ok: boolean }).ok, false);
});
