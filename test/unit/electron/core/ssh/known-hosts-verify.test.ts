// The host-key decision table, with the real store on temp files and recorded prompts.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEventInput } from '../../../../../electron/core/audit/index';
import { KnownHostsStore } from '../../../../../electron/core/ssh/known-hosts-store';
import { HostKeyMismatchError, HostKeyRefusedError, verifyHostKey } from '../../../../../electron/core/ssh/known-hosts-verify';
import { ScriptedInteraction } from '../../../../support/scripted-interaction';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-hkv-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function hostKey(name: string): { blob: Buffer; line: string } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, name)]);
  const line = readFileSync(path.join(dir, `${name}.pub`), 'utf8').split(' ').slice(0, 2).join(' ');
  return { blob: Buffer.from(line.split(' ')[1]!, 'base64'), line };
}

const context = { purpose: 'sign in to leaf-02 via jump-01', hop: 'leaf-02' };

test('accept-new trusts an unknown key for good without asking, and still refuses a changed one', async () => {
  const k1 = hostKey('k1');
  const k2 = hostKey('k2');
  const managed = path.join(dir, 'accept-new', 'known_hosts');
  const events: AuditEventInput[] = [];
  const interaction = new ScriptedInteraction({ hostKeyAnswer: 'trust-once' });
  const check = { store: new KnownHostsStore({ readOnly: [], managed }), interaction, policy: 'accept-new' as const, audit: { append: async (e: AuditEventInput) => { events.push(e); return e as never; } } };

  assert.deepEqual(await verifyHostKey(check, '127.0.0.3', 2222, k1.blob, context), { fingerprint: execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'k1.pub')], { encoding: 'utf8' }).split(' ')[1], trust: 'trust-always' });
  assert.equal(interaction.hostKeys.length, 0);
  assert.equal(readFileSync(managed, 'utf8'), `[127.0.0.3]:2222 ${k1.line}\n`);
  assert.equal((await verifyHostKey(check, '127.0.0.3', 2222, k1.blob, context)).trust, 'known');

  await assert.rejects(verifyHostKey(check, '127.0.0.3', 2222, k2.blob, context), HostKeyMismatchError);
  assert.equal(interaction.mismatches.length, 1);
  assert.deepEqual(interaction.mismatches[0]?.expected, [events[0]?.type === 'host-key' ? events[0].fingerprint : '']);
  assert.deepEqual(events.map((e) => (e.type === 'host-key' ? e.decision : e.type)), ['trust-always', 'mismatch']);
  assert.equal(readFileSync(managed, 'utf8'), `[127.0.0.3]:2222 ${k1.line}\n`, 'a changed key is never written');
});

test('ask: the person decides; refuse and trust-once write nothing', async () => {
  const k = hostKey('k3');
  const managed = path.join(dir, 'ask', 'known_hosts');
  const interaction = new ScriptedInteraction({ hostKeyAnswer: 'refuse' });
  const check = { store: new KnownHostsStore({ readOnly: [], managed }), interaction, policy: 'ask' as const };
  await assert.rejects(verifyHostKey(check, 'leaf-02', 22, k.blob, context), HostKeyRefusedError);
  interaction.hostKeyAnswer = 'trust-once';
  assert.equal((await verifyHostKey(check, 'leaf-02', 22, k.blob, context)).trust, 'trust-once');
  assert.throws(() => readFileSync(managed));
  assert.deepEqual(interaction.hostKeys.map((q) => [q.host, q.port, q.keyType, q.context.hop]), [
    ['leaf-02', 22, 'ssh-ed25519', 'leaf-02'], ['leaf-02', 22, 'ssh-ed25519', 'leaf-02'],
  ]);
});
