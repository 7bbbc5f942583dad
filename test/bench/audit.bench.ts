// Opening the audit log, which every `nbg` command does, against the log's length: logs of 100 to
// 100,000 entries, AuditLog.open + close (median of RUNS), next to a full `nbg audit verify` of the
// same file (verifyAuditLog, median of VERIFY_RUNS), which reads every entry by design.
//
// Each log is n-1 entries made with the real chain code in a loop (connect, host key, signatures
// from three keys, session end), a head file as an older writer left it ({seq, hash}), and a last
// entry appended through AuditLog itself, so the head file is whatever the code under test writes.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AuditLog, verifyAuditLog, type AuditEventInput } from '../../electron/core/audit/index';
import { entryHash } from '../../electron/core/audit/chain';
import { GENESIS_HASH } from '../../electron/core/audit/events';
import { writeAuditHead } from '../../electron/core/audit/head-file';

const SIZES = [100, 1_000, 10_000, 100_000];
const RUNS = Number(process.env.NBG_BENCH_RUNS ?? 21);
const VERIFY_RUNS = 3;
/** Opening must not grow with the log: the largest log may take at most this many times the smallest. */
const TARGET_RATIO = 5;
const KEYS = ['A', 'B', 'C'].map((c) => `SHA256:${c.repeat(42)}E`);
const START = Date.parse('2026-01-01T00:00:00Z');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A break-glass session's worth of events, repeating; sign counters only go up. */
function event(i: number): AuditEventInput {
  const hops = [{ name: 'jump-01', user: 'jumpuser', host: '10.0.0.2', port: 22 }, { user: 'op', host: '10.1.0.3', port: 22 }];
  const connectionId = `c${Math.floor(i / 5)}`;
  switch (i % 5) {
    case 0: return { type: 'connect-attempt', connectionId, target: 'leaf-02', path: 'primary', hops };
    case 1: return { type: 'host-key', host: '10.1.0.3', port: 22, keyType: 'ssh-ed25519', fingerprint: KEYS[2]!, decision: 'trust-once' };
    case 2:
    case 3: return { type: 'sign', keyFingerprint: KEYS[i % KEYS.length]!, purpose: 'publickey auth', hop: 'jump-01', flags: 0x05, counter: i };
    default: return { type: 'session-end', connectionId, target: 'leaf-02', bytesIn: 4096, bytesOut: 512, durationMs: 60_000 };
  }
}

async function buildLog(file: string, entries: number): Promise<void> {
  const lines: string[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq < entries; seq++) {
    const body: Record<string, unknown> = { seq, ts: new Date(START + seq * 1000).toISOString(), ...event(seq), prev };
    body.hash = entryHash(body);
    prev = body.hash as string;
    lines.push(`${JSON.stringify(body)}\n`);
  }
  writeFileSync(file, lines.join(''), { mode: 0o600 });
  await writeAuditHead(file, { seq: entries - 1, hash: prev });
  const log = await AuditLog.open({ file });
  await log.append(event(entries));
  await log.close();
}

async function timeOpen(file: string, entries: number): Promise<number> {
  const t0 = performance.now();
  const log = await AuditLog.open({ file });
  await log.close();
  const ms = performance.now() - t0;
  if (log.openReport.entries !== entries || log.openReport.findings.length) throw new Error(`unexpected open report ${JSON.stringify(log.openReport)}`);
  return ms;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-audit-'));
try {
  const rows = [];
  for (const entries of SIZES) {
    const file = path.join(dir, `audit-${entries}.jsonl`);
    await buildLog(file, entries);
    const open = [];
    for (let i = 0; i < RUNS; i++) open.push(await timeOpen(file, entries));
    const verify = [];
    for (let i = 0; i < VERIFY_RUNS; i++) {
      const t0 = performance.now();
      const r = await verifyAuditLog(file);
      verify.push(performance.now() - t0);
      if (!r.ok || r.entries.length !== entries) throw new Error(`the ${entries}-entry log does not verify: ${JSON.stringify(r.problems.slice(0, 3))}`);
    }
    rows.push({ entries, bytes: statSync(file).size, openMs: median(open), verifyMs: median(verify) });
  }

  console.log(`audit log open + close (median of ${RUNS}) vs a full verify (median of ${VERIFY_RUNS}); ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${'entries'.padStart(8)} ${'file'.padStart(10)} ${'open+close ms'.padStart(14)} ${'verify ms'.padStart(10)}`);
  for (const r of rows) {
    console.log(`${String(r.entries).padStart(8)} ${`${(r.bytes / 1024).toFixed(0)} KiB`.padStart(10)} ${r.openMs.toFixed(2).padStart(14)} ${r.verifyMs.toFixed(1).padStart(10)}`);
  }
  const ratio = rows.at(-1)!.openMs / rows[0]!.openMs;
  const met = ratio <= TARGET_RATIO;
  console.log(`open at ${SIZES.at(-1)} entries / open at ${SIZES[0]} entries: ${ratio.toFixed(1)}x (target <= ${TARGET_RATIO}x: ${met ? 'MET' : 'MISSED'})`);
  console.log(JSON.stringify({ bench: 'audit', runs: RUNS, results: rows }));
  process.exitCode = met ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
