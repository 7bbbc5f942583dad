// `nbg audit verify --remote`: the checkpoints forwarded to Azure Monitor (the Logs Ingestion fake,
// read back through its Log Analytics Query API) catch each tampering case even where the local
// key store does not help (here there is none: the log is unkeyed).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AuditLog } from '../../../electron/core/audit/index';
import { rechain, type ForgedEntry } from '../../support/audit-forgery';
import { startFakeLogsIngestion } from '../../support/fake-azure/logs-ingestion';
import { nbg } from '../../support/nbg';

const FP = `SHA256:${'Q'.repeat(42)}E`;

type Entry = ForgedEntry;

test('verify --remote detects rewrite + head, cut tail + head, delete + rehash, a deleted log and a deleted folder', async (t) => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-remote-'));
  const ingestion = await startFakeLogsIngestion();
  t.after(async () => {
    await ingestion.close();
    await fs.rm(home, { recursive: true, force: true });
  });
  await fs.writeFile(path.join(home, 'ca.pem'), ingestion.pki.caPem);
  await fs.writeFile(path.join(home, 'settings.json'), JSON.stringify({
    version: 1,
    auditForward: { azureMonitor: { endpoint: ingestion.endpoint, ruleId: ingestion.ruleId, stream: ingestion.stream, workspaceId: ingestion.workspaceId, queryEndpoint: `${ingestion.endpoint}/v1/workspaces` } },
  }));
  // No session bus: no OS key store, so only the remote copy can tell.
  const env = {
    NBG_HOME: home, NODE_EXTRA_CA_CERTS: path.join(home, 'ca.pem'), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
    NBG_ARM_TOKEN: 'arm', NBG_MONITOR_TOKEN: ingestion.token, NBG_LOG_ANALYTICS_TOKEN: ingestion.queryToken,
  };
  const file = path.join(home, 'audit', 'audit.jsonl');
  const log = await AuditLog.open({ file });
  for (let i = 1; i <= 5; i++) await log.append({ type: 'sign', keyFingerprint: FP, purpose: `hop ${i}`, flags: 5, counter: i });
  await log.close();
  const forwarded = await nbg(['audit', 'forward'], { env });
  assert.equal(forwarded.code, 0, forwarded.stdout + forwarded.stderr);
  const pristine = await fs.readFile(file, 'utf8');
  const entries = () => pristine.trim().split('\n').map((l) => JSON.parse(l) as Entry);

  const ok = await nbg(['audit', 'verify', '--remote', '--json'], { env });
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal((JSON.parse(ok.stdout) as { remote: { seq: number } }).remote.seq, 5);

  const cases: [string, () => Promise<void>, string[]][] = [
    ['rewrite + head', async () => {
      const c = rechain(entries().map((e) => (e.seq === 2 ? { ...e, purpose: 'nothing to see' } : e)));
      await fs.writeFile(file, c.log);
      await fs.writeFile(`${file}.head`, c.head);
    }, ['forged']],
    ['cut tail + head', async () => {
      const c = rechain(entries().slice(0, 3));
      await fs.writeFile(file, c.log);
      await fs.writeFile(`${file}.head`, c.head);
    }, ['truncated']],
    ['delete + rehash', async () => {
      const c = rechain(entries().filter((e) => e.seq !== 3));
      await fs.writeFile(file, c.log);
      await fs.writeFile(`${file}.head`, c.head);
    }, ['truncated']],
    ['delete the log', async () => {
      await fs.rm(file);
      await fs.rm(`${file}.head`);
    }, ['missing']],
    ['delete the folder', async () => {
      await fs.rm(path.dirname(file), { recursive: true });
    }, ['missing']],
  ];
  for (const [name, tamper, kinds] of cases) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, pristine);
    await tamper();
    // Without --remote, and without a key store, the forgery passes: the point of the remote copy.
    const local = await nbg(['audit', 'verify', '--json'], { env });
    if (!kinds.includes('missing')) assert.equal(local.code, 0, `${name}: passes locally without a key store`);
    const r = await nbg(['audit', 'verify', '--remote', '--json'], { env });
    assert.equal(r.code, 1, `${name}: ${r.stdout}`);
    assert.deepEqual((JSON.parse(r.stdout) as { problems: { kind: string }[] }).problems.map((p) => p.kind), kinds, name);
  }
});
