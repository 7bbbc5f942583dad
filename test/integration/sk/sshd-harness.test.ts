// The sshd harness itself: password logins (Method D v1.5 targets), forwarding switch, loopback only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectSsh2 } from '../../support/ssh-client';
import { startSshd } from '../../support/sshd';

describe('startSshd', () => {
  it('serves password logins for a local user and reports its host key', async (t) => {
    const sshd = await startSshd({ authorizedKeys: [], passwordAuth: { user: 'nbgpwtest', password: 'v1.5-shared-Pass' }, allowTcpForwarding: false });
    t.after(() => sshd.stop());
    let seenKey = '';
    const c = await connectSsh2({
      host: sshd.host, port: sshd.port, username: 'nbgpwtest', password: 'v1.5-shared-Pass',
      hostVerifier: (key: Buffer) => { seenKey = key.toString('base64'); return true; },
    });
    try {
      assert.equal(sshd.hostKeyPub.split(' ')[1], seenKey);
      assert.match(sshd.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
      const refused = await new Promise<boolean>((resolve) => c.forwardOut('127.0.0.1', 0, '127.0.0.1', sshd.port, (err) => resolve(Boolean(err))));
      assert.equal(refused, true, 'AllowTcpForwarding no is honoured');
    } finally {
      c.end();
    }
    await assert.rejects(connectSsh2({ host: sshd.host, port: sshd.port, username: 'nbgpwtest', password: 'wrong' }), /authentication methods failed/);
    await sshd.waitForLog(/Accepted password for nbgpwtest/);
  });

  it('refuses to listen outside loopback', async () => {
    await assert.rejects(startSshd({ authorizedKeys: [], listen: '0.0.0.0' }), /127\.0\.0\.0\/8 only/);
  });
});
