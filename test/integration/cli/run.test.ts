// `nbg run` for real: private sshds as a jump host and three fabric devices (a ForceCommand plays
// the device CLI and answers show commands), the inventory from fake Azure (the fixture tenant's
// device, copied), signatures through `nbg agent`'s protocol (the soft key behind an AgentServer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { auditLogPath } from '../../../electron/core/audit/log-path';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { FakeAzure } from '../../support/fake-azure/server';
import { loadFixtureTenant } from '../../support/fake-azure/tenants';
import { captureIo } from '../../support/nbg';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { startSshd, type Sshd } from '../../support/sshd';

const DEVICE_USER = 'nbgfleet';

/** A device CLI for ForceCommand: answers two show commands, refuses others, idles for a shell. */
const FAKE_EOS = `#!/bin/sh
name="$1"
case "$SSH_ORIGINAL_COMMAND" in
  "show version") printf 'Arista DCS-7280SR3-48YC8 (fake)\\nHostname: %s\\nSoftware image version: 4.30.2F\\n' "$name" ;;
  "show bgp summary") printf 'BGP summary information for VRF default\\nRouter identifier of %s, local AS number 65001\\n' "$name" ;;
  "") exec cat >/dev/null ;;
  *) printf '%% Invalid input (at token 1: %s)\\n' "$SSH_ORIGINAL_COMMAND" >&2; exit 1 ;;
esac
`;

interface Env { env: NodeJS.ProcessEnv; home: string; signer: SoftSkSigner; agent: AgentServer; jump: Sshd; devices: Record<string, Sshd> }

