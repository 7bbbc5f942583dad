import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elevationScript, quoteWindowsArg } from '../../../electron/core/keys/elevate';

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

test('Windows argument quoting round-trips through CommandLineToArgvW rules', () => {
  const args = ['C:\\Program Files\\nbg\\nbg.cjs', 'keys', 'import', '--dir', 'C:\\Users\\Op Erator\\.ssh\\', 'say "hi"', '', 'a\\\\"b', 'plain'];
  assert.deepEqual(parseWindowsCommandLine(args.map(quoteWindowsArg).join(' ')), args);
  assert.equal(quoteWindowsArg('keys'), 'keys');
});

test('the elevation script waits for the elevated step and passes its exit code on', () => {
  const s = elevationScript("C:\\node's\\node.exe", ['C:\\x\\nbg.cjs', 'keys', 'set-pin']);
  assert.equal(s, "$p = Start-Process -FilePath 'C:\\node''s\\node.exe' -ArgumentList 'C:\\x\\nbg.cjs keys set-pin' -Verb RunAs -Wait -PassThru; exit $p.ExitCode");
});
