// Fleet run in the app over the drill fabric's four ToRs (two reachable only over the backup
// path): one PIN, a touch per device, all results, the diff across devices, the exports; and a
// command with a pipe or configure refused before any login.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { seriousViolations } from '../support/axe';
import { enroll, PIN, startApp, UI_TIMEOUT_MS } from '../support/e2e-harness';
import { auditLogPath } from '../../electron/core/audit/log-path';
import { ErrorCode } from '../../electron/shared/error-codes';
import type { FleetRunResult } from '../../electron/shared/fleet';
import { DRILL_FABRIC_ID } from '../../electron/drill/mode';

const auditTypes = (home: string) => readFileSync(auditLogPath(home), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);

test('fleet run over the drill ToRs: one PIN, one touch per device (and one for the jump), results side by side, the diff, exports', { timeout: 240_000 }, async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Fleet run' }).click();
  await page.getByLabel('Role').selectOption('ToR');
  await page.getByRole('button', { name: 'Choose all shown' }).click();
  await page.getByText('4 chosen').waitFor();

  // Refused while typing, and refused by core too: nothing is dialled, nothing is signed.
  const touchesBefore = a.touch.count;
  const commands = page.getByLabel(/One show command per line/);
  await commands.fill('show version | include Software\nconfigure terminal');
  const refusals = page.getByTestId('fleet-refusals');
  await refusals.getByText(/pipes/).waitFor();
  assert.match(await refusals.innerText(), /configure terminal[\s\S]*configure is not allowed/);
  assert.equal(await page.getByRole('button', { name: /Run on 4 devices/ }).isDisabled(), true);
  await a.screenshot('fleet-01-refused');
  const tor1 = `${DRILL_FABRIC_ID}/networkDevices/ToR1`;
  const direct = await a.app.core.invoke('core:fleet.run', { devices: [{ fabricId: DRILL_FABRIC_ID, deviceId: tor1 }], commands: ['show version | include x'] });
  assert.equal(direct.ok, false);
  assert.equal(!direct.ok && direct.error.code, ErrorCode.FLEET_COMMAND_REFUSED);
  assert.equal(a.touch.count, touchesBefore, 'no touch');
  assert.ok(!auditTypes(a.home).includes('connect-attempt'), 'no connect was attempted');

  await commands.fill('show version\nshow ip bgp summary');
  await page.getByTestId('fleet-refusals').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Run on 4 devices' }).click();

  // First visit: the jump host's and each device's host key are trusted as they come; the PIN once.
  let pins = 0;
  let hostKeys = 0;
  const queue = new Set<string>();
  const results = page.getByTestId('fleet-results');
  const until = Date.now() + 4 * UI_TIMEOUT_MS;
  while (!(await results.isVisible()) && Date.now() < until) {
    const progress = page.getByTestId('fleet-progress').locator('.fleet-queue');
    if (await progress.isVisible()) {
      const line = /touch \d of 4 — \S+ via \S+/.exec(await progress.innerText().catch(() => ''));
      if (line) queue.add(line[0]);
    }
    const hostKey = page.getByTestId('prompt-host-key');
    const pin = page.getByTestId('prompt-pin');
    if (await hostKey.isVisible()) {
      await hostKey.getByRole('button', { name: 'Trust and remember' }).click();
      await hostKey.waitFor({ state: 'detached' });
      hostKeys++;
    } else if (await pin.isVisible()) {
      await pin.getByLabel('PIN').fill(PIN);
      await pin.getByRole('button', { name: 'Continue' }).click();
      await pin.waitFor({ state: 'detached' });
      pins++;
    } else {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await results.waitFor();
  assert.equal(pins, 1, 'one PIN for the whole run');
  assert.equal(hostKeys, 5, 'the jump host and four devices, each trusted once');
  assert.equal(a.touch.count - touchesBefore, 5, 'one touch for the jump login, one per device');
  assert.ok([...queue].some((q) => /^touch [1-4] of 4 — nx-tor\d-\d+ via drill-jump$/.test(q)), `touch queue shown: ${[...queue].join(' | ')}`);
  t.diagnostic(`fleet run: ${pins} PIN, ${a.touch.count - touchesBefore} touches, queue lines seen: ${[...queue].join(' | ')}`);

  // The results stay when the operator looks elsewhere and comes back.
  await page.getByRole('button', { name: 'Fabrics', exact: true }).click();
  await page.getByTestId('devices-table').waitFor();
  await page.getByRole('button', { name: 'Fleet run' }).click();
  await results.waitFor();
  const rows = page.getByTestId('fleet-summary').locator('tbody tr');
  assert.equal(await rows.count(), 4);
  const summary = await page.getByTestId('fleet-summary').innerText();
  for (const name of ['tor1', 'tor2', 'tor3', 'tor4']) assert.match(summary, new RegExp(`nx-${name}-\\d+\\s+ok`));
  assert.equal((summary.match(/backup path/g) ?? []).length, 2, 'ToR1 and ToR3 answered over the backup path');
  const outputs = page.getByTestId('fleet-outputs').locator('article');
  assert.equal(await outputs.count(), 4);
  for (const text of await outputs.allInnerTexts()) assert.match(text, /exit 0[\s\S]*Arista|DCS-7280/);
  await a.screenshot('fleet-02-results');
  assert.deepEqual(await seriousViolations(page, '.fleet'), [], 'fleet view, light');

  // The diff: every other ToR against ToR1's show version (serials and MACs differ).
  const tor1Host = a.app.drill.fabric()!.devices.find((d) => d.name === 'ToR1')!.hostname;
  await page.getByLabel('Compare with').selectOption(tor1Host);
  const diffs = page.getByTestId('fleet-diff');
  await diffs.first().waitFor();
  assert.equal(await diffs.count(), 3);
  const diffText = await diffs.first().innerText();
  assert.match(diffText, /^\+ .*Serial/m);
  assert.match(diffText, /^− .*Serial/m);
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(page, '.fleet'), [], 'fleet view, dark');
  await a.screenshot('fleet-03-diff-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Exports: JSON with every device, and an HTML report that opens on its own with nothing fetched.
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const exported = JSON.parse(readFileSync((await jsonDownload.path())!, 'utf8')) as FleetRunResult;
  assert.equal(exported.devices.length, 4);
  assert.deepEqual(exported.commands, ['show version', 'show ip bgp summary']);
  const [htmlDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export HTML report' }).click()]);
  assert.match(htmlDownload.suggestedFilename(), /^fleet-run-.*\.html$/);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-report-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const reportFile = path.join(dir, htmlDownload.suggestedFilename());
  await htmlDownload.saveAs(reportFile);
  const html = readFileSync(reportFile, 'utf8');
  assert.doesNotMatch(html, /<script/i);
  const report = await page.context().newPage();
  const requests: string[] = [];
  report.on('request', (r) => requests.push(r.url()));
  await report.goto(pathToFileURL(reportFile).href);
  assert.match(await report.title(), /^Fleet run /);
  const body = await report.locator('body').innerText();
  for (const name of ['tor1', 'tor2', 'tor3', 'tor4']) assert.match(body, new RegExp(`nx-${name}-\\d+`));
  assert.match(body, /show ip bgp summary/);
  assert.equal(requests.length, 1, `the report fetched nothing but itself: ${requests.join(', ')}`);
  await report.screenshot({ path: 'test-results/screenshots/fleet-04-html-report.png', fullPage: false });
  await report.close();

  const types = auditTypes(a.home);
  assert.equal(types.filter((x) => x === 'fleet-run').length, 2, 'start and end');
  assert.equal(types.filter((x) => x === 'fleet-output').length, 8, 'every device, every command');
});