async function fabricWithDevices(t: { after(fn: () => unknown): void }): Promise<Env> {
  const key = new SoftSk();
  const signer = new SoftSkSigner([key]);
  const agent = await AgentServer.start({ signer });
  t.after(() => agent.close());
  const scripts = mkdtempSync(path.join(os.tmpdir(), 'nbg-fleet-bin-'));
  t.after(() => rmSync(scripts, { recursive: true, force: true }));
  chmodSync(scripts, 0o755);
  const eos = path.join(scripts, 'fake-eos');
  writeFileSync(eos, FAKE_EOS, { mode: 0o755 });
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.90' });
  t.after(() => jump.stop());
  const devices: Record<string, Sshd> = {};
  // ToR-B's management address (127.0.0.94) has no listener: it answers only on its backup address.
  for (const [name, listen] of [['ToR-A', '127.0.0.91'], ['ToR-B', '127.0.0.92'], ['CE-A', '127.0.0.93']] as const) {
    const sshd = await startSshd({
      authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen, port: 22, keyUser: DEVICE_USER,
      allowTcpForwarding: false, extraConfig: [`ForceCommand ${eos} ${name}`],
    });
    t.after(() => sshd.stop());
    devices[name] = sshd;
  }

  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  loadFixtureTenant(fake);
  const example = [...fake.arm.resources.values()].find((r) => /networkdevices\/example-device$/i.test(r.id));
  assert.ok(example, 'the fixture tenant lists example-device');
  fake.arm.resources.delete(example.id.toLowerCase());
  const addresses = { 'ToR-A': '127.0.0.91', 'ToR-B': '127.0.0.94', 'CE-A': '127.0.0.93' } as const;
  for (const [name, address] of Object.entries(addresses)) {
    const id = example.id.replace(/example-device$/, name);
    fake.arm.resources.set(id.toLowerCase(), {
      ...example, id, name,
      properties: { ...example.properties, hostName: `nx-${name.toLowerCase()}`, managementIpv4Address: address, managementIpv6Address: undefined,
        networkDeviceRole: name.startsWith('ToR') ? 'ToR' : 'CE' },
    });
  }

  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-fleet-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = { ...fake.env(), NBG_HOME: home, HOME: home, NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm'), PATH: process.env.PATH };
  const fabrics = captureIo(env);
  assert.equal(await runCli(['fabrics', '--json'], fabrics.io), 0, fabrics.err());
  const fabric = (JSON.parse(fabrics.out()) as { fabrics: { id: string; name: string }[] }).fabrics.find((f) => f.name);
  assert.ok(fabric);
  await writeFile(path.join(home, 'settings.json'), JSON.stringify({
    version: 1, userNameTemplate: DEVICE_USER,
    defaultJumpHost: { host: jump.host, port: jump.port, user: jump.user, name: 'jump-1' },
    backupAddresses: { 'nx-tor-b': '127.0.0.92' },
  }));
  return { env, home, signer, agent, jump, devices };
}

async function nbgRun(e: Env, args: string[]) {
  const c = captureIo(e.env);
  c.stdin.end();
  const code = await runCli(['run', '--agent', e.agent.path, '--known-hosts', path.join(e.home, 'kh'), '--accept-new', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

interface RunJson {
  runId: string;
  signatures: number;
  devices: { name: string; status: string; path?: string; via: string; commands: { command: string; exitCode?: number; output: string; stderr: string }[] }[];
}

test('nbg run: per-device exit status and output as JSON through one jump login; backup path; refusals before any login', { timeout: 240_000 }, async (t) => {
  const e = await fabricWithDevices(t);

  const refused = await nbgRun(e, ['--role', 'ToR', '--', 'show version | include image', 'configure terminal']);
  assert.equal(refused.code, 1, refused.err);
  assert.match(refused.err, /refused before any login/);
  assert.match(refused.err, /pipes/);
  assert.match(refused.err, /configure is not allowed/);
  assert.equal(e.signer.requests.length, 0, 'nothing was signed');
  assert.doesNotMatch(e.jump.log(), /Accepted publickey/, 'the jump host saw no login');

  const run = await nbgRun(e, ['--role', 'ToR', '--json', '--', 'show version', 'show bgp summary']);
  assert.equal(run.code, 0, run.err);
  const result = JSON.parse(run.out) as RunJson;
  assert.deepEqual(result.devices.map((d) => [d.name, d.status, d.path]).sort(), [['ToR-A', 'ok', 'primary'], ['ToR-B', 'ok', 'backup']]);
  for (const d of result.devices) {
    assert.equal(d.via, 'jump-1');
    assert.deepEqual(d.commands.map((c) => [c.command, c.exitCode]), [['show version', 0], ['show bgp summary', 0]]);
    assert.match(d.commands[0]!.output, new RegExp(`Hostname: ${d.name}\\n`));
    assert.match(d.commands[1]!.output, new RegExp(`Router identifier of ${d.name}`));
  }
  assert.equal(e.signer.requests.length, 3, 'one jump login and one login per device');
  assert.match(run.err, /touch 1 of 2 — ToR-[AB] via jump-1/);
  assert.match(run.err, /touch 2 of 2 — ToR-[AB] via jump-1/);
  assert.equal((e.jump.log().match(/Accepted publickey/g) ?? []).length, 1, 'the jump host was logged in to once');
  assert.doesNotMatch(e.devices['CE-A']!.log(), /Accepted publickey/, 'the CE was not in the run');

  // A command the device rejects: its exit status and error text come back, the run exits 1.
  const bad = await nbgRun(e, ['--device', 'nx-ce-a', '--json', '--', 'show interfaces status']);
  assert.equal(bad.code, 1, bad.err);
  const badResult = JSON.parse(bad.out) as RunJson;
  assert.equal(badResult.devices.length, 1);
  assert.equal(badResult.devices[0]!.status, 'failed');
  assert.equal(badResult.devices[0]!.commands[0]!.exitCode, 1);
  assert.match(badResult.devices[0]!.commands[0]!.stderr, /Invalid input/);

  // The audit log holds both runs and every device's output.
  const entries = readFileSync(auditLogPath(e.home), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const outputs = entries.filter((x) => x.type === 'fleet-output' && x.runId === result.runId);
  assert.equal(outputs.length, 4);
  assert.ok(outputs.some((o) => /Hostname: ToR-B/.test(String(o.output))));
  assert.deepEqual(entries.filter((x) => x.type === 'fleet-run').map((x) => [x.phase, x.ok ?? null, x.failed ?? null]),
    [['start', null, null], ['end', 2, 0], ['start', null, null], ['end', 0, 1]]);
});
