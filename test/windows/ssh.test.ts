// `nbg ssh` as a Windows program: through a Linux jump host to a private Linux sshd (both
// verify-required), one PIN for both hops, with the key folder and known_hosts given as Windows
// paths; then the known_hosts it wrote, edited by a Windows tool (CRLF line endings) and named by a
// UNC path, still vouches for both hosts, and still stops a changed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { startSshd } from '../support/sshd';
import { windowsHost } from '../support/wine';

const PIN = '246813';

test('nbg ssh under Windows Node: -J through a Linux jump host to a private sshd, one PIN, CRLF known_hosts', async (t) => {
  const win = await windowsHost();
  const work = await fs.mkdtemp(path.join(win.profile, 'ssh test '));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const keyDir = win.toWindows(path.join(work, 'keys'));
  const knownHosts = path.join(work, 'known_hosts');
  const env = { NBG_SIMULATOR: win.toWindows(path.join(work, 'sim.json')), NBG_HOME: win.toWindows(path.join(work, 'home')) };
  assert.equal((await win.nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  const enrolled = await win.nbg(['keys', 'enroll', '--dir', keyDir, '--pin-stdin', '--json'], { env, stdin: `${PIN}\n` });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const { publicKeyLine } = JSON.parse(enrolled.stdout) as { publicKeyLine: string };

  const jump = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.3' });
  t.after(() => jump.stop());
  const device = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.13', allowTcpForwarding: false });
  t.after(() => device.stop());
  const via = ['-J', `${jump.user}@${jump.host}:${jump.port}`, '--dir', keyDir, '--pin-stdin'];
  const route = [...via, '--known-hosts', win.toWindows(knownHosts)];
  const target = `${device.user}@${device.host}:${device.port}`;

  // One PIN line on stdin serves both hops.
  const first = await win.nbg(['ssh', ...route, '--accept-new', target, '--', 'echo', 'from-$((6*7))'], { env, stdin: `${PIN}\n` });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /from-42/);
  await jump.waitForLog(/sk_flags = 0x05/);
  await device.waitForLog(/sk_flags = 0x05/);
  const written = await fs.readFile(knownHosts, 'utf8');
  assert.equal(written.trim().split('\n').length, 2, written);

  // Notepad's line endings, and the file named by its UNC path: the same two hosts are still known,
  // without --accept-new.
  await fs.writeFile(knownHosts, written.replaceAll('\n', '\r\n'));
  const share = await win.share(`ssh-${path.basename(work).replaceAll(' ', '-')}`, work);
  t.after(() => share.remove());
  const crlf = await win.nbg(['ssh', ...via, '--known-hosts', `${share.unc}\\known_hosts`, target, '--', 'exit', '3'], { env, stdin: `${PIN}\n` });
  assert.equal(crlf.code, 3, crlf.stderr);

  // A changed host key is still a hard stop when the file has CRLF endings.
  await fs.writeFile(knownHosts, written.replace(device.hostKeyPub.split(' ')[1]!, jump.hostKeyPub.split(' ')[1]!).replaceAll('\n', '\r\n'));
  const mismatch = await win.nbg(['ssh', ...route, target, '--', 'true'], { env, stdin: `${PIN}\n` });
  assert.notEqual(mismatch.code, 0);
  assert.match(mismatch.stderr, /host key/i);
});
