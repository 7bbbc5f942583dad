// `nbg ssh` end to end, in process: through a jump via our AgentServer (soft sk key), exec exit
// status and stderr, backup path, an interactive PTY session, and a known_hosts file that stock
// OpenSSH then uses with StrictHostKeyChecking=yes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { replayAsciicast, verifyAuditLog } from '../../../electron/core/audit/index';
import { captureIo } from '../../support/nbg';
import { startSshd } from '../../support/sshd';
import { runSsh, writeSshConfig } from '../../support/ssh-client';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { tempDir } from '../../support/sessions';
import { refusedPort } from '../../support/sessions-sshd';

test('nbg ssh: exec through a jump with --agent, backup path, interactive PTY, known_hosts usable by stock ssh', async (t) => {
  const key = new SoftSk();
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.2' });
  t.after(() => jump.stop());
  const device = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.11' });
  t.after(() => device.stop());
  const signer = new SoftSkSigner([key]);
  const agent = await AgentServer.start({ signer });
  t.after(() => agent.close());
  const dir = tempDir(t, 'nbg-cli-ssh-');
  const knownHosts = path.join(dir, 'known_hosts');
  const env = { ...process.env, NBG_HOME: path.join(dir, 'home') };
  const jumpArg = `${jump.user}@${jump.host}:${jump.port}`;
  const deviceArg = `${device.user}@${device.host}:${device.port}`;
  const common = ['--agent', agent.path, '--known-hosts', knownHosts, '--accept-new', '-J', jumpArg];

  const exec = captureIo(env);
  exec.stdin.end();
  const code = await runCli(['ssh', ...common, deviceArg, '--', 'echo', 'out-$((3*5));', 'echo', 'err-line', '>&2;', 'exit', '7'], exec.io);
  assert.equal(code, 7, exec.err());
  assert.match(exec.out(), /out-15/);
  assert.match(exec.err(), /err-line/);
  assert.equal(signer.requests.length, 2, 'jump + device, each signed once through the agent');
  await device.waitForLog(/sk_flags = 0x05/);

  // Stock OpenSSH accepts the known_hosts we wrote, with strict checking and nothing else.
  const cfg = await writeSshConfig(dir, agent.path, [`UserKnownHostsFile ${knownHosts}`, 'StrictHostKeyChecking yes']);
  const stock = await runSsh(cfg, ['-J', jumpArg, '-p', String(device.port), `${device.user}@${device.host}`, 'echo stock-ok']);
  assert.equal(stock.code, 0, stock.stderr);
  assert.match(stock.stdout, /stock-ok/);

  // The primary is refused: the backup address gets the session.
  const viaBackup = captureIo(env);
  viaBackup.stdin.end();
  const refused = await refusedPort('127.0.0.12');
  const backupCode = await runCli(['ssh', ...common, '--backup', `${device.host}:${device.port}`, '--connect-timeout', '3',
    `${device.user}@127.0.0.12:${refused}`, '--', 'echo', 'backup-ok'], viaBackup.io);
  assert.equal(backupCode, 0, viaBackup.err());
  assert.match(viaBackup.out(), /backup-ok/);
  assert.match(viaBackup.err(), /backup path/);

  // Interactive: a PTY shell driven through a terminal-like stdin.
  const tty = captureIo(env, { tty: true });
  const running = runCli(['ssh', ...common, '--record', deviceArg], tty.io);
  const deadline = Date.now() + 15_000;
  while (!/#|\$/.test(tty.out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // The window grows: the terminal says so ('resize', as Node raises on SIGWINCH), the PTY follows.
  Object.assign(tty.io.stdout, { columns: 101, rows: 33 });
  tty.io.stdout.emit('resize');
  tty.stdin.write('echo "tty=$(tty)"; echo "term=$TERM"; echo "size=$(stty size)"; exit 5\n');
  assert.equal(await running, 5, tty.err());
  assert.match(tty.out(), /tty=\/dev\/pts\//);
  assert.match(tty.out(), /term=xterm-256color/);
  assert.match(tty.out(), /size=33 101/);
  // --record: an asciicast that replays to exactly what the terminal showed, hash in the audit log.
  const recordingFile = /recording (\S+\.cast) \(sha256 ([0-9a-f]{64})\)/.exec(tty.err());
  assert.ok(recordingFile, tty.err());
  const replay = await replayAsciicast(recordingFile[1]!);
  assert.equal(replay.output.toString('utf8'), tty.out());
  assert.equal(replay.sha256, recordingFile[2]);
  assert.equal(replay.header.env?.TERM, 'xterm-256color');
  assert.equal(replay.events.filter((e) => e.code === 'i').length, 0, 'keystrokes are not recorded unless asked for');

  // --record-input: the keystrokes are in the recording too, exactly as typed.
  const typed = captureIo(env, { tty: true });
  const typing = runCli(['ssh', ...common, '--record-input', deviceArg], typed.io);
  const typedDeadline = Date.now() + 15_000;
  while (!/#|\$/.test(typed.out()) && Date.now() < typedDeadline) await new Promise((r) => setTimeout(r, 50));
  const keystrokes = 'echo "sum=$((20+22))"; exit 0\n';
  typed.stdin.write(keystrokes);
  assert.equal(await typing, 0, typed.err());
  assert.match(typed.out(), /sum=42/);
  const typedFile = /recording (\S+\.cast)/.exec(typed.err());
  assert.ok(typedFile, typed.err());
  const typedReplay = await replayAsciicast(typedFile[1]!);
  assert.equal(typedReplay.events.filter((e) => e.code === 'i').map((e) => e.data).join(''), keystrokes);

  // Usage errors and the audit trail under NBG_HOME.
  const bad = captureIo(env);
  assert.equal(await runCli(['ssh', '-J', 'a,,b', 'x@y'], bad.io), 2);
  const emptyKeys = path.join(dir, 'no-keys');
  mkdirSync(emptyKeys);
  const noKey = captureIo({ ...env, NBG_SIMULATOR: path.join(dir, 'sim.json') });
  assert.equal(await runCli(['ssh', '--dir', emptyKeys, deviceArg], noKey.io), 2);
  assert.match(noKey.err(), /no security-key SSH keys in/);
  const { ok, entries } = await verifyAuditLog(path.join(dir, 'home', 'audit', 'audit.jsonl'));
  assert.equal(ok, true);
  assert.deepEqual(entries.filter((e) => e.type === 'connect-outcome').map((e) => [e.path, e.outcome]), [['primary', 'ok'], ['primary', 'failed'], ['backup', 'ok'], ['primary', 'ok'], ['primary', 'ok']]);
  const ends = entries.filter((e) => e.type === 'session-end');
  assert.equal(ends.length, 4);
  assert.equal(ends[2]?.type === 'session-end' ? ends[2].recording?.sha256 : undefined, recordingFile[2]);
});
