// The audit view's "Compare with Azure Monitor" in Azure mode: the checkpoint `nbg audit forward`
// sent to the Logs Ingestion fake is read back through its Log Analytics Query API; the log agrees,
// then a cut tail with a recomputed head (which the local chain alone cannot see) is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FakeAzure } from '../support/fake-azure/server';
import { loadFixtureTenant } from '../support/fake-azure/tenants';
import { startFakeLogsIngestion } from '../support/fake-azure/logs-ingestion';
import { azureAppCore, enrollThroughContract } from '../support/azure-app-core';
import { rechain, type ForgedEntry } from '../support/audit-forgery';
import { seriousInBothSchemes } from '../support/axe';
import { openUi } from '../support/e2e-harness';
import { nbg } from '../support/nbg';

test('audit view: Compare with Azure Monitor agrees with the checkpoint sent, then names a cut tail', { timeout: 180_000 }, async (t) => {
  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  loadFixtureTenant(fake);
  const ingestion = await startFakeLogsIngestion();
  t.after(() => ingestion.close());
  const monitor = { endpoint: ingestion.endpoint, ruleId: ingestion.ruleId, stream: ingestion.stream, workspaceId: ingestion.workspaceId, queryEndpoint: `${ingestion.endpoint}/v1/workspaces` };
  const tokens = { NBG_MONITOR_TOKEN: ingestion.token, NBG_LOG_ANALYTICS_TOKEN: ingestion.queryToken };
  const { core, home } = await azureAppCore(t, fake, { settings: { auditForward: { azureMonitor: monitor } }, env: tokens, caPem: ingestion.pki.caPem });
  await enrollThroughContract(core);

  // The security team's copy: what nbg audit forward sends, with its checkpoint.
  await fs.writeFile(path.join(home, 'ingestion-ca.pem'), ingestion.pki.caPem);
  const sent = await nbg(['audit', 'forward'], {
    env: { NBG_HOME: home, NODE_EXTRA_CA_CERTS: path.join(home, 'ingestion-ca.pem'), DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', NBG_ARM_TOKEN: 'arm', ...tokens },
  });
  assert.equal(sent.code, 0, sent.stdout + sent.stderr);
  const file = path.join(home, 'audit', 'audit.jsonl');
  const entries = (await fs.readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as ForgedEntry);
  assert.ok(entries.length >= 2, `${entries.length} entries to forward`);

  const { page, screenshot } = await openUi(t, core);
  await page.getByRole('button', { name: 'Audit', exact: true }).click();
  const compare = page.getByRole('button', { name: 'Compare with Azure Monitor' });
  await compare.focus();
  await page.keyboard.press('Enter');
  const result = page.getByTestId('audit-remote');
  await result.getByText(/The log agrees with Azure Monitor/).waitFor();
  assert.match(await result.innerText(), new RegExp(`^The log agrees with Azure Monitor \\(workspace ${ingestion.workspaceId}, checkpoint of .+\\): entry ${entries.length} is the one that was sent\\.$`));
  await screenshot('audit-remote-01-agrees');

  // Cut the tail and recompute the head: the local chain checks out, the remote checkpoint does not.
  const cut = rechain(entries.slice(0, 1));
  await fs.writeFile(file, cut.log);
  await fs.writeFile(`${file}.head`, cut.head);
  await compare.click();
  await result.getByText(/Differs from Azure Monitor/).waitFor();
  assert.match(await result.innerText(), new RegExp(`the log ends at entry 1 but Azure Monitor .* holds a checkpoint at entry ${entries.length}: the end was cut off\\. Keep the log file as it is and tell your security team\\.`));
  assert.deepEqual(await seriousInBothSchemes(page, 'audit remote check'), []);
  await screenshot('audit-remote-02-cut');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot('audit-remote-03-cut-dark');
});
