// Issue 18: a prompt belongs to its operation. A "New host key" prompt left open past its login's
// time limit closes with the login (ui:prompt.closed, reason operation-ended); answering it
// afterwards is ignored and cannot end the process (ssh2 used to throw
// "protocol._destruct is not a function" from its teardown path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'ssh2';
import { PromptBroker } from '../../../electron/core/prompts/broker';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts-store';
import { SessionManager } from '../../../electron/core/ssh/sessions/index';
import type { Prompt } from '../../../electron/shared/prompts';
import { startSshd } from '../../support/sshd';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { tempDir } from '../../support/sessions';

const LOGIN_LIMIT_MS = 1500;
const SETTLE_MS = 300;

function escapedErrors(t: { after(fn: () => void): void }): unknown[] {
  const seen: unknown[] = [];
  const record = (err: unknown): void => { seen.push(err); };
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  t.after(() => {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  });
  return seen;
}

test('a host-key prompt whose login timed out closes with it; answering it later is ignored and harmless', async (t) => {
  const key = new SoftSk();
  const device = await startSshd({ authorizedKeys: [key.publicKeyLine] });
  t.after(() => device.stop());
  const dir = tempDir(t, 'nbg-stale-prompt-');
  const knownHosts = path.join(dir, 'known_hosts');
  const broker = new PromptBroker();
  const shown: Prompt[] = [];
  const closed: [string, string][] = [];
  broker.onChange((p) => { if (p) shown.push(p); });
  broker.onClosed((id, reason) => closed.push([id, reason]));
  const escaped = escapedErrors(t);
  const manager = new SessionManager({
    interaction: broker, signer: new SoftSkSigner([key]), timeouts: { authMs: LOGIN_LIMIT_MS },
    hostKeys: { store: new KnownHostsStore({ readOnly: [], managed: knownHosts }), policy: 'ask' },
  });
  t.after(() => manager.closeAll());

  const target = { name: 'leaf-02', user: device.user, host: device.host, port: device.port };
  await assert.rejects(manager.connect(target, []), /did not finish in time|within/);
  const prompt = shown.find((p) => p.kind === 'host-key');
  assert.ok(prompt, 'the new host key was asked about');
  assert.equal(broker.current(), null, 'the prompt went away with its login');
  assert.deepEqual(closed, [[prompt.id, 'operation-ended']]);

  // The operator answers the stale prompt: nothing happens, nothing is trusted, nothing throws.
  broker.answer(prompt.id, { kind: 'host-key', decision: 'trust-always' });
  broker.cancel(prompt.id);
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  assert.deepEqual(escaped, []);
  assert.ok(!existsSync(knownHosts) || !readFileSync(knownHosts, 'utf8').includes(device.hostKeyPub.split(' ')[1]!));

  // The same broker still serves the next login, answered in time.
  const stop = broker.onChange((p) => { if (p?.kind === 'host-key') broker.answer(p.id, { kind: 'host-key', decision: 'trust-once' }); });
  const session = await manager.connect(target, [], { command: 'echo ok' });
  stop();
  assert.equal((await session.whenClosed()).exitCode, 0);
});

test('ssh2: a host key verdict that arrives after the connection was torn down is dropped', async (t) => {
  const device = await startSshd({ authorizedKeys: [] });
  t.after(() => device.stop());
  const escaped = escapedErrors(t);
  for (const verdict of [false, true]) {
    const client = new Client();
    client.on('error', () => undefined);
    let late: ((valid: boolean) => void) | undefined;
    const closed = new Promise<void>((r) => { client.once('close', () => r()); });
    client.connect({
      host: device.host, port: device.port, username: device.user,
      hostVerifier: (_key: Buffer, verify: (valid: boolean) => void) => { late = verify; client.end(); },
    });
    await closed;
    assert.ok(late, 'the host key was offered');
    assert.doesNotThrow(() => late!(verdict));
  }
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  assert.deepEqual(escaped, []);
});
