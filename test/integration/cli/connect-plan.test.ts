// The app's dispatcher and `nbg connect` share the services: for the same settings, inventory and
// identity they plan the same chain, device user name and backup address. Azure is the fake
// (fixture tenant); the plans are compared, nothing is dialled (the fixture addresses are data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { composeAzureCore } from '../../../electron/app/compose';
import { createTransport } from '../../../electron/core/net/transport';
import type { FabricSummary, NetworkDevice } from '../../../electron/shared/inventory';
import type { ConnectPlanView } from '../../../electron/shared/sessions';
import { simulatorKeySource } from '../../../native/authenticator/key-source';
import { openSimulator } from '../../../native/simulator/index';
import { DEFAULT_USER, FakeAzure } from '../../support/fake-azure/server';
import { loadFixtureTenant } from '../../support/fake-azure/tenants';
import { captureIo } from '../../support/nbg';
import { runCli } from '../../../electron/cli/main';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { startSshd, uniqueLoopback } from '../../support/sshd';
import type { ConnectHistory } from '../../../electron/shared/workspace';

test('the app and nbg connect plan the same chain, user name and backup address', { timeout: 180_000 }, async (t) => {
  const fake = await FakeAzure.start();
  t.after(() => fake.close().catch(() => undefined));
  loadFixtureTenant(fake);
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-plan-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const sshDir = path.join(home, 'ssh');
  mkdirSync(sshDir);
  const env = { ...fake.env(), NBG_HOME: home, HOME: home, NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm'), PATH: process.env.PATH };

  const sim = await openSimulator({ profile: 'ctap21' });
  const core = await composeAzureCore({
    home, sshDir, keySource: simulatorKeySource(sim), log: () => undefined, env, transport: createTransport({ extraCaPem: fake.caPem }),
  });
  const listed = await core.invoke('core:fabrics.list', { refresh: true });
  assert.ok(listed.ok, JSON.stringify(listed));
  const fabric = (listed.value as FabricSummary[])[0]!;
  const devicesReply = await core.invoke('core:fabrics.devices', { fabricId: fabric.id });
  assert.ok(devicesReply.ok);
  const device = (devicesReply.value as NetworkDevice[]).find((d) => d.managementIpv4 || d.managementIpv6);
  assert.ok(device, 'the fixture tenant has a device with a management address');

  // Settings both front ends read: a jump host for this fabric, a user name template, an imported backup address.
  await core.invoke('core:settings.update', {
    jumpHosts: { [fabric.id.toLowerCase()]: { host: '127.0.0.61', port: 2201, user: 'jumpops', name: 'jump-a' } },
    userNameTemplate: 'corp-{alias}',
  });
  await core.invoke('core:settings.importBackup', { format: 'csv', text: `${device.hostName},127.0.0.62\n` });

  const appPlan = async (p: 'primary' | 'backup'): Promise<ConnectPlanView> => {
    const reply = await core.invoke('core:connect.plan', { fabricId: fabric.id, deviceId: device.id, path: p, method: 'v2.0' });
    assert.ok(reply.ok, JSON.stringify(reply));
    return reply.value as ConnectPlanView;
  };
  const primaryApp = await appPlan('primary');
  const backupApp = await appPlan('backup');
  await core.dispose();

  const cliPlan = async (extra: string[]): Promise<ConnectPlanView> => {
    const c = captureIo(env);
    const code = await runCli(['connect', device.name, '--fabric', fabric.name, '--plan', '--json', ...extra], c.io);
    assert.equal(code, 0, c.err());
    return JSON.parse(c.out()) as ConnectPlanView;
  };
  const primaryCli = await cliPlan([]);
  const backupCli = await cliPlan(['--backup-path']);

  const alias = DEFAULT_USER.upn.split('@')[0];
  for (const [app, cli] of [[primaryApp, primaryCli], [backupApp, backupCli]] as const) {
    assert.deepEqual(cli.chain, app.chain);
    assert.deepEqual(cli.backup, app.backup);
    assert.equal(cli.path, app.path);
    assert.deepEqual(app.chain[0], { user: 'jumpops', host: '127.0.0.61', port: 2201, label: 'jump-a' });
    assert.equal(app.chain[1]?.user, `corp-${alias}`);
  }
  assert.deepEqual(primaryApp.backup, { host: '127.0.0.62', port: 22 }, 'the imported backup address is the fallback');
  assert.equal(backupApp.chain[1]?.host, '127.0.0.62');
  assert.equal(backupApp.backup, undefined);

  // Failure paths, each a clear error before anything is dialled.
  const fails = async (args: string[], message: RegExp): Promise<void> => {
    const c = captureIo(env);
    assert.equal(await runCli(['connect', ...args, '--plan'], c.io), 1, c.out());
    assert.match(c.err(), message);
  };
  await fails(['no-such-device'], /no device 'no-such-device' in the fabrics you can see/);
  await fails([device.name, '--fabric', 'no-such-fabric'], /no fabric 'no-such-fabric' in the inventory/);
  const jumpHosts = { [fabric.id.toLowerCase()]: { host: '127.0.0.61', port: 2201, user: 'jumpops', name: 'jump-a' } };
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({ version: 1, userNameTemplate: 'corp-{alias}', jumpHosts }));
  await fails([device.name, '--fabric', fabric.name, '--backup-path'], /has no backup \(in-band loopback\) address/);
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({ version: 1, userNameTemplate: 'corp-{alias}' }));
  await fails([device.name, '--fabric', fabric.name], /No jump host is set for/);

  // The jump host by ssh_config alias: nbg connect resolves it (and its own ProxyJump) as the app does.
  const sshConfig = path.join(home, 'ssh_config');
  await writeFile(sshConfig, 'Host bastion-cfg\n  HostName 127.0.0.64\n  User bastops\nHost jump-cfg\n  HostName 127.0.0.63\n  Port 2203\n  User cfgops\n  ProxyJump bastion-cfg\n');
  const byAlias = (alias: string) => writeFile(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, userNameTemplate: 'corp-{alias}', sshConfigPath: sshConfig, jumpHosts: { [fabric.id.toLowerCase()]: { sshConfigAlias: alias } },
  }));
  await byAlias('jump-cfg');
  const viaAlias = await cliPlan([]);
  assert.deepEqual(viaAlias.chain.slice(0, 2), [
    { user: 'bastops', host: '127.0.0.64', port: 22, label: 'bastion-cfg' }, { user: 'cfgops', host: '127.0.0.63', port: 2203, label: 'jump-cfg' }]);
  assert.deepEqual(viaAlias.chain[2], primaryCli.chain[1], 'the same device hop');
  await byAlias('jump-typo');
  await fails([device.name, '--fabric', fabric.name], /'jump-typo' is not a Host alias in ~\/ssh_config\. Add a 'Host jump-typo' block/); // HOME is `home` here

  // Azure down (the break-glass case): the same plan from the cached inventory, and the operator is told.
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, userNameTemplate: 'corp-{alias}', jumpHosts,
    backupAddresses: { [device.hostName.toLowerCase()]: '127.0.0.62' },
  }));
  await fake.close();
  const c = captureIo(env);
  assert.equal(await runCli(['connect', device.name, '--fabric', fabric.name, '--plan', '--json'], c.io), 0, c.err());
  assert.deepEqual((JSON.parse(c.out()) as ConnectPlanView).chain, primaryCli.chain);
  assert.match(c.err(), /Azure is unreachable; .* devices are from the inventory cached/);
});

