// The audit view as an auditor uses it: chain and forwarding status at the top (intact, then a
// tampered file; a webhook sink that fell behind, delivered to by the real forwarder), filters by
// device, operator, outcome and time with "n of m events", and both exports through the save
// dialog (files parsed and checked), in light and dark, with axe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditForwarder } from '../../electron/core/audit/forward/forwarder';
import { webhookSink } from '../../electron/core/audit/forward/webhook-sink';
import { auditLogPath } from '../../electron/core/audit/log-path';
import { AuditLog } from '../../electron/core/audit/index';
import { entryHash } from '../../electron/core/audit/chain';
import { createTransport } from '../../electron/core/net/transport';
import type { SaveFileRequest } from '../../electron/shared/os';
import { seriousViolations } from '../support/axe';
import { answerPin, completeFirstConnect, focusedLabel, openConnect, readyApp, type App } from '../support/e2e-harness';
import { startWebhookReceiver } from '../support/webhook-receiver';
import { parseCsv } from '../support/csv';


async function count(a: App): Promise<string> {
  return a.page.getByTestId('audit-count').innerText();
}

/** The count line once it says what is expected (core answers each filter change). */
/** The count line once it matches `pattern` (and, given `changedFrom`, once it no longer reads that: a filter has applied). */
async function countMatching(a: App, pattern: RegExp, changedFrom?: string): Promise<string> {
  await a.page.getByTestId('audit-count').getByText(pattern).waitFor();
  if (changedFrom !== undefined) {
    await a.page.waitForFunction((old) => (document.querySelector('[data-testid="audit-count"]') as HTMLElement | null)?.innerText !== old, changedFrom);
  }
  return count(a);
}

