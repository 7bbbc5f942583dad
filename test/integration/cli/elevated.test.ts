// The elevated copy of an `nbg` command (what relaunchCommandElevated starts through UAC on
// Windows): it must work in the operator's folders named by its context, not in the ones of the
// (possibly other) account and environment it was started with.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { encodeElevatedContext } from '../../../electron/shared/elevation';
import { captureIo, nbg, spawnNbg } from '../../support/nbg';

const PIN = '482916';
const EXIT_WAIT_MS = 60_000;

describe('nbg --nbg-elevated <context> COMMAND', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nbg-elevated-'));
  const operator = path.join(root, 'operator');
  const operatorHome = path.join(operator, 'profile');
  /** Where the elevated process's own environment points: nothing may land there. */
  const decoy = { HOME: path.join(root, 'admin-profile'), NBG_HOME: path.join(root, 'admin-nbg'), NBG_SIMULATOR: path.join(root, 'admin-sim.json') };

  before(async () => {
    mkdirSync(operator);
    // A simulated key with a PIN and one resident key, as the operator's NBG_SIMULATOR names it.
    const env = { NBG_SIMULATOR: path.join(operator, 'sim.json'), NBG_HOME: path.join(root, 'setup-home') };
    assert.equal((await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
    const enrolled = await nbg(['keys', 'enroll', '--dir', path.join(root, 'setup-keys'), '--pin-stdin'], { env, stdin: `${PIN}\n` });
    assert.equal(enrolled.code, 0, enrolled.stderr);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keys import writes into the context\'s key folder and audit log, resolving relative paths in its working directory', async () => {
    const context = encodeElevatedContext({ cwd: operator, env: { HOME: operatorHome, NBG_HOME: 'nbg-home', NBG_SIMULATOR: 'sim.json' } });
    const child = spawnNbg(['--nbg-elevated', context, 'keys', 'import', '--pin-stdin', '--json'], decoy);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.stdin.end(`${PIN}\n`);
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill(); reject(new Error(`nbg did not exit in time: ${stderr}`)); }, EXIT_WAIT_MS);
      child.once('exit', (c) => { clearTimeout(timer); resolve(c); });
    });
    assert.equal(code, 0, stderr);
    const imported = JSON.parse(stdout) as { file: string; skipped: boolean }[];
    assert.deepEqual(imported.map((k) => [k.file, k.skipped]), [[path.join(operatorHome, '.ssh', 'id_ed25519_sk_rk'), false]]);
    assert.ok(existsSync(`${imported[0]?.file}.pub`));
    const audit = readFileSync(path.join(operator, 'nbg-home', 'audit', 'audit.jsonl'), 'utf8');
    assert.match(audit, /"transport":"import"/);
    assert.doesNotMatch(stderr, /Press Enter/, 'no console to keep open when stdin is not a terminal');
    for (const place of Object.values(decoy)) assert.ok(!existsSync(place), `${place} was not touched`);
    assert.ok(!existsSync(path.resolve('sim.json')) && !existsSync(path.resolve('nbg-home')), 'relative paths did not resolve in the starting directory');
  });

  it('a malformed or incomplete context is a usage error that touches nothing', async () => {
    const cwd = process.cwd();
    const listing = () => readdirSync(root).sort();
    const before = listing();
    const env = { ...decoy, NBG_SIMULATOR: path.join(operator, 'sim.json') };
    const valid = encodeElevatedContext({ cwd: operator, env: { HOME: path.join(root, 'should-not-exist') } });
    const cases: [string[], RegExp][] = [
      [['--nbg-elevated'], /missing/],
      [['--nbg-elevated', 'not base64!', 'keys', 'import'], /base64url/],
      [['--nbg-elevated', Buffer.from('{"cwd":"/tmp","env":{"PATH":"/x"}}').toString('base64url'), 'keys', 'import'], /env\.PATH/],
      [['--nbg-elevated', Buffer.from('[1,2]').toString('base64url'), 'keys', 'import'], /malformed/],
      [['--nbg-elevated', valid], /needs one command/],
      [['--nbg-elevated', valid, '--nbg-elevated', valid, 'keys', 'import'], /needs one command/],
      [['--nbg-elevated', encodeElevatedContext({ cwd: path.join(root, 'gone'), env: {} }), 'keys', 'import'], /cannot work in/],
    ];
    for (const [args, message] of cases) {
      const r = await nbg(args, { env, stdin: `${PIN}\n` });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    assert.deepEqual(listing(), before);
    assert.equal(process.cwd(), cwd);
  });

  it('on a console it prints the outcome and waits for Enter before the window closes', async () => {
    const keys = path.join(operatorHome, '.ssh');
    const run = async (command: string[]) => {
      const c = captureIo({ ...process.env, ...decoy }, { tty: true });
      c.stdin.write('\r\n'); // the operator presses Enter
      const context = encodeElevatedContext({ cwd: process.cwd(), env: { HOME: operatorHome } });
      const code = await runCli(['--nbg-elevated', context, ...command], c.io);
      return { code, err: c.err() };
    };
    const ok = await run(['keys', 'list', '--dir', keys]);
    assert.equal(ok.code, 0);
    assert.match(ok.err, /This step succeeded\.\nPress Enter to close this window\.\n$/);
    const failed = await run(['keys', 'show', 'missing_key', '--dir', keys]);
    assert.equal(failed.code, 1);
    assert.match(failed.err, /This step did not succeed \(exit code 1\); see the message above\.\nPress Enter to close this window\.\n$/);
  });
});
