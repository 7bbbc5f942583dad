// Audit forwarding to the three places a security team looks: a real rsyslog over TLS, the Logs
// Ingestion fake (spec-shaped), and an HTTPS webhook that checks the HMAC. Entries written while
// all three are down wait in the log and go out after a restart of the forwarder; every entry
// arrives once under its stable id, followed by a checkpoint of the chain head.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../electron/core/audit/index';
import { secretAnchorStore } from '../../../electron/core/audit/anchor';
import { AuditForwarder } from '../../../electron/core/audit/forward/forwarder';
import { batchesOf, logsIngestionSink, MAX_BATCH_BYTES } from '../../../electron/core/audit/forward/logs-ingestion-sink';
import type { ForwardRecord } from '../../../electron/core/audit/forward/record';
import { syslogTlsSink } from '../../../electron/core/audit/forward/syslog-sink';
import { webhookSink } from '../../../electron/core/audit/forward/webhook-sink';
import { osSecretStore } from '../../../electron/core/auth/os-key-store';
import { createTransport } from '../../../electron/core/net/transport';
import { startFakeLogsIngestion } from '../../support/fake-azure/logs-ingestion';
import { startTestKeyring } from '../../support/os-keyring';
import { startRsyslog, type TestRsyslog } from '../../support/rsyslog';
import { startWebhookReceiver } from '../../support/webhook-receiver';
import { nbg } from '../../support/nbg';

const FP = `SHA256:${'Q'.repeat(42)}E`;
const CONTEXT = { computer: 'ops-laptop-7', osUser: 'opsuser' };

/** The `id` structured-data parameter of each RFC 5424 message rsyslog wrote. */
const syslogIds = (lines: string[]) => lines.map((l) => /\[nbg@32473 id="([^"]+)"/.exec(l)?.[1] ?? `unparsed: ${l}`);

