// Running one key step elevated (Windows UAC): the context that tells the elevated copy where the
// operator's folders are, the arguments the CLI builds for it, Windows' quoting rules, and the
// PowerShell that starts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyElevatedContext, decodeElevatedContext, elevatedContextEnv, elevationScript, encodeElevatedContext, quoteWindowsArg,
} from '../../../electron/shared/elevation';
import { elevatedCommandArgs } from '../../../electron/core/keys/elevate';

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

test('CLI: the elevated copy gets the context first, replacing an older one', () => {
  const context = { cwd: '/home/op', env: { HOME: '/home/op' } };
  const args = elevatedCommandArgs(['keys', 'import', '--dir', 'keys'], context);
  assert.deepEqual(args, ['--nbg-elevated', encodeElevatedContext(context), 'keys', 'import', '--dir', 'keys']);
  assert.deepEqual(elevatedCommandArgs(args, { cwd: '/x', env: {} }).slice(2), ['keys', 'import', '--dir', 'keys']);
});
