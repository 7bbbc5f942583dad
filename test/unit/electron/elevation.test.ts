// Running one key step elevated (Windows UAC): the context that tells the elevated copy where the
// operator's folders are, the arguments main and the CLI build for it (read back with Windows'
// own quoting rules), the PowerShell that starts it, and how its exit code is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import {
  applyElevatedContext, decodeElevatedContext, elevatedContextEnv, elevationScript, encodeElevatedContext, quoteWindowsArg,
  readElevatedStep, readStepAction, type ElevationSpawn,
} from '../../../electron/shared/elevation';
import { OsRequest } from '../../../electron/shared/wire';
import { desktopRelaunch, elevatedCommandArgs } from '../../../electron/core/keys/elevate';
import { elevatedStepLaunch, launchElevatedStep, stepHostArgs, stepOutcome } from '../../../electron/main/elevated-step';
import type { Progress } from '../../../electron/shared/contract';

/** CommandLineToArgvW's rules (MSVCRT), to read our quoting back. */
function parseWindowsCommandLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let arg = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i] as string;
      if (c === '\\') {
        let n = 0;
        while (line[i] === '\\') { n++; i++; }
        if (line[i] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2));
          if (n % 2) arg += '"';
          else quoted = !quoted;
        } else {
          arg += '\\'.repeat(n);
          i--;
        }
      } else if (c === '"') {
        quoted = !quoted;
      } else if ((c === ' ' || c === '\t') && !quoted) {
        break;
      } else {
        arg += c;
      }
    }
    out.push(arg);
  }
  return out;
}

const OPERATOR_ENV = {
  USERPROFILE: 'C:\\Users\\Op "Q" Erator', APPDATA: 'C:\\Users\\Op "Q" Erator\\AppData\\Roaming', NBG_HOME: '.\\nbg home\\',
  NBG_SIMULATOR: 'sim.json', NBG_GRAPH_TOKEN: 'eyJ-secret-token', NBG_ARM_TOKEN: 'eyJ-arm-secret', PATH: 'C:\\Windows', NODE_OPTIONS: '--require evil.js',
};
const OPERATOR_CWD = 'C:\\Users\\Op "Q" Erator\\work dir\\';

test('Windows argument quoting round-trips through CommandLineToArgvW rules', () => {
  const args = ['C:\\Program Files\\nbg\\nbg.cjs', 'keys', 'import', '--dir', 'C:\\Users\\Op Erator\\.ssh\\', 'say "hi"', '', 'a\\\\"b', 'plain'];
  assert.deepEqual(parseWindowsCommandLine(args.map(quoteWindowsArg).join(' ')), args);
  assert.equal(quoteWindowsArg('keys'), 'keys');
});

test('the elevation script waits for the elevated step, passes its exit code on, and says when Windows did not start it', () => {
  const s = elevationScript("C:\\node's\\node.exe", ['C:\\x\\nbg.cjs', 'keys', 'set-pin']);
  assert.equal(s, "try { $p = Start-Process -FilePath 'C:\\node''s\\node.exe' -ArgumentList 'C:\\x\\nbg.cjs keys set-pin' -Verb RunAs -Wait -PassThru -ErrorAction Stop } catch { exit 1223 }; exit $p.ExitCode");
});

test('the context carries the profile variables and NBG_* settings, never tokens or anything else', () => {
  assert.deepEqual(elevatedContextEnv({ ...OPERATOR_ENV, UserProfile: 'C:\\Users\\mixed', HOME: undefined }), {
    USERPROFILE: OPERATOR_ENV.USERPROFILE, APPDATA: OPERATOR_ENV.APPDATA, NBG_HOME: OPERATOR_ENV.NBG_HOME, NBG_SIMULATOR: 'sim.json',
    UserProfile: 'C:\\Users\\mixed',
  });
  const context = { cwd: OPERATOR_CWD, env: elevatedContextEnv(OPERATOR_ENV) };
  const arg = encodeElevatedContext(context);
  assert.match(arg, /^[A-Za-z0-9_-]+$/, 'one argument, nothing to quote');
  assert.ok(!Buffer.from(arg, 'base64url').toString().includes('secret'));
  assert.deepEqual(decodeElevatedContext(arg), { ok: true, value: context });
});

