// The CLI's catalogue and its command modules agree: every listed command has an implementation,
// every implemented command is listed (so `nbg --help` shows it), and none is listed twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUE, COMMAND_MODULES, loadCommand, type CatalogueEntry } from '../../../../electron/cli/catalogue';

const words = (path: string[]): string => path.join(' ');

test('every catalogued command loads its implementation', async () => {
  for (const entry of CATALOGUE) {
    const spec = await loadCommand(entry);
    assert.equal(words(spec.path), words(entry.path));
  }
});

test('every implemented command is in the catalogue, once, under the module that implements it', async () => {
  const listed = new Map(CATALOGUE.map((e) => [words(e.path), e]));
  assert.equal(listed.size, CATALOGUE.length, 'a command is listed twice');
  for (const [group, load] of Object.entries(COMMAND_MODULES)) {
    for (const spec of await load()) {
      const entry = listed.get(words(spec.path));
      assert.ok(entry, `nbg ${words(spec.path)} is implemented in ${group} but not in the catalogue`);
      assert.equal(entry.group, group);
    }
  }
});

test('a catalogue entry whose module lacks the command is a clear error', async () => {
  const stray: CatalogueEntry = { path: ['keys', 'nope'], group: 'keys-files', summary: 's', usage: 'keys nope' };
  await assert.rejects(loadCommand(stray), /lists 'keys nope' but keys-files does not implement it/);
});
