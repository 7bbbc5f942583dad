// The desktop app's core as a Windows program: the drill-mode composition (composeDrillCore) in
// Windows Node under Wine, served by the browser test host; the real renderer bundle in Debian's
// Chromium walks the first-run wizard against it (set PIN, create key with PIN and touch prompts,
// upload to the drill fabric, readiness). The key file the Windows core wrote is read by stock
// ssh-keygen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../support/browser-host/browser';
import { buildRendererInto, bundleShim } from '../support/browser-host/server';
import { enroll, UI_TIMEOUT_MS } from '../support/e2e-harness';
import { windowsHost } from '../support/wine';

test('desktop core in Windows Node: the real renderer enrolls a key through it', async (t) => {
  const win = await windowsHost();
  const work = await fs.mkdtemp(path.join(win.profile, 'desktop core '));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const rendererDir = path.join(work, 'renderer');
  await buildRendererInto(rendererDir);
  const shimFile = path.join(work, 'shim.js');
  await fs.writeFile(shimFile, await bundleShim());
  const host = await win.bundle(path.join(import.meta.dirname, 'clients', 'core-host.ts'), 'core-host');
  const home = path.join(work, 'app home');

  const core = await win.spawnNode(host, [win.toWindows(rendererDir), win.toWindows(home), win.toWindows(shimFile)]);
  t.after(() => core.stop());
  const url = /^(http:\/\/127\.0\.0\.1:\d+\/index\.html)$/m.exec(await core.waitFor(/index\.html/))?.[1];
  assert.ok(url, core.stderr());

  const chromium = await launchChromium();
  t.after(() => chromium.close());
  const page = await chromium.context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS * 2);
  await page.addInitScript({ content: await fs.readFile(shimFile, 'utf8') });
  await page.goto(url);
  await enroll({ page, screenshot: async () => undefined });

  const keyFiles = (await fs.readdir(path.join(home, 'drill'), { recursive: true })).filter((f) => f.endsWith('id_ed25519_sk'));
  assert.equal(keyFiles.length, 1, `key files under the Windows core's home: ${keyFiles.join(', ')}`);
  assert.match(execFileSync('ssh-keygen', ['-l', '-f', path.join(home, 'drill', keyFiles[0]!)], { encoding: 'utf8' }), /ED25519-SK/);
});
