// `nbg drill` end to end with the soft signer injected: fabric, briefing, the sessions-module flow,
// the audit log, and stock OpenSSH using the generated ssh_config through the app's agent socket.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseArgs } from 'node:util';
import type { UserInteraction } from '../../../native/interaction';
import { auditLogPath, verifyAuditLog } from '../../../electron/core/audit/index';
import { createDrillCommands, type DrillCommandDeps } from '../../../electron/cli/commands/drill';
import { fingerprintSha256 } from '../../../native/sk/publickey';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { captureIo } from '../../support/nbg';
import { runSsh } from '../../support/ssh-client';

const operatorKey = new SoftSk({ comment: 'NexusIdentitySSHKey' });
const operatorKeyFingerprint = fingerprintSha256(operatorKey.blob);

const answers: UserInteraction = {
  selectKey: async (choices) => choices[0]?.id ?? null,
  pin: async () => '123456',
  touch: () => () => undefined,
  confirm: async () => true,
};

async function runDrill(argv: string[], deps: DrillCommandDeps, home: string) {
  const [spec] = createDrillCommands(deps);
  assert.ok(spec);
  const c = captureIo({ NBG_HOME: home, USER: 'tester' });
  const { values, positionals } = parseArgs({ args: argv, options: spec.options, allowPositionals: false, strict: true });
  const code = spec.run({ values, positionals, io: c.io });
  return { code, output: c.out, log: c.err };
}

async function waitFor(read: () => string, pattern: RegExp, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pattern.test(read())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}; output so far:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('nbg drill as a writer: the flow passes, the audit log records it, stock ssh works while it keeps running', async (t) => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-cli-drill-'));
  t.after(() => fs.rm(home, { recursive: true, force: true }));
  const signer = new SoftSkSigner([operatorKey]);
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const run = await runDrill(['--port', '0', '--user', 'alice', '--keep-running'], { key: async () => ({ signer, interaction: answers }), untilStopped: () => stopped }, home);
  try {
    await waitFor(run.output, /keeps running/);
    const out = run.output();
    assert.match(out, /NEXUS BREAK-GLASS DRILL/);
    assert.match(out, /TelcoRO {2}[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4} {3}\(reader\)/);
    assert.match(out, /1\. Sign in through the jump host and run show version\n.*\n? {3}OK \(primary path\): Arista DCS-7280DR3-24-F, sk flags 0x05 counter \d+/);
    assert.match(out, /OK \(backup path\): \d+ interfaces connected/);
    assert.match(out, /using the TelcoRO password from the drill briefing\n {3}OK \(primary path\): \d+ BGP peers established \(logged in with password\)/);
    assert.match(out, /OK \(primary path\): entered \(config\)# as a Writer/);
    assert.match(out, /Drill flow: 4 of 4 steps as expected\./);

    const cfg = path.join(home, 'drill', 'ssh_config');
    const r = await runSsh(cfg, ['-o', 'BatchMode=yes', 'drill-ce1', 'show', 'version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Arista /);
    const viaBackup = await runSsh(cfg, ['-o', 'BatchMode=yes', 'drill-tor1-backup', 'show', 'hostname']);
    assert.equal(viaBackup.code, 0, viaBackup.stderr);
    const dead = await runSsh(cfg, ['-o', 'BatchMode=yes', 'drill-tor1', 'show', 'hostname']);
    assert.equal(dead.code, 255);
  } finally {
    stop();
  }
  assert.equal(await run.code, 0);

  const audit = await verifyAuditLog(auditLogPath(home));
  assert.equal(audit.ok, true, JSON.stringify(audit.problems));
  const outcomes = audit.entries.filter((e) => e.type === 'connect-outcome').map((e) => [e.path, e.outcome]);
  assert.deepEqual(outcomes, [['primary', 'ok'], ['primary', 'failed'], ['backup', 'ok'], ['v1.5', 'ok'], ['primary', 'ok']]);
  const first = audit.entries.find((e) => e.type === 'connect-outcome');
  assert.ok(first?.type === 'connect-outcome' && first.skFlags === 0x05 && first.keyFingerprint === operatorKeyFingerprint, JSON.stringify(first));
  const raw = await fs.readFile(auditLogPath(home), 'utf8');
  for (const line of run.output().split('\n').filter((l) => /^ {2}Telco/.test(l))) {
    assert.ok(!raw.includes(line.trim().split(/\s+/)[1]!), 'no v1.5 password in the audit log');
  }
});

test('nbg drill as a reader: configure terminal is refused, and that is the expected outcome', async (t) => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-cli-drill-'));
  t.after(() => fs.rm(home, { recursive: true, force: true }));
  const run = await runDrill(['--port', '0', '--user', 'bob', '--role', 'reader', '--log'], { key: async () => ({ signer: new SoftSkSigner([operatorKey]), interaction: answers }) }, home);
  assert.equal(await run.code, 0, run.output());
  assert.match(run.output(), /Your role \(reader\) at configure terminal\n {3}OK \(primary path\): refused: % Authorization denied/);
  assert.match(run.log(), /^\[drill jump\] Accepted publickey for bob from 127\.0\.0\.1 port \d+ SHA256:\S+ sk_flags 0x05 counter \d+ \(reader\)$/m);
  assert.match(run.log(), /^\[drill CE2\] bob: configure terminal$/m);
});

test('nbg drill without a signer or key file says where it looked', async (t) => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-cli-drill-'));
  t.after(() => fs.rm(home, { recursive: true, force: true }));
  const run = await runDrill(['--port', '0', '--key', path.join(home, 'missing.pub')], { key: async () => undefined }, home);
  await assert.rejects(run.code, { code: 'DRILL_NO_KEY' });
});
