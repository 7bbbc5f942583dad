import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { verifyAuditLog } from '../../../../../electron/core/audit/index';
import { chainStatus, forwardingStatus } from '../../../../../electron/core/audit/audit-status';
import { forwardErrorText } from '../../../../../electron/core/audit/forward/forward-error';
import { TransportError } from '../../../../../electron/core/net/transport';
import { writeFixtureLog } from './audit-fixture';

let dir: string;
let file: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-status-'));
  file = await writeFixtureLog(dir);
});
after(() => fs.rm(dir, { recursive: true, force: true }));

test('chain: intact but unkeyed says so and what it means; an edited entry is "broken at" that entry with what to do', async () => {
  const intact = chainStatus(await verifyAuditLog(file));
  assert.deepEqual({ ...intact, advice: undefined }, { state: 'intact', entries: 9, problems: 0, unkeyed: 9, advice: undefined });
  assert.match(intact.advice ?? '', /only hash-chained/);
  const lines = (await fs.readFile(file, 'utf8')).split('\n');
  lines[3] = (lines[3] ?? '').replace('"bytesIn":10', '"bytesIn":99');
  const tampered = path.join(dir, 'tampered.jsonl');
  await fs.writeFile(tampered, lines.join('\n'));
  await fs.copyFile(`${file}.head`, `${tampered}.head`);
  const broken = chainStatus(await verifyAuditLog(tampered));
  assert.equal(broken.state, 'broken');
  assert.deepEqual(broken.brokenAt, { seq: 4, line: 4 });
  assert.match(broken.problem ?? '', /^The content does not match its hash\.$/);
  assert.match(broken.advice ?? '', /export it as JSONL.*nbg audit verify --remote/);
  assert.equal(chainStatus(await verifyAuditLog(path.join(dir, 'none.jsonl'))).state, 'empty');
});

test('forwarding: each sink configured or not, current, waiting, failing (with the error in words) or diverged; a webhook shows only its origin', async () => {
  const { entries } = await verifyAuditLog(file);
  const at = (seq: number) => entries.find((e) => e.seq === seq)?.hash ?? '';
  const config = { intervalSeconds: 300, syslog: { host: '10.1.1.1', port: 6514 }, webhook: { url: 'https://hooks.example.com/services/T0/B0/SECRET-TOKEN' } };
  const state = {
    v: 1 as const, sinks: {
      syslog: { seq: 9, hash: at(9), deliveredAt: '2026-12-01T08:01:00.000Z', lastTriedAt: '2026-12-01T08:01:00.000Z' },
      webhook: { seq: 4, hash: at(4), deliveredAt: '2026-12-01T03:01:00.000Z', lastTriedAt: '2026-12-01T08:01:00.000Z', lastError: 'nothing answered at the receiver\'s address (ECONNREFUSED)' },
    },
  };
  const [syslog, monitor, webhook] = forwardingStatus(config, state, entries);
  assert.deepEqual(syslog, { sink: 'syslog', configured: true, destination: '10.1.1.1:6514', state: 'current', deliveredSeq: 9, pending: 0, deliveredAt: '2026-12-01T08:01:00.000Z', lastTriedAt: '2026-12-01T08:01:00.000Z' });
  assert.deepEqual(monitor, { sink: 'azure-monitor', configured: false, state: 'not-configured', deliveredSeq: 0, pending: 0 });
  assert.equal(webhook?.destination, 'https://hooks.example.com');
  assert.ok(!JSON.stringify(webhook).includes('SECRET'), 'the webhook path (a token, often) is not shown');
  assert.deepEqual([webhook?.state, webhook?.pending, webhook?.deliveredSeq], ['failing', 5, 4]);
  assert.match(webhook?.advice ?? '', /Nothing is lost: 5 entries wait.*nbg audit forward/);

  const waiting = forwardingStatus(config, { v: 1, sinks: { syslog: { seq: 7, hash: at(7) } } }, entries)[0];
  assert.deepEqual([waiting?.state, waiting?.pending], ['waiting', 2]);
  assert.match(waiting?.advice ?? '', /next delivery \(every 5 min/);
  const diverged = forwardingStatus(config, { v: 1, sinks: { syslog: { seq: 7, hash: 'f'.repeat(64) } } }, entries)[0];
  assert.equal(diverged?.state, 'diverged');
  assert.match(diverged?.advice ?? '', /changed after it was sent.*verify --remote/);
  assert.deepEqual(forwardingStatus(undefined, { v: 1, sinks: {} }, entries).map((s) => s.state), ['not-configured', 'not-configured', 'not-configured']);
});

test('delivery errors in words: Node codes (also as a transport error\'s cause), HTTP statuses, anything else as it is', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6514'), { code: 'ECONNREFUSED' });
  assert.equal(forwardErrorText(refused), 'nothing answered at the receiver\'s address: it is down, or the host or port is wrong (ECONNREFUSED)');
  assert.match(forwardErrorText(new TransportError('network', 'self-signed certificate', { cause: Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) })), /self-signed and not trusted/);
  assert.equal(forwardErrorText(new Error('the audit webhook answered HTTP 503')), 'the audit webhook answered HTTP 503: the receiver is down or overloaded');
  assert.match(forwardErrorText(new Error('Azure Monitor Logs Ingestion answered HTTP 403')), /does not accept our credentials/);
  assert.equal(forwardErrorText(new Error('something odd\nsecond line')), 'something odd');
});
