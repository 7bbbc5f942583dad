// Issue 18: `nbg ssh --connect-timeout` end to end, with the built CLI (dist/cli/nbg.cjs, as
// installed) against a server that sends its SSH banner and then stalls (a loopback TCP server that
// never answers the key exchange). The stalled phase is named; with a backup address (a real
// sshd) the backup is used and the shell answers; without one the command fails with the phase
// named, long before the 180 s login ceiling it used to wait for. How long the stalled attempt
// took is read from core's own audit entries (connect-attempt → connect-outcome), not from the
// process's wall time, which includes starting Node on a busy machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { verifyAuditLog, type AuditEntry } from '../../../electron/core/audit/index';
import { auditLogPath } from '../../../electron/core/audit/log-path';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { tempDir } from '../../support/sessions';
import { bannerThenStall } from '../../support/sessions-sshd';
import { startSshd, uniqueLoopback } from '../../support/sshd';
import { builtNbg } from '../../support/built-nbg';

const TIMEOUT_S = 3;
/** Far below the old behaviour (the 180 s ready timeout), far above a busy machine's slack. */
const GENEROUS_MS = 60_000;
/** Bounds the child process whatever happens. */
const PROCESS_LIMIT_MS = 150_000;

interface Run { code: number | null; stdout: string; stderr: string; wallMs: number; sinceConnectingMs: number | undefined }

/** The built nbg with `stdin` as its (non-terminal) input; times from the first "connecting" line to exit. */
async function runNbg(args: string[], env: NodeJS.ProcessEnv, stdin: string): Promise<Run> {
  const nbg = await builtNbg();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let connectingAt: number | undefined;
    const child = spawn(process.execPath, [nbg, ...args], { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    const limit = setTimeout(() => child.kill('SIGKILL'), PROCESS_LIMIT_MS);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (connectingAt === undefined && /nbg: connecting to /.test(stderr)) connectingAt = performance.now();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(limit);
      const end = performance.now();
      resolve({ code, stdout, stderr, wallMs: end - started, sinceConnectingMs: connectingAt === undefined ? undefined : end - connectingAt });
    });
    child.stdin.end(stdin);
  });
}

test(`nbg ssh --connect-timeout ${TIMEOUT_S}: a server that stalls after its banner is named and left for the backup address; without a backup the command fails with the phase named`, { timeout: 300_000 }, async (t) => {
  const key = new SoftSk();
  const signer = new SoftSkSigner([key]);
  const agent = await AgentServer.start({ signer });
  t.after(() => agent.close());
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: uniqueLoopback() });
  t.after(() => jump.stop());
  const backup = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: uniqueLoopback(), keyUser: 'nbgplan' });
  t.after(() => backup.stop());
  const staller = await bannerThenStall(uniqueLoopback());
  t.after(() => staller.stop());
  const dir = tempDir(t, 'nbg-connect-timeout-');
  const home = path.join(dir, 'home');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NBG_HOME: home };
  const common = ['ssh', '--connect-timeout', String(TIMEOUT_S), '--agent', agent.path, '--known-hosts', path.join(dir, 'known_hosts'), '--accept-new'];
  const limitText = `key exchange did not finish within ${TIMEOUT_S * 1000} ms`;

  // The device's management address stalls after its banner; its backup address is a real sshd.
  const withBackup = await runNbg([...common, '-J', `${jump.user}@${jump.host}:${jump.port}`, '--backup', `${backup.host}:${backup.port}`,
    `nbgplan@${staller.host}:${staller.port}`], env, 'echo "shell-$((6*7))-$(whoami)"\nexit\n');
  assert.equal(withBackup.code, 0, withBackup.stderr);
  assert.match(withBackup.stderr, new RegExp(`the primary path failed: .*not answering as an SSH server \\(stalled: ${limitText}\\); trying the backup path`));
  assert.match(withBackup.stderr, /connected over the backup path/);
  assert.match(withBackup.stdout, /shell-42-nbgplan/, 'the backup device\'s shell answered');
  assert.equal(staller.connections(), 1, 'the stalling address was dialled once (through the jump)');
  await backup.waitForLog(/Accepted publickey for nbgplan/);

  // Core's own timing of the stalled attempt: its connect-attempt and connect-outcome entries.
  const entries = (await verifyAuditLog(auditLogPath(home))).entries as AuditEntry[];
  const at = (e: AuditEntry | undefined) => Date.parse(String((e as { ts?: string } | undefined)?.ts));
  const attempt = entries.find((e) => e.type === 'connect-attempt' && (e as { path?: string }).path === 'primary');
  const failed = entries.find((e) => e.type === 'connect-outcome' && (e as { path?: string }).path === 'primary');
  assert.ok(attempt && failed, 'the primary attempt and its failure are on record');
  assert.equal((failed as { outcome?: string }).outcome, 'failed');
  const stalledMs = at(failed) - at(attempt);
  assert.ok(stalledMs >= TIMEOUT_S * 1000, `the phase ran its limit (${stalledMs} ms)`);
  assert.ok(stalledMs < 2 * TIMEOUT_S * 1000, `the stalled primary was given up within 2x the connect timeout (${stalledMs} ms)`);

  // A jump that stalls after its banner, no backup: the command fails, naming the phase.
  const jumpStalls = await runNbg([...common, '-J', `${jump.user}@${staller.host}:${staller.port}`, `nbgplan@${backup.host}:${backup.port}`, '--', 'true'], env, '');
  assert.notEqual(jumpStalls.code, 0);
  assert.match(jumpStalls.stderr, new RegExp(`${staller.host.replaceAll('.', '\\.')}:${staller.port} is not answering as an SSH server \\(stalled: ${limitText}\\)`));
  assert.ok(jumpStalls.sinceConnectingMs !== undefined && jumpStalls.sinceConnectingMs < GENEROUS_MS,
    `failed ${Math.round(jumpStalls.sinceConnectingMs ?? -1)} ms after it started connecting (the old behaviour: 180 s)`);
  t.diagnostic(`stalled primary given up after ${stalledMs} ms (core's audit timing); with backup: ${Math.round(withBackup.wallMs)} ms wall; `
    + `stalled jump: failed ${Math.round(jumpStalls.sinceConnectingMs ?? -1)} ms after connecting began, ${Math.round(jumpStalls.wallMs)} ms wall`);
});
