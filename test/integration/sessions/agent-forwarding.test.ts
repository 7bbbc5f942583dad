// Agent forwarding is off unless asked for; when on, each signature the device asks for through
// the forwarded agent is confirmed first, naming where it came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { SessionManager, type Hop, type Target } from '../../../electron/core/ssh/sessions/index';
import { SoftSkSigner } from '../../support/soft-sk';
import { acceptNewHostKeys, jumpAndDevice, sessionInteraction, tempDir } from '../../support/sessions';
import { waitClosed } from '../../support/sessions-sshd';

test('agent forwarding: off by default; on, every forwarded signature needs a confirmation naming the device', async (t) => {
  const { key, jump, device } = await jumpAndDevice(t, '127.0.0.14');
  const dir = tempDir(t, 'nbg-fwd-');
  const pubFile = path.join(dir, 'key.pub');
  writeFileSync(pubFile, key.publicKeyLine);
  const interaction = sessionInteraction();
  const signer = new SoftSkSigner([key]);
  const manager = new SessionManager({
    interaction, signer, hostKeys: acceptNewHostKeys(dir),
  });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
  const target: Target = { name: 'leaf-06', user: device.user, host: device.host, port: device.port };
  const signOnDevice = `echo "sock=\${SSH_AUTH_SOCK:-none}"; ssh-add -L; echo payload | ssh-keygen -Y sign -n nbg-test -f ${pubFile}`;

  async function run(agentForward: boolean): Promise<{ out: string; code: number | undefined }> {
    const s = manager.open(target, chain, { command: signOnDevice, agentForward });
    let out = '';
    s.on('data', (d: Buffer) => { out += d.toString(); });
    s.on('stderr', (d: Buffer) => { out += d.toString(); });
    await s.connect();
    const closed = await waitClosed(s);
    return { out, code: closed.exitCode };
  }

  const off = await run(false);
  assert.match(off.out, /sock=none/);
  assert.notEqual(off.code, 0);
  assert.equal(interaction.signConfirmations.length, 0);
  const loginSignatures = signer.requests.length;

  interaction.confirmSignAnswer = true;
  const on = await run(true);
  assert.equal(on.code, 0, on.out);
  assert.ok(on.out.includes(key.publicKeyLine.trim().split(' ').slice(0, 2).join(' ')), 'ssh-add -L lists the forwarded key');
  assert.match(on.out, /-----BEGIN SSH SIGNATURE-----/);
  assert.equal(interaction.signConfirmations.length, 1);
  assert.equal(interaction.signConfirmations[0]?.origin, 'forwarded from leaf-06');
  assert.equal(interaction.signConfirmations[0]?.context.hop, 'leaf-06');
  const forwarded = signer.requests.at(-1)!;
  assert.equal(forwarded.context.origin, 'forwarded from leaf-06');
  assert.equal(signer.requests.length, loginSignatures + 2 + 1, 'two logins, then one forwarded signature');

  interaction.confirmSignAnswer = false;
  const denied = await run(true);
  assert.notEqual(denied.code, 0);
  assert.doesNotMatch(denied.out, /BEGIN SSH SIGNATURE/);
  assert.equal(interaction.signConfirmations.length, 2);
  assert.equal(signer.requests.length, loginSignatures + 3 + 2, 'a refused request is never signed');
});