test('nbg connect dials the planned route for real: the settings\' jump host, the device from the inventory, the templated user', { timeout: 180_000 }, async (t) => {
  const key = new SoftSk();
  const signer = new SoftSkSigner([key]);
  const agent = await AgentServer.start({ signer });
  t.after(() => agent.close());
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.70' });
  t.after(() => jump.stop());
  // Azure lists an address without a port, so the device answers on 22 (on its own loopback address).
  const deviceSshd = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.71', port: 22, keyUser: 'nbgplan' });
  t.after(() => deviceSshd.stop());

  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  loadFixtureTenant(fake);
  const armDevice = [...fake.arm.resources.values()].find((r) => /networkdevices\/example-device$/i.test(r.id));
  assert.ok(armDevice, 'the fixture tenant lists example-device');
  armDevice.properties = { ...armDevice.properties, managementIpv4Address: deviceSshd.host };

  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-connect-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = { ...fake.env(), NBG_HOME: home, HOME: home, NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm'), PATH: process.env.PATH };
  const fabrics = captureIo(env);
  assert.equal(await runCli(['fabrics', '--json'], fabrics.io), 0, fabrics.err());
  const fabric = (JSON.parse(fabrics.out()) as { fabrics: { id: string; name: string }[] }).fabrics.find((f) => f.name);
  assert.ok(fabric);
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, userNameTemplate: 'nbgplan',
    jumpHosts: { [fabric.id.toLowerCase()]: { host: jump.host, port: jump.port, user: jump.user, name: 'jump-a' } },
  }));

  const c = captureIo(env);
  c.stdin.end();
  const code = await runCli(['connect', 'example-device', '--fabric', fabric.name, '--agent', agent.path,
    '--known-hosts', path.join(home, 'kh'), '--accept-new', '--', 'echo', 'reached-$(whoami)'], c.io);
  assert.equal(code, 0, c.err());
  assert.match(c.out(), /reached-nbgplan/);
  assert.match(c.err(), /connecting to jump-a \(1\/2\)/);
  assert.equal(signer.requests.length, 2, 'jump and device, each signed once through the agent');
  await deviceSshd.waitForLog(/Accepted publickey for nbgplan/);
  // The device was reached from the jump host, at the address the inventory gives, on port 22.
  await jump.waitForLog(/direct-tcpip.*127\.0\.0\.71.*22|127\.0\.0\.71 port 22/);
});

