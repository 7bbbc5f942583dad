import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PromptBroker, PromptAnswerMismatchError, PromptNotFoundError } from '../../../../../electron/core/prompts/broker';
import { Prompt } from '../../../../../electron/shared/prompts';
import type { Prompt as PromptT } from '../../../../../electron/shared/prompts';

const ctx = (hop: string) => ({ purpose: 'sign in', hop });

function record(broker: PromptBroker): (PromptT | null)[] {
  const seen: (PromptT | null)[] = [];
  broker.onChange((p) => seen.push(p));
  return seen;
}

test('shows one prompt at a time, in order, with the queue length and a schema-valid shape', async () => {
  const broker = new PromptBroker({ now: () => 1_000 });
  const first = broker.pin({ context: ctx('leaf-01 via jump-01'), retriesLeft: 8, previousWrong: false });
  const second = broker.pin({ context: ctx('leaf-02 via jump-01'), retriesLeft: 7, previousWrong: true });
  const visible = broker.current();
  assert.ok(visible);
  Prompt.parse(visible);
  assert.equal(visible.kind, 'pin');
  assert.equal(visible.hop, 'leaf-01 via jump-01');
  assert.equal(visible.queued, 1);
  assert.equal(visible.deadline, 1_000 + 120_000);
  assert.throws(() => broker.answer('not-an-id', { kind: 'pin', pin: '123456' }), PromptNotFoundError);
  broker.answer(visible.id, { kind: 'pin', pin: '123456' });
  assert.equal(await first, '123456');
  const next = broker.current();
  assert.ok(next && next.kind === 'pin');
  assert.equal(next.hop, 'leaf-02 via jump-01');
  assert.equal(next.retriesLeft, 7);
  assert.equal(next.previousWrong, true);
  assert.equal(next.queued, 0);
  broker.cancel(next.id);
  assert.equal(await second, null);
  assert.equal(broker.current(), null);
});

test('a queued prompt cannot be answered before it is visible, but can be cancelled', async () => {
  const broker = new PromptBroker();
  const a = broker.confirmSign({ keyFingerprint: 'SHA256:x', origin: 'local ssh client', context: ctx('a') });
  const b = broker.password({ user: 'admin', host: 'leaf', prompt: 'Password:', context: ctx('b') });
  const seen = record(broker);
  const head = broker.current();
  assert.ok(head);
  assert.throws(() => broker.answer('x', { kind: 'password', password: 'p' }), PromptNotFoundError);
  const c = broker.confirmSign({ keyFingerprint: 'SHA256:y', origin: 'x', context: ctx('c') });
  assert.equal(seen.at(-1)?.id, head.id, 'the visible prompt stays the same');
  assert.equal(seen.at(-1)?.queued, 2);
  broker.cancelAll();
  assert.equal(await a, false);
  assert.equal(await b, null);
  assert.equal(await c, false);
  assert.equal(broker.current(), null);
});

test('an answer of the wrong kind is refused and the prompt stays open', async () => {
  const broker = new PromptBroker();
  const decision = broker.hostKey({ host: '127.0.0.2', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', context: ctx('jump') });
  const p = broker.current();
  assert.ok(p);
  assert.throws(() => broker.answer(p.id, { kind: 'pin', pin: '1234' }), PromptAnswerMismatchError);
  assert.throws(() => broker.answer(p.id, { kind: 'host-key', decision: 'acknowledge' }), PromptAnswerMismatchError);
  broker.answer(p.id, { kind: 'host-key', decision: 'trust-always' });
  assert.equal(await decision, 'trust-always');
});

test('a host-key mismatch is a hard stop: only an acknowledgement closes it', async () => {
  const broker = new PromptBroker();
  const done = broker.hostKeyMismatch({ host: 'leaf', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:new',
    expected: ['SHA256:old'], source: 'known_hosts:3', context: ctx('leaf') });
  const p = broker.current();
  assert.ok(p && p.kind === 'host-key');
  assert.deepEqual(p.mismatch, { expected: ['SHA256:old'], source: 'known_hosts:3' });
  for (const decision of ['trust-once', 'trust-always', 'refuse'] as const) {
    assert.throws(() => broker.answer(p.id, { kind: 'host-key', decision }), PromptAnswerMismatchError);
  }
  broker.answer(p.id, { kind: 'host-key', decision: 'acknowledge' });
  await done;
});

test('select-key accepts only one of the offered keys', async () => {
  const broker = new PromptBroker();
  const choice = broker.selectKey([{ id: 'hid-1', label: 'YubiKey 5' }, { id: 'hid-2', label: 'YubiKey 5C' }], { purpose: 'create your key' });
  const p = broker.current();
  assert.ok(p && p.kind === 'select-key');
  assert.equal(p.hop, undefined);
  assert.throws(() => broker.answer(p.id, { kind: 'select-key', keyId: 'hid-9' }), PromptAnswerMismatchError);
  broker.answer(p.id, { kind: 'select-key', keyId: 'hid-2' });
  assert.equal(await choice, 'hid-2');
});

test('touch: closing the prompt cancels down to the key; the key finishing closes the prompt', () => {
  const broker = new PromptBroker();
  let cancelled = 0;
  const done = broker.touch(ctx('leaf'), () => { cancelled++; });
  const p = broker.current();
  assert.ok(p && p.kind === 'touch');
  assert.throws(() => broker.answer(p.id, { kind: 'confirm', approve: true }), PromptAnswerMismatchError);
  broker.cancel(p.id);
  assert.equal(cancelled, 1);
  assert.equal(broker.current(), null);
  done(); // the operation ends after the cancel: must not throw or cancel twice
  assert.equal(cancelled, 1);

  const done2 = broker.touch(ctx('leaf'), () => { cancelled++; });
  assert.equal(broker.current()?.kind, 'touch');
  done2();
  assert.equal(broker.current(), null);
  assert.equal(cancelled, 1);
});

test('overwrite-key and generic confirmations map to their own kinds', async () => {
  const broker = new PromptBroker();
  const over = broker.confirm({ kind: 'overwrite-key', message: 'Replace ~/.ssh/id_ed25519_sk?', context: { purpose: 'create your key' } });
  const p = broker.current();
  assert.ok(p && p.kind === 'overwrite-key');
  assert.throws(() => broker.answer(p.id, { kind: 'confirm', approve: true }), PromptAnswerMismatchError);
  broker.answer(p.id, { kind: 'overwrite-key', approve: true });
  assert.equal(await over, true);
  const other = broker.confirm({ kind: 'set-pin', message: 'This key has no PIN. Set one now?', context: { purpose: 'create your key' } });
  const q = broker.current();
  assert.ok(q && q.kind === 'confirm');
  assert.equal(q.question, 'set-pin');
  broker.answer(q.id, { kind: 'confirm', approve: false });
  assert.equal(await other, false);
});

test('a prompt nobody answers cancels itself at its deadline, then the next one becomes visible', async () => {
  const broker = new PromptBroker({ timeoutsMs: { touch: 20, pin: 60_000 } });
  let cancelled = false;
  const seen = record(broker);
  const end = new Promise<void>((resolve) => {
    broker.touch(ctx('jump'), () => { cancelled = true; resolve(); });
  });
  const pin = broker.pin({ context: ctx('leaf'), retriesLeft: 3, previousWrong: false });
  await end;
  assert.equal(cancelled, true);
  const p = broker.current();
  assert.ok(p && p.kind === 'pin');
  broker.answer(p.id, { kind: 'pin', pin: '654321' });
  assert.equal(await pin, '654321');
  assert.ok(!JSON.stringify(seen).includes('654321'), 'a PIN never appears in a prompt');
});
