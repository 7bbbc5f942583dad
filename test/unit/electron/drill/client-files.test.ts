import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { drillBriefing } from '../../../../electron/drill/briefing';
import { writeDrillClientFiles } from '../../../../electron/drill/client-files';
import type { DrillFabric } from '../../../../electron/drill/fabric';

const hostKeyLine = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl nbg-drill-x';
const fabric: DrillFabric = {
  jump: { host: '127.0.80.1', port: 2222, hostKeyFingerprint: 'SHA256:jump', hostKeyLine },
  devices: [
    { name: 'CE1', hostname: 'nx-ce1-104', role: 'CE', primary: { host: '127.0.80.11', port: 2222 }, backup: { host: '127.0.81.11', port: 2222 }, primaryDead: false, v15: false, requireUv: true, hostKeyFingerprint: 'SHA256:a', hostKeyLine },
    { name: 'ToR1', hostname: 'nx-tor1-120', role: 'ToR', primary: { host: '127.0.80.13', port: 22 }, backup: { host: '127.0.81.13', port: 2222 }, primaryDead: true, v15: false, requireUv: true, hostKeyFingerprint: 'SHA256:b', hostKeyLine },
    { name: 'NPB1', hostname: 'nx-npb1-061', role: 'NPB', primary: { host: '127.0.80.14', port: 2222 }, backup: { host: '127.0.81.14', port: 2222 }, primaryDead: false, v15: true, requireUv: true, hostKeyFingerprint: 'SHA256:c', hostKeyLine },
  ],
  machines: [],
  users: [{ name: 'alice', role: 'writer' }],
  v15Accounts: [{ user: 'TelcoRO', role: 'reader', password: 'abcd-efgh-jkmn' }],
  events: () => [],
  knownHosts: () => `[127.0.80.1]:2222 ${hostKeyLine}\n127.0.80.13 ${hostKeyLine}\n`,
  stop: async () => undefined,
};

test('the generated ssh_config resolves in stock ssh (ssh -G), paths with spaces included', async (t) => {
  const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'nbg drill files ')), 'Nexus Break-Glass', 'drill');
  await fs.mkdir(dir, { recursive: true });
  t.after(() => fs.rm(path.dirname(path.dirname(dir)), { recursive: true, force: true }));
  const agentSocket = path.join(dir, 'agent dir', 'agent.sock');
  const files = await writeDrillClientFiles(fabric, dir, { user: 'alice', agentSocket });
  const resolved = (alias: string) => Object.fromEntries(execFileSync('/usr/bin/ssh', ['-G', '-F', files.sshConfig, alias], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
  const ce1 = resolved('drill-ce1');
  assert.equal(ce1.hostname, '127.0.80.11');
  assert.equal(ce1.port, '2222');
  assert.equal(ce1.user, 'alice');
  assert.equal(ce1.proxyjump, 'drill-jump');
  assert.equal(ce1.identityagent, agentSocket);
  assert.equal(ce1.userknownhostsfile, files.knownHosts);
  assert.equal(ce1.stricthostkeychecking, 'true');
  assert.equal(resolved('drill-tor1-backup').hostname, '127.0.81.13');
  assert.equal(resolved('drill-npb1').user, 'TelcoRO');
  assert.equal(resolved('drill-jump').proxyjump, undefined);
  assert.equal(await fs.readFile(files.knownHosts, 'utf8'), fabric.knownHosts());
  assert.equal((await fs.stat(files.sshConfig)).mode & 0o777, 0o600);
});

test('the briefing names the dead path, the roles and this drill\'s v1.5 passwords', () => {
  const text = drillBriefing(fabric, { sshConfigFile: '/x/ssh_config' });
  assert.match(text, /^ToR1 +ToR +127\.0\.80\.13:22 DOWN +127\.0\.81\.13:2222 +security key: PIN \+ touch$/m);
  assert.match(text, /^NPB1 .*Method D v1\.5 password \(TelcoRO \/ TelcoRW\)$/m);
  assert.match(text, /management switch path to ToR1 is down/);
  assert.match(text, /^ {2}alice +Writer: show \+ configure$/m);
  assert.match(text, /^ {2}TelcoRO {2}abcd-efgh-jkmn {3}\(reader\)$/m);
  assert.match(text, /ssh -F "\/x\/ssh_config" drill-ce1 show version/);
  assert.match(text, /ssh -F "\/x\/ssh_config" drill-tor1-backup/);
});
