import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pastedLines } from '../../../../../../renderer/src/features/sessions/PasteConfirm';
import { endReason, type SessionTab } from '../../../../../../renderer/src/features/sessions/tabs';

test('pasted lines: CRLF, CR and LF each end a line; a trailing newline adds no empty line', () => {
  assert.deepEqual(pastedLines('show hostname'), ['show hostname']);
  assert.deepEqual(pastedLines('a\nb\nc\n'), ['a', 'b', 'c']);
  assert.deepEqual(pastedLines('a\r\nb\rc'), ['a', 'b', 'c']);
  assert.deepEqual(pastedLines('a\n\nb'), ['a', '', 'b']);
});

test('the end reason is core\'s, made inert; without one it says who ended the session', () => {
  const tab = (state: 'closed' | 'failed', detail?: string): SessionTab => ({
    key: 'k', detail,
    info: { id: 'k', title: 't', chain: [{ user: 'u', host: 'h', port: 22, label: 'h' }], path: 'primary', method: 'v2.0', recording: false, state, drill: false },
    request: { fabricId: 'f', deviceId: 'd', user: 'u', path: 'primary', method: 'v2.0', cols: 80, rows: 24 },
    role: 'Reader', backupAvailable: false,
  });
  assert.equal(endReason(tab('closed')), 'the device closed the connection');
  assert.equal(endReason(tab('failed')), 'the connection could not be made');
  assert.equal(endReason(tab('failed', 'refused\x1b[2J.')), 'refused\\033[2J');
});