test('one connect history for the app and nbg: a device whose management address just failed is planned on the backup path, and nbg ssh to that address says so', { timeout: 180_000 }, async (t) => {
  const key = new SoftSk();
  const signer = new SoftSkSigner([key]);
  const agent = await AgentServer.start({ signer });
  t.after(() => agent.close());
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: uniqueLoopback() });
  t.after(() => jump.stop());
  // The management address refuses (nothing on port 22); the in-band backup answers on 22.
  const management = uniqueLoopback();
  const backupSshd = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: uniqueLoopback(), port: 22, keyUser: 'nbgplan' });
  t.after(() => backupSshd.stop());

  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  loadFixtureTenant(fake);
  const armDevice = [...fake.arm.resources.values()].find((r) => /networkdevices\/example-device$/i.test(r.id));
  assert.ok(armDevice);
  armDevice.properties = { ...armDevice.properties, managementIpv4Address: management };
  const hostName = String((armDevice.properties as { hostName?: string }).hostName);

  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-history-cli-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = { ...fake.env(), NBG_HOME: home, HOME: home, NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm'), PATH: process.env.PATH };
  const fabrics = captureIo(env);
  assert.equal(await runCli(['fabrics', '--json'], fabrics.io), 0, fabrics.err());
  const fabric = (JSON.parse(fabrics.out()) as { fabrics: { id: string; name: string }[] }).fabrics.find((f) => f.name);
  assert.ok(fabric);
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, userNameTemplate: 'nbgplan',
    jumpHosts: { [fabric.id.toLowerCase()]: { host: jump.host, port: jump.port, user: jump.user, name: 'jump-a' } },
    backupAddresses: { [hostName.toLowerCase()]: backupSshd.host },
  }));
  const knownHosts = ['--known-hosts', path.join(home, 'kh'), '--accept-new'];

  const first = captureIo(env);
  first.stdin.end();
  assert.equal(await runCli(['connect', 'example-device', '--fabric', fabric.name, '--agent', agent.path, ...knownHosts, '--', 'echo', 'via-$(whoami)'], first.io), 0, first.err());
  assert.match(first.out(), /via-nbgplan/);
  assert.match(first.err(), /the primary path failed: .*trying the backup path/);
  // On disk, for the app and the next nbg alike.
  const history = JSON.parse(readFileSync(path.join(home, 'connect-history.json'), 'utf8')) as ConnectHistory;
  assert.equal(history.attempts.length, 1);
  assert.deepEqual([history.attempts[0]?.outcome, history.attempts[0]?.primaryFailed, history.attempts[0]?.address], ['backup', true, management]);

  // The next nbg connect starts on the backup path and says why.
  const again = captureIo(env);
  assert.equal(await runCli(['connect', 'example-device', '--fabric', fabric.name, '--plan', '--json'], again.io), 0, again.err());
  assert.equal((JSON.parse(again.out()) as ConnectPlanView).path, 'backup');
  assert.match(again.err(), /security key over the backup path: the management address failed minutes ago/);
  // So does the app's core over the same home.
  const core = await composeAzureCore({ home, sshDir: path.join(home, 'ssh'), keySource: simulatorKeySource(await openSimulator({ profile: 'ctap21' })), log: () => undefined, env, transport: createTransport({ extraCaPem: fake.caPem }) });
  const devices = await core.invoke('core:fabrics.devices', { fabricId: fabric.id });
  assert.ok(devices.ok);
  const deviceId = (devices.value as NetworkDevice[]).find((d) => d.name === 'example-device')?.id ?? '';
  const defaults = await core.invoke('core:connect.defaults', { fabricId: fabric.id, deviceId });
  await core.dispose();
  assert.ok(defaults.ok, JSON.stringify(defaults));
  assert.equal((defaults.value as { path: string }).path, 'backup');

  // nbg ssh names the address, not the device: the history is found by it.
  const ssh = captureIo(env);
  ssh.stdin.end();
  assert.equal(await runCli(['ssh', '-J', `${jump.user}@${jump.host}:${jump.port}`, '--backup', backupSshd.host, '--agent', agent.path, ...knownHosts,
    `nbgplan@${management}`, 'echo', 'ssh-ok'], ssh.io), 0, ssh.err());
  assert.match(ssh.out(), /ssh-ok/);
  assert.match(ssh.err(), new RegExp(`${management.replaceAll('.', '\\.')} did not answer 1 min ago \\(connect history\\); the backup path is suggested, and ${backupSshd.host.replaceAll('.', '\\.')} is tried if it fails again`));
});
