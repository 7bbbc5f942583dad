import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countText, EMPTY_FORM, filterOf, isFiltered, localToIso } from '../../../../../../renderer/src/features/audit/filters';

const NOW = Date.UTC(2026, 11, 3, 12, 0);

test('presets count back from now; custom times are local; a reversed range is refused', () => {
  assert.deepEqual(filterOf(EMPTY_FORM, NOW), { filter: {} });
  assert.equal(isFiltered(EMPTY_FORM), false);
  assert.deepEqual(filterOf({ ...EMPTY_FORM, range: '1h' }, NOW), { filter: { from: '2026-12-03T11:00:00.000Z' } });
  assert.deepEqual(filterOf({ ...EMPTY_FORM, range: '24h' }, NOW), { filter: { from: '2026-12-02T12:00:00.000Z' } });
  assert.deepEqual(filterOf({ ...EMPTY_FORM, range: '7d', device: ' leaf-01 ', outcome: 'failed' }, NOW),
    { filter: { device: 'leaf-01', outcome: 'failed', from: '2026-11-26T12:00:00.000Z' } });
  const from = '2026-12-01T08:00';
  const to = '2026-12-01T09:30';
  assert.deepEqual(filterOf({ ...EMPTY_FORM, range: 'custom', from, to }, NOW), { filter: { from: new Date(from).toISOString(), to: new Date(new Date(to).getTime() + 59_999).toISOString() } }, 'the end minute is included');
  assert.deepEqual(filterOf({ ...EMPTY_FORM, range: 'custom', from: to, to: from }, NOW), { problem: 'The start of the time range is after its end.' });
  assert.deepEqual(filterOf({ ...EMPTY_FORM, range: 'custom', from }, NOW), { filter: { from: new Date(from).toISOString() } });
  assert.equal(localToIso('not a time'), undefined);
  assert.equal(isFiltered({ ...EMPTY_FORM, operator: 'x' }), true);
});

test('"n of m events", with the page when there are more', () => {
  assert.equal(countText(0, 12, 12, 340, true), '12 of 340 events match the filters, newest first.');
  assert.equal(countText(0, 100, 1200, 1200, false), '1,200 events; showing 1–100, newest first.');
  assert.equal(countText(100, 100, 240, 1200, true), '240 of 1,200 events match the filters; showing 101–200, newest first.');
  assert.equal(countText(0, 0, 0, 340, true), '0 of 340 events match the filters.');
  assert.equal(countText(0, 0, 0, 0, false), 'No events in the log yet.');
});
