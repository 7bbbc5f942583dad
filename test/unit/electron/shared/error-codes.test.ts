import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../../electron/shared/error-codes';

test('every error code value is used by exactly one catalogue entry', () => {
  const values = Object.values(ErrorCode);
  const seen = new Set<string>();
  const repeated = values.filter((v) => seen.size === seen.add(v).size);
  assert.deepEqual(repeated, []);
});

test('each catalogue entry is named after its value, so a code found in a log greps to its entry', () => {
  for (const [name, value] of Object.entries(ErrorCode)) {
    assert.equal(name, value);
    assert.match(value, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  }
});