test('audit view: status (intact, a webhook behind, then a tampered file), filters, exports, light and dark', async (t) => {
  const exports = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-exports-'));
  t.after(() => rmSync(exports, { recursive: true, force: true }));
  const asked: SaveFileRequest[] = [];
  let cancelNext = false;
  const a = await readyApp(t, {
    saveAs: async (r) => {
      asked.push(r);
      if (cancelNext) { cancelNext = false; return null; }
      return path.join(exports, r.defaultName);
    },
  });
  const { page } = a;
  const secret = Buffer.from('a webhook secret of the e2e test');
  const receiver = await startWebhookReceiver(secret);
  t.after(() => receiver.close());
  const reply = await a.app.core.invoke('core:settings.update', { auditForward: { webhook: { url: receiver.url } } });
  assert.ok(reply.ok);
  // The forwarder the app and `nbg audit forward` use, over the app's log and cursor file.
  const forwarder = new AuditForwarder({
    logFile: auditLogPath(a.home), stateFile: path.join(a.home, 'audit-forward.json'),
    sinks: [webhookSink({ url: receiver.url, secret, transport: createTransport({ extraCaPem: receiver.pki.caPem }) })],
  });

  // A session with nx-ce2-097, delivered to the webhook.
  await openConnect(a, 'nx-ce2-097');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await completeFirstConnect(a);
  await a.waitForOutput(/nx-ce2-097>/);
  await page.getByTestId('session-info').getByRole('button', { name: 'Close session' }).click();
  await page.getByTestId('close-confirm').getByRole('button', { name: 'Close session' }).click();
  await page.getByRole('tab').waitFor({ state: 'detached' });
  const first = await forwarder.deliver();
  assert.equal(first[0]?.lastError, undefined);
  const deliveredSeq = first[0]?.deliveredSeq ?? 0;
  assert.ok(deliveredSeq > 3 && receiver.records.length === deliveredSeq + 1, 'every entry and a checkpoint reached the webhook');

  // The webhook goes down; then nx-ce1-104's new host key is refused.
  receiver.down = true;
  await openConnect(a, 'nx-ce1-104');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const hostKey = page.getByTestId('prompt-host-key');
  const pin = page.getByTestId('prompt-pin');
  await hostKey.or(pin).first().waitFor();
  if (await pin.isVisible()) await answerPin(a, '482916');
  await hostKey.waitFor();
  await hostKey.getByRole('button', { name: 'Refuse' }).click();
  await hostKey.waitFor({ state: 'detached' });
  await page.getByTestId('connect-dialog').getByText(/was not trusted/).waitFor();
  await page.getByTestId('connect-dialog').getByRole('button', { name: 'Cancel' }).click();
  const second = await forwarder.deliver();
  assert.match(second[0]?.lastError ?? '', /HTTP 503: the receiver is down or overloaded/);
  const waiting = second[0]?.pending ?? 0;
  assert.ok(waiting > 0, 'entries wait for the webhook');

  // Status at the top: chain intact; the webhook failing with what to do; the other sinks not configured.
  await page.getByRole('button', { name: 'Audit' }).click();
  const chain = page.getByTestId('audit-verify');
  await chain.waitFor();
  assert.match(await chain.innerText(), /Chain intact \(\d+ entries\)/);
  const webhook = page.getByTestId('sink-webhook');
  await webhook.waitFor();
  assert.equal(await webhook.getAttribute('data-state'), 'failing');
  const cells = await webhook.locator('td').allInnerTexts();
  assert.equal(cells[0], new URL(receiver.url).origin, 'the webhook shows its origin, not its path');
  assert.match(cells[1] ?? '', /delivery failing/);
  assert.match(cells[2] ?? '', new RegExp(`up to entry ${deliveredSeq}$`));
  assert.equal(cells[3], String(waiting));
  assert.match(cells[4] ?? '', /HTTP 503: the receiver is down or overloaded/);
  assert.match(await page.getByTestId('sink-syslog').innerText(), /not configured/);
  const advice = await page.getByTestId('audit-advice').innerText();
  assert.match(advice, new RegExp(`Nothing is lost: ${waiting} entries wait`));
  assert.match(advice, /nbg audit forward/);
  assert.match(await page.getByTestId('audit-forwarding').innerText(), /Drill mode: the app sends nothing/);

  // "n of m events", then each filter narrows; keyboard order device → operator → outcome → time.
  const all = await countMatching(a, /\d+ events, newest first\./);
  const total = Number(/^(\d+) events/.exec(all)?.[1]);
  assert.ok(total > 8, all);
  const device = page.getByLabel('Device', { exact: true });
  await device.focus();
  await page.keyboard.type('nx-ce1-104');
  const ce1 = await countMatching(a, /of \d+ events match the filters/);
  const ce1Count = Number(/^(\d+) of/.exec(ce1)?.[1]);
  assert.ok(ce1Count >= 2 && ce1Count < total, ce1);
  for (const row of await page.locator('.audit-table tbody tr').allInnerTexts()) assert.match(row, /nx-ce1-104|127\.0\.80\.11/, row);
  await page.keyboard.press('Tab');
  assert.match(await focusedLabel(page), /^input/);
  await page.keyboard.press('Tab');
  assert.match(await focusedLabel(page), /^select:/, 'outcome after operator');
  await page.getByLabel('Outcome').selectOption('refused');
  const refused = await countMatching(a, /^\d+ of \d+ events match/, ce1);
  assert.ok(Number(/^(\d+)/.exec(refused)?.[1]) >= 1 && Number(/^(\d+)/.exec(refused)?.[1]) < ce1Count, refused);
  for (const outcome of await page.locator('.audit-table tbody tr td:nth-child(4)').allInnerTexts()) assert.equal(outcome, 'Refused');
  await a.screenshot('17-audit-filtered');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'audit view filtered, light');

  // Export CSV of the matching events: parsed, one row each, with local and UTC time and the sentence.
  await page.getByRole('button', { name: 'Export CSV…' }).click();
  await page.getByTestId('audit-message').getByText(/^Saved \d+ events? to /).waitFor();
  assert.equal(asked.at(-1)?.filter.extensions[0], 'csv');
  const csvFile = path.join(exports, asked.at(-1)?.defaultName ?? '');
  assert.match(csvFile, /nbg-audit-\d{8}-\d{4}-filtered\.csv$/);
  const rows = parseCsv(readFileSync(csvFile, 'utf8'));
  assert.match(rows[0]?.[1] ?? '', /^local time \(.+\)$/);
  assert.equal(rows.length - 1, Number(/^(\d+)/.exec(refused)?.[1]));
  for (const r of rows.slice(1)) {
    assert.equal(r[4], 'refused');
    assert.match(r[1] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d$/);
    assert.equal(new Date(r[2] ?? '').toISOString(), r[2]);
    assert.ok((r[7] ?? '').length > 10, 'the sentence');
  }

  // Time: the last hour holds everything; a custom range in the future holds nothing; Clear filters.
  await page.getByLabel('Outcome').selectOption('');
  await page.getByLabel('Time').selectOption('1h');
  await countMatching(a, new RegExp(`^${ce1Count} of ${total} events match`));
  await page.getByLabel('Time').selectOption('custom');
  await page.getByLabel(/^From/).fill('2099-01-01T00:00');
  await countMatching(a, new RegExp(`^0 of ${total} events match`));
  await page.getByLabel(/^To/).fill('2098-01-01T00:00');
  await page.getByTestId('audit-count').getByText('The start of the time range is after its end.').waitFor();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await countMatching(a, new RegExp(`^${total} events, newest first`));
  assert.equal(await page.getByLabel('Device', { exact: true }).inputValue(), '');
  assert.equal(await page.getByRole('button', { name: 'Clear filters' }).isDisabled(), true);

  // Export JSONL of everything: the log's lines as they are, each hash checks and chains.
  await page.getByRole('button', { name: 'Export JSONL…' }).click();
  await page.getByTestId('audit-message').getByText(new RegExp(`^Saved ${total} events to `)).waitFor();
  const jsonl = readFileSync(path.join(exports, asked.at(-1)?.defaultName ?? ''), 'utf8');
  const entries = jsonl.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(entries.length, total);
  entries.forEach((e, i) => {
    assert.equal(entryHash(e), e.hash, `entry ${String(e.seq)} hash`);
    if (i > 0) assert.equal(e.prev, entries[i - 1]?.hash, 'chained');
  });
  cancelNext = true;
  await page.getByRole('button', { name: 'Export CSV…' }).click();
  await page.getByTestId('audit-message').getByText('Not saved: the save dialog was closed.').waitFor();

  await a.screenshot('18-audit-status');
  await page.emulateMedia({ colorScheme: 'dark' });
  await a.screenshot('19-audit-status-dark');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'audit view, dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Someone edits an entry in the file: Reload shows where the chain breaks, and what to do.
  const file = auditLogPath(a.home);
  const lines = readFileSync(file, 'utf8').split('\n');
  const victim = lines.findIndex((l) => l.includes('"type":"session-end"'));
  lines[victim] = (lines[victim] ?? '').replace(/"bytesIn":\d+/, '"bytesIn":1');
  writeFileSync(file, lines.join('\n'));
  await page.getByRole('button', { name: 'Reload' }).click();
  await chain.getByText(`Chain broken at entry ${victim + 1}.`).waitFor();
  assert.match(await page.getByTestId('audit-advice').innerText(), /Leave the log file as it is.*export it as JSONL/);
  await a.screenshot('20-audit-broken');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'audit view broken, light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await a.screenshot('21-audit-broken-dark');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'audit view broken, dark');
});

