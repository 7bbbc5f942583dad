// A device known by its ECDSA host key that also has an ed25519 one: `nbg ssh` negotiates the
// recorded type (OpenSSH's order_hostkeyalgs), connects without a prompt and writes no new
// known_hosts line. Stock ssh on the same known_hosts is the oracle: the same algorithm in the
// sshd log, and the same proposal (its -vvv KEXINIT, limited to what both implement).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../electron/cli/main';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import { DEFAULT_HOST_KEY_ALGORITHMS, orderHostKeyAlgorithms } from '../../../electron/core/ssh/host-key-order';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts-store';
import { captureIo } from '../../support/nbg';
import { startSshd, type Sshd } from '../../support/sshd';
import { runSsh, writeSshConfig } from '../../support/ssh-client';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { tempDir } from '../../support/sessions';

const hostKeyAlgorithmsIn = (log: string): string[] => [...log.matchAll(/kex: host key algorithm: (\S+)/g)].map((m) => m[1]!);
/** The client's own KEXINIT host key list from `ssh -vvv` (the first of the two lists it prints). */
const proposedByStock = (stderr: string): string[] => (/debug2: host key algorithms: (\S+)/.exec(stderr)?.[1] ?? assert.fail(stderr)).split(',');

test('an ECDSA-recorded device that also offers ed25519: no prompt, no new line, the same choice as stock ssh', async (t) => {
  const dir = tempDir(t, 'nbg-hko-');
  const ecdsaKey = path.join(dir, 'host_ecdsa');
  execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', ecdsaKey]);
  const key = new SoftSk();
  // HostKey order: sshd's own ed25519 first, so a client without a preference would get ed25519.
  const device: Sshd = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: '127.0.0.31', extraConfig: [`HostKey ${ecdsaKey}`] });
  t.after(() => device.stop());
  const agent = await AgentServer.start({ signer: new SoftSkSigner([key]) });
  t.after(() => agent.close());
  const knownHosts = path.join(dir, 'known_hosts');
  const recorded = `[${device.host}]:${device.port} ${readFileSync(`${ecdsaKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`;
  writeFileSync(knownHosts, recorded);

  // No --accept-new and no terminal: an unknown host key would be declined and the connect fail.
  const run = captureIo({ ...process.env, NBG_HOME: path.join(dir, 'home') });
  run.stdin.end();
  const code = await runCli(['ssh', '--agent', agent.path, '--known-hosts', knownHosts,
    `${device.user}@${device.host}:${device.port}`, '--', 'echo', 'in-by-ecdsa'], run.io);
  assert.equal(code, 0, run.err());
  assert.match(run.out(), /in-by-ecdsa/);
  assert.doesNotMatch(run.err(), /host key/i);
  assert.equal(readFileSync(knownHosts, 'utf8'), recorded, 'no new known_hosts line');
  assert.deepEqual(hostKeyAlgorithmsIn(device.log()), ['ecdsa-sha2-nistp256']);

  const cfg = await writeSshConfig(dir, agent.path, ['StrictHostKeyChecking yes']);
  const stock = await runSsh(cfg, ['-vvv', '-p', String(device.port), `${device.user}@${device.host}`, 'echo stock-ok']);
  assert.equal(stock.code, 0, stock.stderr);
  assert.deepEqual(hostKeyAlgorithmsIn(device.log()), ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256']);
  const stockList = proposedByStock(stock.stderr);
  const entries = await new KnownHostsStore({ readOnly: [knownHosts], managed: path.join(dir, 'unused') }).entriesFor(device.host, device.port);
  const ours = orderHostKeyAlgorithms(DEFAULT_HOST_KEY_ALGORITHMS, entries);
  assert.deepEqual(ours.filter((a) => stockList.includes(a)), stockList.filter((a) => ours.includes(a)));
  assert.equal(stockList[0], 'ecdsa-sha2-nistp256-cert-v01@openssh.com');
  assert.equal(readFileSync(knownHosts, 'utf8'), recorded);
});
