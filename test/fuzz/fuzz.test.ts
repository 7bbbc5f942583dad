import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport, runFuzz } from './engine';

const ITERATIONS = 100_000;

test(`seeded fuzz: ${ITERATIONS} mutated CTAPHID frames and CBOR replies end in a value or a typed NbgError`, async (t) => {
  const report = await runFuzz({ iterations: ITERATIONS, seed: 0x5eed });
  const text = formatReport(report);
  console.log(text);
  t.diagnostic(text.split('\n')[0] ?? '');
  assert.equal(report.failureCount, 0, text);
  assert.equal(report.cases, ITERATIONS);
  // Every target must see both outcomes: valid seeds get through, mutations get caught.
  for (const [name, s] of Object.entries(report.byTarget)) {
    assert.ok(s.accepted > 0 && s.rejected > 0, `${name}: ${s.accepted} accepted, ${s.rejected} rejected`);
  }
  assert.equal(Object.keys(report.byTarget).length, 14, 'all parsers and CTAPHID paths were exercised');
});

test('the same seed gives the same cases', async () => {
  const a = await runFuzz({ iterations: 2_000, seed: 42 });
  const b = await runFuzz({ iterations: 2_000, seed: 42 });
  assert.deepEqual(a.byTarget, b.byTarget);
  assert.deepEqual(a.errorCodes, b.errorCodes);
});
