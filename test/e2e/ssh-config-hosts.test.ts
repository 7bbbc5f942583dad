// ssh_config in the app, on real OpenSSH sshds: an alias (HostName 127.0.0.1, Port of a private
// sshd, ProxyJump to the alias of a private jump sshd, HostKeyAlias, UserKnownHostsFile,
// StrictHostKeyChecking yes, KexAlgorithms) is picked from the "SSH config" group and reaches a shell prompt,
// with the same host, user and chain as stock `ssh -F` on the same file; a fabric's jump host set
// to an alias (with its own ProxyJump) carries a device connect; an alias no Host line names is
// refused in words. Screens in light and dark, axe on each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DRILL_FABRIC_ID } from '../../electron/drill/mode';
import { seriousInBothSchemes } from '../support/axe';
import { answerPin, drillDevice, openConnect, PIN, readyApp, UI_TIMEOUT_MS, type App } from '../support/e2e-harness';
import { startSshd, type Sshd } from '../support/sshd';

const forwardsIn = (log: string): string[] => [...log.matchAll(/server_request_direct_tcpip: originator \S+ port \d+, target (\S+ port \d+)/g)].map((m) => m[1]!);
const kexIn = (log: string): string[] => [...log.matchAll(/kex: algorithm: (\S+)/g)].map((m) => m[1]!);
const REPORT = 'echo "SEEN:$(echo $SSH_CONNECTION | cut -d" " -f3,4):$(whoami):END"';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-sshcfg-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function sshd(t: { after(fn: () => Promise<void>): void }, keys: string[]): Promise<Sshd> {
  const s = await startSshd({ authorizedKeys: keys, listen: '127.0.0.1' });
  t.after(() => s.stop());
  return s;
}

