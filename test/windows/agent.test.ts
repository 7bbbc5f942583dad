// `nbg agent` as a Windows program on a named pipe, asked by a Windows-side client (Windows Node,
// test/windows/clients/agent-client.mjs): identities, an SSHSIG signature that stock ssh-keygen
// verifies, and refusals (a key it does not hold, ADD_IDENTITY). The pipe is refused when it is
// the Windows OpenSSH agent service's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AgentMessage } from '../../electron/core/ssh/agent/protocol';
import { windowsHost } from '../support/wine';

const PIN = '864213';
const NAMESPACE = 'file';
const CLIENT = path.join(import.meta.dirname, 'clients', 'agent-client.mjs');

test('nbg agent under Windows Node: a named pipe a Windows client gets identities, a signature and refusals from', async (t) => {
  const win = await windowsHost();
  const work = await fs.mkdtemp(path.join(win.profile, 'agent-test-'));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const keyDir = win.toWindows(path.join(work, 'keys'));
  const env = { NBG_SIMULATOR: win.toWindows(path.join(work, 'sim.json')), NBG_HOME: win.toWindows(path.join(work, 'home')) };
  assert.equal((await win.nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  const enrolled = await win.nbg(['keys', 'enroll', '--dir', keyDir, '--pin-stdin', '--json'], { env, stdin: `${PIN}\n` });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const { publicKeyLine } = JSON.parse(enrolled.stdout) as { publicKeyLine: string };

  const refused = await win.nbg(['agent', '--socket', '\\\\.\\pipe\\openssh-ssh-agent', '--dir', keyDir], { env });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /belongs to the Windows OpenSSH agent service/);

  const pipe = `\\\\.\\pipe\\nexus-breakglass-agent-test-${randomBytes(6).toString('hex')}`;
  // One PIN line per signature, read as the signatures come (stdin is a file under Wine).
  const agent = await win.spawnNbg(['agent', '--socket', pipe, '--dir', keyDir, '--pin-stdin'], { env, stdin: `${PIN}\n` });
  t.after(() => agent.stop());
  await agent.waitFor(/SSH_AUTH_SOCK=/);
  assert.equal(agent.stdout(), `SSH_AUTH_SOCK=${pipe}; export SSH_AUTH_SOCK;\n`);

  const message = path.join(work, 'message.txt');
  await fs.writeFile(message, `break-glass change ${randomBytes(8).toString('hex')}\n`);
  const asked = await win.node(CLIENT, [pipe, win.toWindows(message), NAMESPACE]);
  assert.equal(asked.code, 0, asked.stderr);
  const reply = JSON.parse(asked.stdout) as { identities: { blob: string; comment: string }[]; signReply: number; signature: string | null; unknownKey: number; addIdentity: number };
  const [type, blob, comment] = publicKeyLine.split(' ');
  assert.deepEqual(reply.identities, [{ blob, comment }]);
  assert.equal(reply.signReply, AgentMessage.SignResponse, agent.stderr());
  assert.equal(reply.unknownKey, AgentMessage.Failure);
  assert.equal(reply.addIdentity, AgentMessage.Failure);

  // Stock ssh-keygen: the signature is over this message, in this namespace, by the enrolled key.
  const sigFile = `${message}.sig`;
  await fs.writeFile(sigFile, reply.signature ?? '');
  const allowed = path.join(work, 'allowed_signers');
  await fs.writeFile(allowed, `operator@example ${type} ${blob}\n`);
  const verified = execFileSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', 'operator@example', '-n', NAMESPACE, '-s', sigFile],
    { input: await fs.readFile(message), encoding: 'utf8' });
  assert.match(verified, /Good "file" signature for operator@example/);
  await assert.rejects(fs.readFile(message).then((m) => execFileSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', 'operator@example', '-n', NAMESPACE, '-s', sigFile],
    { input: Buffer.concat([m, Buffer.from('x')]), stdio: 'pipe' })));
});
