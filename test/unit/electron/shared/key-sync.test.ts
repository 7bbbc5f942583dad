import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clockText, elapsedText, syncPassed, syncSentence, syncWindow } from '../../../../electron/shared/key-sync';

const MIN = 60_000;
// Local times, so the expected wall clock holds in any time zone.
const at = (h: number, m: number, day = 3) => new Date(2026, 11, day, h, m).getTime();

describe('key sync window', () => {
  it('says how long ago in whole minutes', () => {
    assert.equal(elapsedText(20_000), 'less than a minute');
    assert.equal(elapsedText(35 * MIN + 59_000), '35 min');
    assert.equal(elapsedText(80 * MIN), '1 h 20 min');
    assert.equal(elapsedText(120 * MIN), '2 h');
    assert.equal(elapsedText((3 * 24 + 2) * 60 * MIN), '3 d 2 h');
    assert.equal(elapsedText(-5 * MIN), 'less than a minute', 'a clock that went back is not negative time');
  });

  it('expects the key 4 hours after the upload, by the local clock', () => {
    const w = syncWindow(at(10, 32));
    assert.equal(w.expectBy, at(14, 32));
    const now = at(11, 52);
    assert.equal(syncSentence(w, now), 'uploaded 1 h 20 min ago — devices pick it up within 4 hours; expect it by 14:32');
    assert.equal(syncPassed(w, now), false);
  });

  it('names the day when the sync falls on another one, and says when it has run', () => {
    const w = syncWindow(at(22, 10));
    assert.match(syncSentence(w, at(23, 0)), /expect it by 4 Dec 02:10$/);
    assert.equal(clockText(at(2, 10, 4), at(2, 0, 4)), '02:10');
    assert.equal(syncSentence(w, at(3, 0, 4)), 'uploaded 4 h 50 min ago — devices pick it up within 4 hours; the sync has run since');
    assert.equal(syncPassed(w, at(2, 10, 4)), true);
  });
});
