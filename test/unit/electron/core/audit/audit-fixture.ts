// A small audit log with known times, operators, devices and outcomes, for the query and export tests.
import path from 'node:path';
import { AuditLog } from '../../../../../electron/core/audit/index';

export const FP = `SHA256:${'k'.repeat(42)}E`;
const hops = (device: string, address: string) => [
  { name: 'jump-01', user: 'op', host: '127.0.0.2', port: 22 }, { name: device, user: 'op', host: address, port: 22 },
];

/** 9 entries, one an hour from 2026-12-01T00:00Z; who was signed in changes at entry 5. */
export async function writeFixtureLog(dir: string): Promise<string> {
  const file = path.join(dir, `fixture-${Math.random().toString(36).slice(2)}.jsonl`);
  let hour = 0;
  const log = await AuditLog.open({ file, clock: () => new Date(Date.UTC(2026, 11, 1, hour++)) });
  await log.append({ type: 'sign-in', account: 'alice@contoso.com', outcome: 'ok' }); // 1 00:00
  await log.append({ type: 'connect-attempt', connectionId: 'c1', target: 'op@10.0.0.1', hops: hops('leaf-01', '10.0.0.1'), path: 'primary' }); // 2 01:00
  await log.append({ type: 'connect-outcome', connectionId: 'c1', target: 'op@10.0.0.1', hops: hops('leaf-01', '10.0.0.1'), path: 'primary', outcome: 'ok' }); // 3 02:00
  await log.append({ type: 'session-end', connectionId: 'c1', target: 'op@10.0.0.1', bytesIn: 10, bytesOut: 5, durationMs: 1000 }); // 4 03:00
  await log.append({ type: 'sign-in', account: '=HYPERLINK("http://x"),"bob"', outcome: 'ok' }); // 5 04:00
  await log.append({ type: 'host-key', host: '10.0.0.2', port: 22, hop: 'leaf-02', keyType: 'ssh-ed25519', fingerprint: FP, decision: 'mismatch' }); // 6 05:00
  await log.append({ type: 'connect-outcome', connectionId: 'c2', target: 'op@10.0.0.2', hops: hops('leaf-02', '10.0.0.2'), path: 'backup', outcome: 'failed',
    error: { code: 'HOST_KEY_MISMATCH', message: 'host key of leaf-02 changed,\u202Egnp.exe\n+cmd' } }); // 7 06:00
  await log.append({ type: 'key-management', action: 'change-pin', outcome: 'cancelled' }); // 8 07:00
  await log.append({ type: 'sign', keyFingerprint: FP, purpose: '@leaf-01, a "quoted" purpose', hop: 'leaf-01', flags: 5, counter: 3 }); // 9 08:00
  await log.close();
  return file;
}