test('a malformed context is refused with a reason, whatever is wrong with it', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const bad: [string, RegExp][] = [
    ['not base64!', /base64url/],
    ['x'.repeat(20_000), /bounded size/],
    [Buffer.from('{not json').toString('base64url'), /not JSON/],
    [encode({ cwd: OPERATOR_CWD }), /env/],
    [encode({ cwd: 'relative\\dir', env: {} }), /absolute/],
    [encode({ cwd: OPERATOR_CWD, env: { NODE_OPTIONS: '--require evil.js' } }), /env\.NODE_OPTIONS/],
    [encode({ cwd: OPERATOR_CWD, env: { NBG_ARM_TOKEN: 'eyJ' } }), /env\.NBG_ARM_TOKEN/],
    [encode({ cwd: OPERATOR_CWD, env: { HOME: 'a\0b' } }), /NUL/],
    [encode({ cwd: OPERATOR_CWD, env: { HOME: 42 } }), /env\.HOME/],
    [encode({ cwd: OPERATOR_CWD, env: {}, pin: '123456' }), /pin/],
    [encode({ cwd: OPERATOR_CWD, env: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`NBG_X${i}`, 'v'])) }), /too many/],
  ];
  for (const [arg, reason] of bad) {
    const decoded = decodeElevatedContext(arg);
    assert.ok(!decoded.ok, arg.slice(0, 40));
    assert.match(decoded.reason, reason);
  }
  assert.throws(() => encodeElevatedContext({ cwd: 'relative', env: {} }), /absolute/);
});

test('applying a context replaces this process\'s carried variables with the operator\'s and keeps the rest', () => {
  const env: Record<string, string | undefined> = { HOME: '/root', NBG_SIMULATOR: '/admin/sim.json', NBG_GRAPH_TOKEN: 'admin-token', PATH: '/usr/bin' };
  applyElevatedContext(env, { cwd: '/home/op', env: { HOME: '/home/op', NBG_HOME: 'rel' } });
  assert.deepEqual(env, { HOME: '/home/op', NBG_HOME: 'rel', PATH: '/usr/bin', NBG_GRAPH_TOKEN: 'admin-token' });
});

test('main builds the elevated copy\'s arguments; read back with Windows\' rules they give the step and the operator\'s folders', () => {
  for (const appPath of [undefined, 'C:\\src\\nexus break-glass']) {
    const launch = elevatedStepLaunch({
      execPath: 'C:\\Program Files\\Nexus Break-Glass\\Nexus Break-Glass.exe', ...(appPath ? { appPath } : {}),
      action: 'import-resident', cwd: OPERATOR_CWD, env: OPERATOR_ENV,
    });
    assert.equal(launch.file, 'C:\\Program Files\\Nexus Break-Glass\\Nexus Break-Glass.exe');
    const argv = parseWindowsCommandLine(launch.args.map(quoteWindowsArg).join(' '));
    assert.deepEqual(argv, launch.args);
    assert.equal(argv[0] === appPath, appPath !== undefined, 'the app folder comes first when not packaged');
    const step = readElevatedStep([launch.file, ...argv]);
    assert.deepEqual(step, { kind: 'step', action: 'import-resident', context: { cwd: OPERATOR_CWD, env: elevatedContextEnv(OPERATOR_ENV) } });
    assert.ok(!JSON.stringify(step).includes('secret'), 'no token on the command line');
  }
  assert.deepEqual(stepHostArgs('pin-management'), ['--nbg-elevated-step', 'pin-management']);
  assert.equal(readStepAction(['node', 'host.cjs', ...stepHostArgs('pin-management')]), 'pin-management');
  assert.equal(readStepAction(['node', 'host.cjs']), undefined);
});

test('the elevated copy refuses a step without a valid action or context', () => {
  const context = encodeElevatedContext({ cwd: OPERATOR_CWD, env: {} });
  assert.deepEqual(readElevatedStep(['app.exe']), { kind: 'none' });
  assert.deepEqual(readElevatedStep(['app.exe', '--nbg-debug']), { kind: 'none' });
  for (const [argv, reason] of [
    [['app.exe', '--nbg-elevated-step', 'sign', '--nbg-elevated', context], /needs one of import-resident, pin-management/],
    [['app.exe', '--nbg-elevated-step', 'import-resident'], /needs --nbg-elevated <context>/],
    [['app.exe', '--nbg-elevated-step', 'import-resident', '--nbg-elevated'], /needs --nbg-elevated <context>/],
    [['app.exe', '--nbg-elevated-step', 'import-resident', '--nbg-elevated', 'bad!'], /base64url/],
  ] as const) {
    const step = readElevatedStep(argv);
    assert.equal(step.kind, 'invalid');
    assert.match((step as { reason: string }).reason, reason);
  }
});

/** A spawn that records its call and ends the way it is told. */
function fakeSpawn(end: { exit: number | null } | { error: Error }): { spawn: ElevationSpawn; calls: { command: string; args: string[] }[] } {
  const calls: { command: string; args: string[] }[] = [];
  const spawn: ElevationSpawn = (command, args) => {
    calls.push({ command, args });
    const child = new EventEmitter();
    setImmediate(() => ('error' in end ? child.emit('error', end.error) : child.emit('exit', end.exit)));
    return child;
  };
  return { spawn, calls };
}

