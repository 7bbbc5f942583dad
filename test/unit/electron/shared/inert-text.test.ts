import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inertText, hasActiveText } from '../../../../electron/shared/inert-text';

test('terminal escapes are shown as octal escapes, as OpenSSH vis(3) does, and do nothing', () => {
  const hostile = 'alice\x1b[2J\x1b]0;pwned\x07';
  const shown = inertText(hostile);
  assert.equal(shown, 'alice\\033[2J\\033]0;pwned\\007');
  assert.doesNotMatch(shown, /[\x00-\x1f\x7f]/);
});

test('DEL, C1 controls (CSI 0x9b) and carriage returns are escaped', () => {
  assert.equal(inertText('a\x7fb\u009b2Jc\rd'), 'a\\177b\\2332Jc\\015d');
});

test('bidi overrides, isolates, marks and line separators are escaped as code points', () => {
  assert.equal(inertText('ok\u202Etxt.exe\u2066x\u2069\u200F\u2028'),
    'ok\\u{202E}txt.exe\\u{2066}x\\u{2069}\\u{200F}\\u{2028}');
});

test('line feed and tab are escaped on one line, kept in multi-line text', () => {
  assert.equal(inertText('a\nb\tc'), 'a\\012b\\011c');
  assert.equal(inertText('a\nb\tc\r', { multiline: true }), 'a\nb\tc\\015');
});

test('printable text of any script, emoji and backslashes pass unchanged', () => {
  for (const s of ['leaf-02.fabric-a', 'Grüße, 東京, مرحبا', 'C:\\Users\\op', '🔑 key', '']) {
    assert.equal(inertText(s), s);
    assert.equal(hasActiveText(s), false);
  }
});

test('lone surrogates are escaped, pairs are kept', () => {
  assert.equal(inertText('x\ud800y'), 'x\\u{D800}y');
  assert.equal(inertText('\ud83d\udd11'), '🔑');
});