test('events reach rsyslog (TLS), Logs Ingestion and a signed webhook, also after a period offline: none lost, none duplicated', async (t) => {
  const keyring = await startTestKeyring();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-forward-'));
  const secret = Buffer.from('webhook-shared-secret-for-the-test');
  const ingestion = await startFakeLogsIngestion();
  const hook = await startWebhookReceiver(secret);
  let syslog: TestRsyslog = await startRsyslog();
  t.after(async () => {
    await syslog.stop();
    await ingestion.close();
    await hook.close();
    await keyring.stop();
    await fs.rm(root, { recursive: true, force: true });
  });
  const logFile = path.join(root, 'audit', 'audit.jsonl');
  const stateFile = path.join(root, 'audit-forward.json');
  const anchors = secretAnchorStore(osSecretStore('audit-anchor', root, keyring.env));
  const transport = createTransport({ extraCaPem: `${ingestion.pki.caPem}\n${hook.pki.caPem}` });
  /** A forwarder as a fresh process builds it: nothing carried over but the files. */
  const forwarder = () => new AuditForwarder({
    logFile, stateFile, context: CONTEXT,
    sinks: [
      syslogTlsSink({ host: '127.0.0.1', port: syslog.port, caPem: syslog.caPem }),
      logsIngestionSink({ endpoint: ingestion.endpoint, ruleId: ingestion.ruleId, stream: ingestion.stream, transport, token: async () => ingestion.token }),
      webhookSink({ url: hook.url, secret, transport }),
    ],
  });
  const write = async (from: number, n: number) => {
    const log = await AuditLog.open({ file: logFile, anchors });
    for (let i = from; i < from + n; i++) {
      if (i === 1) await log.append({ type: 'sign-in', account: 'op@contoso.com', outcome: 'ok' });
      else await log.append({ type: 'sign', keyFingerprint: FP, purpose: 'sign in to leaf-02', hop: `leaf-0${i % 3}`, flags: 5, counter: i });
    }
    await log.close();
  };

  await write(1, 5);
  let status = await forwarder().deliver();
  assert.deepEqual(status.map((s) => [s.sink, s.delivered, s.pending, s.lastError]), [['syslog', 5, 0, undefined], ['azure-monitor', 5, 0, undefined], ['webhook', 5, 0, undefined]]);
  const firstSyslog = await syslog.waitFor(6);

  // Offline: the collector stops, the endpoints answer 503. Entries keep being written, nothing blocks.
  await syslog.stop();
  ingestion.down = true;
  hook.down = true;
  await write(6, 4);
  status = await forwarder().deliver();
  for (const s of status) {
    assert.equal(s.delivered, 0);
    assert.equal(s.pending, 4);
    assert.ok(s.lastError, `${s.sink} reports why`);
  }
  await write(10, 2);

  // Back online (a new collector on a new port), and a new forwarder, as after a restart.
  syslog = await startRsyslog();
  ingestion.down = false;
  hook.down = false;
  status = await forwarder().deliver();
  assert.deepEqual(status.map((s) => [s.sink, s.delivered, s.pending, s.deliveredSeq, s.lastError]),
    [['syslog', 6, 0, 11, undefined], ['azure-monitor', 6, 0, 11, undefined], ['webhook', 6, 0, 11, undefined]]);
  // Nothing new: nothing sent again.
  status = await forwarder().deliver();
  assert.deepEqual(status.map((s) => s.delivered), [0, 0, 0]);

  const secondSyslog = await syslog.waitFor(7);
  const log = (await fs.readFile(logFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string; mac: string });
  const ids = log.map((e) => e.hash);
  const checkpoints = [`checkpoint:5:${log[4]?.hash}`, `checkpoint:11:${log[10]?.hash}`];
  const expected = [...ids.slice(0, 5), checkpoints[0], ...ids.slice(5), checkpoints[1]];
  assert.deepEqual(syslogIds([...firstSyslog, ...secondSyslog]), expected, 'rsyslog received each id once, in order');
  assert.deepEqual(ingestion.rows.map((r) => r.EventId), expected, 'Logs Ingestion rows');
  assert.deepEqual(hook.records.map((r) => r.EventId), expected, 'webhook records');
  assert.equal(hook.rejected, 0);

  // What a row says: the custom table's columns, the operator from the sign-in, the chain head's MAC on the checkpoint.
  const row = ingestion.rows[2] as unknown as ForwardRecord;
  assert.equal(row.Operator, 'op@contoso.com');
  assert.equal(row.Computer, 'ops-laptop-7');
  assert.equal(row.EventType, 'sign');
  assert.equal(row.Device, 'leaf-00');
  assert.match(row.Text, /^The security key signed for sign in to leaf-02 on leaf-00; signature counter 3\.$/);
  const cp = ingestion.rows.at(-1) as unknown as ForwardRecord;
  assert.deepEqual([cp.Kind, cp.Seq, cp.ChainHash, cp.ChainMac], ['checkpoint', 11, log[10]?.hash, log[10]?.mac]);
  assert.match(secondSyslog.at(-1) ?? '', /^<86>1 \S+ ops-laptop-7 nbg \d+ checkpoint \[nbg@32473 id="checkpoint:11:/);
  assert.match(firstSyslog[1] ?? '', /^<85>1 \S+ ops-laptop-7 nbg \d+ sign \[nbg@32473 [^\]]*\] \u{FEFF}The security key signed/u);
});

test('Logs Ingestion: batches stay under 1 MB, a 413 halves the batch, a 429 waits for Retry-After', async (t) => {
  const small = await startFakeLogsIngestion({ maxBytes: 4096 });
  const full = await startFakeLogsIngestion();
  t.after(async () => { await small.close(); await full.close(); });
  const record = (i: number): ForwardRecord => ({
    TimeGenerated: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), EventId: `id-${i}`, Seq: i, Kind: 'event', EventType: 'sign', Outcome: 'ok',
    Operator: 'op@contoso.com', Device: 'leaf-02', Computer: 'pc', Text: `${'x'.repeat(400)} ${i}`, ChainHash: 'h'.repeat(64), ChainMac: 'm'.repeat(64),
  });
  const records = Array.from({ length: 2500 }, (_, i) => record(i + 1));
  const batches = batchesOf(records);
  assert.ok(batches.length >= 2);
  for (const b of batches) assert.ok(Buffer.byteLength(JSON.stringify(b)) <= MAX_BATCH_BYTES);

  const waits: number[] = [];
  const sinkFor = (f: typeof full) => logsIngestionSink({
    endpoint: f.endpoint, ruleId: f.ruleId, stream: f.stream, transport: createTransport({ extraCaPem: f.pki.caPem }),
    token: async () => f.token, sleep: async (ms) => { waits.push(ms); },
  });
  full.throttle(2, 7);
  await sinkFor(full).send(records);
  assert.deepEqual(full.rows.map((r) => r.EventId), records.map((r) => r.EventId));
  assert.deepEqual(waits, [7000, 7000]);
  assert.deepEqual(full.statuses.slice(0, 2), [429, 429]);
  assert.ok(full.sizes.every((s) => s <= MAX_BATCH_BYTES), `sizes ${full.sizes.join(',')}`);
  assert.equal(full.statuses.filter((s) => s === 204).length, batches.length);

  await sinkFor(small).send(records.slice(0, 40));
  assert.deepEqual(small.rows.map((r) => r.EventId), records.slice(0, 40).map((r) => r.EventId));
  assert.ok(small.statuses.includes(413), 'the fake refused the first, too large body');
  assert.equal(small.statuses.at(-1), 204);
});