test('main waits for the elevated copy: exit 0 resolves; a declined prompt, a failed step or no PowerShell reject', async () => {
  const launch = elevatedStepLaunch({ execPath: 'C:\\nbg\\app.exe', action: 'pin-management', cwd: OPERATOR_CWD, env: {} });
  const ok = fakeSpawn({ exit: 0 });
  await launchElevatedStep(ok.spawn, launch);
  assert.equal(ok.calls[0]?.command, 'powershell.exe');
  assert.deepEqual(ok.calls[0]?.args.slice(0, 3), ['-NoProfile', '-NonInteractive', '-Command']);
  assert.match(ok.calls[0]?.args[3] ?? '', /^try \{ \$p = Start-Process -FilePath 'C:\\nbg\\app\.exe' -ArgumentList '--nbg-elevated-step pin-management --nbg-elevated [A-Za-z0-9_-]+' -Verb RunAs -Wait/);
  await assert.rejects(launchElevatedStep(fakeSpawn({ exit: 1223 }).spawn, launch), { code: 'ELEVATED_STEP_FAILED', message: /permission prompt was declined/ });
  await assert.rejects(launchElevatedStep(fakeSpawn({ exit: 1 }).spawn, launch), { code: 'ELEVATED_STEP_FAILED', message: /exit code 1: the step failed or was cancelled there/ });
  await assert.rejects(launchElevatedStep(fakeSpawn({ error: new Error('spawn powershell.exe ENOENT') }).spawn, launch),
    { code: 'ELEVATED_STEP_FAILED', message: /powershell\.exe did not start: spawn powershell\.exe ENOENT/ });
});

test('the elevated copy exits 0 only after core:step.run succeeded', () => {
  const outcome = stepOutcome();
  assert.equal(outcome.exitCode(), 1, 'closed before the step ended');
  outcome.observe('core:prompt.current', { ok: true, value: null });
  outcome.observe('core:step.run', { ok: false, error: { code: 'CANCELLED', message: 'cancelled' } });
  assert.equal(outcome.exitCode(), 1);
  outcome.observe('core:step.run', { ok: true, value: { nonsense: true } });
  assert.equal(outcome.exitCode(), 1, 'a reply that is not a step outcome does not count');
  const reply = { ok: true as const, value: { message: 'PIN set.', details: [] } };
  assert.equal(outcome.observe('core:step.run', reply), reply, 'replies pass through unchanged');
  assert.equal(outcome.exitCode(), 0);
});

test('the OS request for a relaunch carries only a raw-HID action', () => {
  assert.ok(OsRequest.safeParse({ op: 'relaunchElevated', action: 'import-resident' }).success);
  assert.ok(!OsRequest.safeParse({ op: 'relaunchElevated', action: 'sign' }).success);
  assert.ok(!OsRequest.safeParse({ op: 'relaunchElevated' }).success);
});

test('CLI: the elevated copy gets the context first, replacing an older one', () => {
  const context = { cwd: '/home/op', env: { HOME: '/home/op' } };
  const args = elevatedCommandArgs(['keys', 'import', '--dir', 'keys'], context);
  assert.deepEqual(args, ['--nbg-elevated', encodeElevatedContext(context), 'keys', 'import', '--dir', 'keys']);
  assert.deepEqual(elevatedCommandArgs(args, { cwd: '/x', env: {} }).slice(2), ['keys', 'import', '--dir', 'keys']);
});

test('desktop: import and PIN steps go to main with progress lines; enroll and sign are not sent elsewhere', async () => {
  const asked: string[] = [];
  const lines: Progress[] = [];
  let fail = false;
  const relaunch = desktopRelaunch({
    relaunchElevated: async (action) => {
      asked.push(action);
      if (fail) throw new Error('relaunchElevated failed: the Administrator window ended with exit code 1');
    },
  }, (p) => lines.push(p));
  await relaunch('import-resident');
  assert.deepEqual(asked, ['import-resident']);
  assert.deepEqual(lines.map((l) => [l.operation, l.done]), [['import-resident', false], ['import-resident', true]]);
  assert.match(lines[0]?.step ?? '', /Administrator window/);
  assert.equal(lines[1]?.step, 'Done in the Administrator window.');
  fail = true;
  await assert.rejects(relaunch('pin-management'), { code: 'ELEVATED_STEP_FAILED', message: /exit code 1/ });
  assert.equal(lines.at(-1)?.step, 'The Administrator window did not finish this step.');
  await assert.rejects(relaunch('sign'), { code: 'NEEDS_ELEVATION' });
  assert.deepEqual(asked, ['import-resident', 'pin-management']);
});