test('audit view: a long log comes in pages of 100, newest first; Older and Newer by keyboard; the filter pages too', async (t) => {
  const a = await readyApp(t, {
    prepareHome: async (home) => {
      const log = await AuditLog.open({ file: auditLogPath(home) });
      for (let i = 0; i < 240; i++) {
        await log.append({ type: 'connect-outcome', connectionId: `old-${i}`, target: `op@10.0.0.${i % 4}`,
          hops: [{ name: `leaf-0${i % 4}`, user: 'op', host: `10.0.0.${i % 4}`, port: 22 }], path: 'primary', outcome: i % 2 ? 'ok' : 'failed' });
      }
      await log.close();
    },
  });
  const { page } = a;
  await page.getByRole('button', { name: 'Audit' }).click();
  const first = await countMatching(a, /events; showing 1–100, newest first\./);
  const total = Number(/^(\d+) events/.exec(first)?.[1]);
  assert.ok(total > 240, first);
  const seqOfFirstRow = async () => Number(await page.locator('.audit-table tbody tr').first().locator('td').first().innerText());
  assert.equal(await seqOfFirstRow(), total);
  assert.equal(await page.locator('.audit-table tbody tr').count(), 100);
  assert.equal(await page.getByRole('button', { name: 'Newer' }).isDisabled(), true);
  await page.getByRole('button', { name: 'Older' }).focus();
  await page.keyboard.press('Enter');
  await countMatching(a, /showing 101–200, newest first/);
  assert.equal(await seqOfFirstRow(), total - 100);
  await page.keyboard.press('Enter');
  await countMatching(a, new RegExp(`showing 201–${total}, newest first`));
  assert.equal(await page.getByRole('button', { name: 'Older' }).isDisabled(), true);
  assert.match(await focusedLabel(page), /^button:Newer/, 'the keyboard focus goes on to Newer');
  await page.getByRole('button', { name: 'Newer' }).click();
  await countMatching(a, /showing 101–200/);
  // A filter starts again at its first page.
  await page.getByLabel('Outcome').selectOption('failed');
  const failed = await countMatching(a, /^\d+ of \d+ events match the filters; showing 1–100/);
  assert.ok(Number(/^(\d+)/.exec(failed)?.[1]) >= 120, failed);
  for (const outcome of await page.locator('.audit-table tbody tr td:nth-child(4)').allInnerTexts()) assert.equal(outcome, 'Failed');
  await a.screenshot('22-audit-pages');
});