test('nbg audit forward: sinks from settings.json, the webhook secret in the OS key store, status after', async (t) => {
  const keyring = await startTestKeyring();
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-forward-cli-'));
  const ingestion = await startFakeLogsIngestion();
  const secret = 'a-webhook-secret-of-enough-length';
  const hook = await startWebhookReceiver(Buffer.from(secret));
  const syslog = await startRsyslog();
  t.after(async () => {
    await syslog.stop();
    await ingestion.close();
    await hook.close();
    await keyring.stop();
    await fs.rm(home, { recursive: true, force: true });
  });
  await fs.writeFile(path.join(home, 'syslog-ca.pem'), syslog.caPem);
  await fs.writeFile(path.join(home, 'https-ca.pem'), `${ingestion.pki.caPem}\n${hook.pki.caPem}`);
  await fs.writeFile(path.join(home, 'settings.json'), JSON.stringify({
    version: 1,
    auditForward: {
      syslog: { host: '127.0.0.1', port: syslog.port, caFile: path.join(home, 'syslog-ca.pem') },
      azureMonitor: { endpoint: ingestion.endpoint, ruleId: ingestion.ruleId, stream: ingestion.stream },
      webhook: { url: hook.url },
    },
  }));
  const env = {
    ...keyring.env, NBG_HOME: home, NODE_EXTRA_CA_CERTS: path.join(home, 'https-ca.pem'),
    NBG_ARM_TOKEN: 'arm-token', NBG_MONITOR_TOKEN: ingestion.token,
  };
  const anchors = secretAnchorStore(osSecretStore('audit-anchor', home, keyring.env));
  const log = await AuditLog.open({ file: path.join(home, 'audit', 'audit.jsonl'), anchors });
  await log.append({ type: 'sign-in', account: 'op@contoso.com', outcome: 'ok' });
  await log.append({ type: 'connect-attempt', connectionId: 'c1', target: 'leaf-02', hops: [{ user: 'op', host: '10.0.0.1', name: 'jump-01', port: 22 }], path: 'primary' });
  await log.close();

  let r = await nbg(['audit', 'forward', '--webhook-secret-stdin'], { env, stdin: `${secret}\n` });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^syslog: sent 2, 0 waiting, has up to entry 2\nazure-monitor: sent 2, 0 waiting, has up to entry 2\nwebhook: sent 2, 0 waiting, has up to entry 2\n$/);
  assert.equal((await syslog.waitFor(3)).length, 3);
  assert.equal(ingestion.rows.length, 3);
  assert.equal(hook.records.length, 3);
  assert.equal(hook.rejected, 0);
  r = await nbg(['audit', 'forward', '--status', '--json'], { env });
  assert.deepEqual((JSON.parse(r.stdout) as { pending: number }[]).map((s) => s.pending), [0, 0, 0]);
  // The secret went to the key store, not to a file under the app home.
  for (const f of await fs.readdir(home, { recursive: true })) {
    const stat = await fs.stat(path.join(home, f));
    if (stat.isFile()) assert.ok(!(await fs.readFile(path.join(home, f), 'utf8')).includes(secret), `${f} holds the secret`);
  }
});
