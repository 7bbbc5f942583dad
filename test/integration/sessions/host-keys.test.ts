// Host keys against a private sshd: known (hashed by ssh-keygen -H) → no prompt; changed → hard
// stop before any signature; @revoked → refused; unknown → prompt (refuse / trust once / always).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AuditLog, verifyAuditLog } from '../../../electron/core/audit/index';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts-store';
import { HostKeyMismatchError, HostKeyRefusedError, HostKeyRevokedError } from '../../../electron/core/ssh/known-hosts-verify';
import { SessionManager, type Hop, type Target } from '../../../electron/core/ssh/sessions/index';
import { SoftSkSigner } from '../../support/soft-sk';
import { jumpAndDevice, sessionInteraction, tempDir } from '../../support/sessions';
import { waitClosed } from '../../support/sessions-sshd';

test('host keys: hashed known entry, mismatch hard stop, revoked, unknown prompt answers', async (t) => {
  const { key, jump, device } = await jumpAndDevice(t, '127.0.0.8');
  const dir = tempDir(t, 'nbg-hk-');
  const keyPart = (pub: string) => pub.split(' ').slice(0, 2).join(' ');
  const otherKey = path.join(dir, 'other');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
  const other = keyPart(readFileSync(`${otherKey}.pub`, 'utf8'));

  const userFile = path.join(dir, 'user_known_hosts');
  const managed = path.join(dir, 'app_known_hosts');
  const audit = await AuditLog.open({ file: path.join(dir, 'audit.jsonl') });
  t.after(() => audit.close());
  const interaction = sessionInteraction();
  const signer = new SoftSkSigner([key]);
  const manager = new SessionManager({ interaction, signer, audit, hostKeys: { store: new KnownHostsStore({ readOnly: [userFile], managed }), policy: 'ask' } });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
  const target: Target = { name: 'leaf-03', user: device.user, host: device.host, port: device.port };
  const connectOnce = async () => {
    const s = await manager.connect(target, chain, { command: 'true' });
    await waitClosed(s); // the jump connection goes with it, so the next connect checks the jump again
  };

  // Both keys known, written by stock tooling and hashed by ssh-keygen -H: no prompt at all.
  writeFileSync(userFile, `[127.0.0.2]:${jump.port} ${keyPart(jump.hostKeyPub)}\n[127.0.0.8]:${device.port} ${keyPart(device.hostKeyPub)}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', userFile], { stdio: 'ignore' });
  await connectOnce();
  assert.equal(interaction.hostKeys.length, 0);
  assert.equal(signer.requests.length, 2);

  // The jump's key changed: hard stop at the jump, acknowledged only, nothing signed.
  writeFileSync(userFile, `[127.0.0.2]:${jump.port} ${other}\n`);
  await assert.rejects(connectOnce(), HostKeyMismatchError);
  assert.equal(interaction.mismatches.length, 1);
  assert.equal(interaction.mismatches[0]?.fingerprint, jump.hostKeyFingerprint);
  assert.equal(interaction.mismatches[0]?.source, `${userFile}:1`);
  assert.equal(interaction.mismatches[0]?.context.hop, 'jump-01');
  assert.equal(signer.requests.length, 2, 'no signature after a mismatch');
  assert.equal(interaction.hostKeys.length, 0, 'a mismatch never turns into a trust prompt');

  // @revoked key: refused without a prompt.
  writeFileSync(userFile, `@revoked * ${keyPart(jump.hostKeyPub)}\n`);
  await assert.rejects(connectOnce(), HostKeyRevokedError);
  assert.equal(interaction.hostKeys.length, 0);

  // Unknown keys: refuse stops; trust-once connects without writing; trust-always writes the managed file.
  writeFileSync(userFile, '');
  interaction.hostKeyAnswer = 'refuse';
  await assert.rejects(connectOnce(), HostKeyRefusedError);
  interaction.hostKeyAnswer = 'trust-once';
  await connectOnce();
  assert.throws(() => readFileSync(managed));
  interaction.hostKeyAnswer = 'trust-always';
  await connectOnce();
  const asked = interaction.hostKeys.length;
  await connectOnce();
  assert.equal(interaction.hostKeys.length, asked, 'trusted-always keys are known next time');
  assert.match(execFileSync('ssh-keygen', ['-F', `[127.0.0.8]:${device.port}`, '-f', managed], { encoding: 'utf8' }), /found/);
  assert.deepEqual(interaction.hostKeys.map((q) => q.fingerprint).slice(0, 1), [jump.hostKeyFingerprint]);

  const { entries, ok } = await verifyAuditLog(audit.file);
  assert.equal(ok, true);
  const decisions = entries.flatMap((e) => (e.type === 'host-key' ? [e.decision] : []));
  assert.deepEqual(decisions, ['mismatch', 'refuse', 'refuse', 'trust-once', 'trust-once', 'trust-always', 'trust-always']);
});