/** Stock ssh on the same file (the jump's ssh gets -F from it too); non-interactive, no prompts. */
function stockSsh(config: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/ssh', ['-F', config, '-o', 'BatchMode=yes', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** Answers what the connect asks (trust a host key, the PIN) until the session is open; returns the host-key prompts' "where". */
async function answerUntilOpen(a: App): Promise<string[]> {
  const { page } = a;
  const trusted: string[] = [];
  const hostKey = page.getByTestId('prompt-host-key');
  const pin = page.getByTestId('prompt-pin');
  const open = page.getByTestId('session-state').getByText('open');
  const until = Date.now() + 6 * UI_TIMEOUT_MS;
  while (Date.now() < until) {
    await hostKey.or(pin).or(open).first().waitFor({ timeout: UI_TIMEOUT_MS });
    if (await open.isVisible()) return trusted;
    if (await pin.isVisible()) {
      await answerPin(a, PIN);
      await pin.waitFor({ state: 'detached' });
    } else if (await hostKey.isVisible()) {
      trusted.push(await hostKey.getByTestId('prompt-where').innerText());
      await hostKey.getByRole('button', { name: 'Trust and remember' }).click();
      await hostKey.waitFor({ state: 'detached' });
    }
  }
  throw new Error('the session did not open');
}

async function showScreen(a: App, name: string): Promise<void> {
  assert.deepEqual(await seriousInBothSchemes(a.page, name), [], `${name}: no serious or critical axe violations`);
  await a.screenshot(`${name}-light`);
  await a.page.emulateMedia({ colorScheme: 'dark' });
  await a.screenshot(`${name}-dark`);
  await a.page.emulateMedia({ colorScheme: 'light' });
}

test('an ssh_config alias picked in the app reaches a shell prompt through its ProxyJump, as stock ssh -F does', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  const dir = tempDir(t);
  const drillKey = a.app.drill.registeredKey();
  assert.ok(drillKey);
  // Stock ssh signs with a plain key named by IdentityFile; the app names that file as not its own and signs with the security key.
  const plainKey = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stock-ssh', '-f', plainKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'ca')]);
  execFileSync('ssh-keygen', ['-q', '-s', path.join(dir, 'ca'), '-I', 'e2e', '-n', os.userInfo().username, `${plainKey}.pub`]);
  const keys = [drillKey, execFileSync('cat', [`${plainKey}.pub`], { encoding: 'utf8' }).trim()];
  const jump = await sshd(t, keys);
  const leaf = await sshd(t, keys);
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[${jump.host}]:${jump.port} ${jump.hostKeyPub}\nleaf-e2e.fabric ${leaf.hostKeyPub}\n`);
  const config = path.join(dir, 'ssh_config');
  writeFileSync(config, [
    'Host jump-e2e',
    '  HostName 127.0.0.1',
    `  Port ${jump.port}`,
    'Host leaf-e2e',
    '  HostName 127.0.0.1',
    `  Port ${leaf.port}`,
    '  ProxyJump jump-e2e',
    '  HostKeyAlias leaf-e2e.fabric',
    '  KexAlgorithms ecdh-sha2-nistp256',
    'Host leaf-*',
    '  ServerAliveInterval 15',
    'Host *',
    `  User ${leaf.user}`,
    `  UserKnownHostsFile ${knownHosts}`,
    '  StrictHostKeyChecking yes',
    '  ConnectTimeout 20',
    `  IdentityFile ${plainKey}`,
    `  CertificateFile ${plainKey}-cert.pub`,
    '',
  ].join('\n'));
  assert.equal((await a.app.core.invoke('core:settings.update', { sshConfigPath: config })).ok, true);

  // The device list: an "SSH config" group beside the fabric, its hosts resolved.
  await page.getByRole('button', { name: 'Fabrics' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  const group = page.getByTestId('fabric-item').filter({ hasText: 'SSH config' });
  await group.waitFor();
  assert.match(await group.innerText(), /SSH config[\s\S]*ssh_config[\s\S]*2 hosts · from /);
  await group.click();
  const leafRow = page.getByTestId('devices-table').locator('tbody tr').filter({ hasText: 'leaf-e2e' });
  await leafRow.waitFor();
  assert.match(await leafRow.innerText(), new RegExp(`leaf-e2e[\\s\\S]*127\\.0\\.0\\.1[\\s\\S]*as ${leaf.user}, via jump-e2e`));
  await showScreen(a, 'sshcfg-01-device-list');

  // The connect dialog: the route as ssh_config makes it, and what it will not use, named once.
  await page.getByRole('button', { name: 'Connect to leaf-e2e' }).click();
  const dialog = page.getByTestId('connect-dialog');
  await dialog.getByTestId('connect-route').waitFor();
  assert.equal(await dialog.getByTestId('connect-route').innerText(),
    `jump-e2e (${jump.user}@127.0.0.1:${jump.port}) → leaf-e2e (${leaf.user}@127.0.0.1:${leaf.port})`);
  assert.equal(await dialog.getByTestId('connect-jump').innerText(), `${jump.user}@127.0.0.1:${jump.port}`);
  assert.equal(await page.getByLabel('Device user name').inputValue(), leaf.user);
  const notes = await dialog.getByTestId('connect-config-notes').innerText();
  assert.equal(notes.match(/IdentityFile/g)?.length, 1, notes);
  assert.match(notes, new RegExp(`IdentityFile ${plainKey} \\(not a security-key file`));
  assert.match(notes, /CertificateFile \(user certificates are not offered\)/);
  assert.match(notes, /ServerAliveInterval/);
  await showScreen(a, 'sshcfg-02-connect-dialog');

  const touches = a.touch.count;
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  // StrictHostKeyChecking yes with both keys in UserKnownHostsFile (the device under its HostKeyAlias): no host-key prompt.
  assert.deepEqual(await answerUntilOpen(a), []);
  assert.equal(a.touch.count - touches, 2, 'the security key signed at the jump and at the device');
  assert.match(await page.getByTestId('session-info').innerText(), new RegExp(`${leaf.user}@jump-e2e → ${leaf.user}@leaf-e2e`));
  assert.doesNotMatch(await page.getByRole('tab').first().innerText(), /drill/, 'an ssh_config host is real, not a drill device');
  await a.waitForOutput(/[#$] $/);
  await page.keyboard.type(`${REPORT}\r`);
  // The terminal echoes the command line too: the answer is the line with the values filled in.
  const seen = await a.waitForOutput(/SEEN:[\d.]+ \d+:\w+:END/);
  await showScreen(a, 'sshcfg-03-terminal');
  const forwardsAfterApp = forwardsIn(jump.log());
  assert.deepEqual(forwardsAfterApp, [`127.0.0.1 port ${leaf.port}`], 'the jump forwarded the app to the device');
  assert.deepEqual(kexIn(leaf.log()), ['ecdh-sha2-nistp256'], 'KexAlgorithms of the alias, in the device sshd log');

  // Stock ssh on the same file: the same host and user, through the same jump.
  const stock = await stockSsh(config, ['leaf-e2e', REPORT]);
  assert.equal(stock.code, 0, stock.stderr);
  assert.equal(seen, stock.stdout.trim(), 'same address, port and user');
  assert.equal(seen, `SEEN:127.0.0.1 ${leaf.port}:${leaf.user}:END`);
  assert.deepEqual(forwardsIn(jump.log()), [...forwardsAfterApp, `127.0.0.1 port ${leaf.port}`], 'the jump forwarded stock ssh to the device too');
  assert.deepEqual(kexIn(leaf.log()), ['ecdh-sha2-nistp256', 'ecdh-sha2-nistp256'], 'the same key exchange for stock ssh');

  // The same alias from the Ctrl+K palette: a few letters, Enter, the PIN.
  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('quick-connect');
  await palette.waitFor();
  await page.keyboard.type('leaf-e2');
  const first = palette.getByRole('option').first();
  await first.getByText('leaf-e2e', { exact: true }).first().waitFor();
  assert.match(await first.innerText(), /leaf-e2e[\s\S]*SSH config host · SSH config · 127\.0\.0\.1/);
  await showScreen(a, 'sshcfg-07-palette');
  await page.keyboard.press('Enter');
  await answerPin(a, PIN);
  await palette.waitFor({ state: 'detached' });
  await page.getByRole('tab').nth(1).waitFor();
  await page.getByTestId('session-state').getByText('open').waitFor();
  assert.deepEqual(forwardsIn(jump.log()), Array(3).fill(`127.0.0.1 port ${leaf.port}`), 'the palette connect went through the jump too');
});

test("a fabric's jump host set to an ssh_config alias (with its own ProxyJump) carries a device connect; an unknown alias is refused", async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  const dir = tempDir(t);
  const drillKey = a.app.drill.registeredKey();
  assert.ok(drillKey);
  const bastion = await sshd(t, [drillKey]);
  const jump = await sshd(t, [drillKey]);
  const config = path.join(dir, 'ssh_config');
  writeFileSync(config, [
    'Host bastion-e2e', '  HostName 127.0.0.1', `  Port ${bastion.port}`, `  User ${bastion.user}`,
    'Host jump-e2e', '  HostName 127.0.0.1', `  Port ${jump.port}`, `  User ${jump.user}`, '  ProxyJump bastion-e2e', '',
  ].join('\n'));
  const fabric = DRILL_FABRIC_ID.toLowerCase();
  assert.equal((await a.app.core.invoke('core:settings.update', { sshConfigPath: config, jumpHosts: { [fabric]: { sshConfigAlias: 'nope-e2e' } } })).ok, true);

  // Refused in words: in the settings' "in effect" table and in the connect dialog (Connect stays off).
  await page.getByRole('button', { name: 'Settings' }).click();
  const inEffect = page.getByTestId('jump-in-effect');
  await inEffect.getByText(/'nope-e2e' is not a Host alias in/).waitFor();
  await showScreen(a, 'sshcfg-04-settings-unknown-alias');
  const ce1 = drillDevice(a, 'CE1');
  await page.getByRole('button', { name: 'Fabrics' }).click();
  await page.getByTestId('fabric-item').filter({ hasText: 'drill-fabric' }).click();
  await page.getByTestId('devices-table').waitFor();
  await page.getByRole('button', { name: `Connect to ${ce1.hostname}` }).click();
  const problem = page.getByTestId('connect-jump-problem');
  await problem.waitFor();
  assert.match(await problem.innerText(), new RegExp(`'nope-e2e' is not a Host alias in ${config.replaceAll('/', '\\/')}\\. Add a 'Host nope-e2e' block there`));
  assert.equal(await page.getByRole('button', { name: 'Connect', exact: true }).isDisabled(), true);
  await page.getByRole('button', { name: 'Cancel' }).click();

  // Name the alias in Settings, as an operator does.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Fabric', { exact: true }).selectOption(DRILL_FABRIC_ID);
  await page.getByLabel('Fabric jump host ssh_config alias').fill('jump-e2e');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByTestId('settings-status').getByText('Fabric jump host saved.').waitFor();
  const row = inEffect.locator('tr').filter({ hasText: 'drill-fabric' });
  await row.getByText('ssh_config alias jump-e2e').waitFor();
  assert.equal(await row.locator('td').nth(1).innerText(), `${jump.user}@127.0.0.1:${jump.port} via ${bastion.user}@127.0.0.1:${bastion.port}`);
  assert.equal(await row.locator('td').nth(2).innerText(), `set for this fabric: ssh_config alias jump-e2e in ${config}`);
  await showScreen(a, 'sshcfg-05-settings-jump-alias');
  // What the table shows is what stock ssh makes of the same alias in the same file.
  const g = (alias: string, key: string) => execFileSync('ssh', ['-G', '-F', config, alias], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith(`${key} `))?.slice(key.length + 1);
  assert.equal(`${g('jump-e2e', 'user')}@${g('jump-e2e', 'hostname')}:${g('jump-e2e', 'port')} via ${g('bastion-e2e', 'user')}@${g('bastion-e2e', 'hostname')}:${g('bastion-e2e', 'port')}`,
    await row.locator('td').nth(1).innerText());
  assert.equal(g('jump-e2e', 'proxyjump'), 'bastion-e2e');

  await openConnect(a, ce1.hostname);
  assert.equal(await page.getByTestId('connect-jump').innerText(), `${jump.user}@127.0.0.1:${jump.port} via ${bastion.user}@127.0.0.1:${bastion.port}`);
  await showScreen(a, 'sshcfg-06-connect-via-alias');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const trusted = await answerUntilOpen(a);
  assert.equal(trusted.length, 3, `bastion, jump and device host keys asked once each: ${trusted.join(' | ')}`);
  await a.waitForOutput(new RegExp(`${ce1.hostname}>`));
  assert.match(await page.getByTestId('session-info').innerText(), /@bastion-e2e → \S+@jump-e2e → operator@drill\.nexus@/);
  // The chain really ran through both sshds: the bastion forwarded to the jump, the jump to the device.
  assert.deepEqual(forwardsIn(bastion.log()), [`127.0.0.1 port ${jump.port}`]);
  assert.deepEqual(forwardsIn(jump.log()), [`${ce1.primary.host} port ${ce1.primary.port}`]);
});
