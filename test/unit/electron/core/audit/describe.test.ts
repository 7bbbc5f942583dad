import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditEventLabel, describeAuditEntry, type AuditEntry } from '../../../../../electron/core/audit/index';

const chain = { v: 1, seq: 7, ts: '2026-12-03T17:41:51.000Z', prev: 'a'.repeat(64), hash: 'b'.repeat(64) };

test('an entry reads as operator words: a label for its kind and one sentence, no key=value', () => {
  const e = { ...chain, type: 'key-management', action: 'change-pin', outcome: 'failed', error: { code: 'PIN_INVALID', message: 'wrong PIN' } } as AuditEntry;
  assert.equal(auditEventLabel(e), 'Key management');
  assert.equal(describeAuditEntry(e), 'Changing the PIN failed: wrong PIN.');
  const refused = { ...chain, type: 'agent-refusal', origin: 'ssh-agent socket client #3', reason: 'client-gone' } as AuditEntry;
  assert.equal(auditEventLabel(refused), 'Agent refusal');
  assert.equal(describeAuditEntry(refused), 'The agent refused ssh-agent socket client #3: a request whose client had already left.');
  for (const text of [auditEventLabel(e), describeAuditEntry(e), describeAuditEntry(refused)]) assert.doesNotMatch(text, /\w=\w|[{}]/);
});
