// The tampering cases of issue 17, each against `nbg audit verify` with the log anchored in a real
// Secret Service (GNOME Keyring on a private D-Bus, driven by secret-tool, as on an operator's Linux
// machine). The forger has the audit folder, not the key store.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { AuditLog, auditLogPath } from '../../../electron/core/audit/index';
import { secretAnchorStore } from '../../../electron/core/audit/anchor';
import { entryHash } from '../../../electron/core/audit/chain';
import { osSecretStore } from '../../../electron/core/auth/os-key-store';
import { runCli } from '../../../electron/cli/main';
import { captureIo } from '../../support/nbg';
import { startTestKeyring } from '../../support/os-keyring';

const FP = `SHA256:${'Q'.repeat(42)}E`;

interface Report {
  ok: boolean; fresh: boolean; entries: number; unkeyed: number;
  keyed: { store: string; since: number; anchorSeq: number } | null;
  problems: { kind: string; seq?: number; detail: string }[];
}

async function machine(t: TestContext) {
  const keyring = await startTestKeyring();
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-tamper-'));
  t.after(async () => {
    await keyring.stop();
    await fs.rm(home, { recursive: true, force: true });
  });
  const file = auditLogPath(home);
  const anchors = secretAnchorStore(osSecretStore('audit-anchor', home, keyring.env));
  const env = { ...keyring.env, NBG_HOME: home };
  return {
    file,
    async write(n: number, keyed = true) {
      const warnings: string[] = [];
      const log = await AuditLog.open({ file, ...(keyed ? { anchors } : {}), warn: (m) => warnings.push(m) });
      for (let i = 1; i <= n; i++) await log.append({ type: 'sign', keyFingerprint: FP, purpose: `hop ${i}`, flags: 5, counter: i });
      await log.close();
      assert.deepEqual(warnings, []);
    },
    async verify(): Promise<{ code: number; report: Report; text: string }> {
      const c = captureIo(env);
      const code = await runCli(['audit', 'verify', '--json'], c.io);
      const report = JSON.parse(c.out()) as Report;
      const t2 = captureIo(env);
      await runCli(['audit', 'verify'], t2.io);
      return { code, report, text: t2.out() };
    },
    /** The forger's tools: the log's lines, rewritten with recomputed hashes, and a matching head file. */
    async forge(edit: (entries: Record<string, unknown>[]) => Record<string, unknown>[]) {
      const lines = (await fs.readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const forged = edit(lines);
      let prev = '0'.repeat(64);
      forged.forEach((e, i) => {
        e.seq = i + 1;
        e.prev = prev;
        e.hash = entryHash(e);
        prev = e.hash as string;
      });
      await fs.writeFile(file, forged.map((e) => `${JSON.stringify(e)}\n`).join(''));
      await fs.writeFile(`${file}.head`, `${JSON.stringify({ seq: forged.length, hash: prev, counters: { [FP]: forged.length } })}\n`);
    },
  };
}

const kinds = (r: Report) => r.problems.map((p) => p.kind);

test('a fresh machine (no log, no anchor) is told apart from a deleted log', async (t) => {
  const m = await machine(t);
  const { code, report, text } = await m.verify();
  assert.equal(code, 0);
  assert.equal(report.fresh, true);
  assert.match(text, /no audit log has been written on this machine yet/);
});

test('an untouched keyed log verifies, with its MACs checked against the key store', async (t) => {
  const m = await machine(t);
  await m.write(5);
  const { code, report, text } = await m.verify();
  assert.equal(code, 0, text);
  assert.deepEqual(report.keyed, { store: 'Secret Service (libsecret)', since: 1, anchorSeq: 5 });
  assert.equal(report.unkeyed, 0);
  assert.match(text, /5 entries, chain intact\n {2}keyed: MACs checked with the key in Secret Service \(libsecret\), which records entry 5/);
  const lines = (await fs.readFile(m.file, 'utf8')).trim().split('\n');
  assert.ok(lines.every((l) => /"mac":"[0-9a-f]{64}"/.test(l)));
});

test('rewrite + head: an entry rewritten with every hash and the head recomputed is detected', async (t) => {
  const m = await machine(t);
  await m.write(5);
  await m.forge((es) => es.map((e) => (e.seq === 2 ? { ...e, purpose: 'nothing to see' } : e)));
  const { code, report } = await m.verify();
  assert.equal(code, 1);
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['forged', 2], ['forged', 3], ['forged', 4], ['forged', 5], ['forged', 5]]);
});

test('cut tail + head: the last entries removed and the head rewritten is detected', async (t) => {
  const m = await machine(t);
  await m.write(5);
  await m.forge((es) => es.slice(0, 3));
  const { code, report } = await m.verify();
  assert.equal(code, 1);
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['truncated', 4]]);
  assert.match(report.problems[0]?.detail ?? '', /ends at entry 3 but the key store records entry 5/);
});

test('delete + rehash: an entry removed and the rest renumbered and rehashed is detected', async (t) => {
  const m = await machine(t);
  await m.write(5);
  await m.forge((es) => es.filter((e) => e.seq !== 3));
  const { code, report } = await m.verify();
  assert.equal(code, 1);
  assert.ok(kinds(report).includes('forged'));
  assert.ok(kinds(report).includes('truncated'));
  assert.deepEqual(report.problems.filter((p) => p.kind === 'forged').map((p) => p.seq), [3, 4]);
});

test('stripping the MACs to pass as an old unkeyed log is detected', async (t) => {
  const m = await machine(t);
  await m.write(3);
  await m.forge((es) => es.map(({ mac: _mac, ...e }) => e));
  const { report } = await m.verify();
  assert.deepEqual(kinds(report), ['forged', 'forged', 'forged', 'forged']);
});

test('delete the log (and its head): verify says entries were written; the next writer records it in the new chain', async (t) => {
  const m = await machine(t);
  await m.write(4);
  await fs.rm(m.file);
  await fs.rm(`${m.file}.head`);
  let r = await m.verify();
  assert.equal(r.code, 1);
  assert.equal(r.report.fresh, false);
  assert.deepEqual(kinds(r.report), ['missing']);
  assert.match(r.report.problems[0]?.detail ?? '', /the log is gone, but the key store records that 4 entries were written/);

  await m.write(1);
  r = await m.verify();
  assert.equal(r.code, 1);
  assert.deepEqual(r.report.problems.map((p) => [p.kind, p.seq]), [['missing', 1]]);
  assert.match(r.text, /when reopened, the log was gone although the key store recorded 4 entries/);
});

test('delete the whole audit folder: detected the same way', async (t) => {
  const m = await machine(t);
  await m.write(2);
  await fs.rm(path.dirname(m.file), { recursive: true });
  const r = await m.verify();
  assert.equal(r.code, 1);
  assert.deepEqual(kinds(r.report), ['missing']);
});

test('an old unkeyed log stays readable: keyed from the next entry, the older ones reported as only hash-chained', async (t) => {
  const m = await machine(t);
  await m.write(3, false);
  await m.write(2);
  const { code, report, text } = await m.verify();
  assert.equal(code, 0, text);
  assert.deepEqual(report.keyed, { store: 'Secret Service (libsecret)', since: 4, anchorSeq: 5 });
  assert.equal(report.unkeyed, 3);
  assert.match(text, /3 older entries from before keying are only hash-chained/);
});
