// 20 concurrent device sessions over one shared jump connection, each receiving 50 MB of a
// deterministic stream (AES-128-CTR keystream made by stock openssl on the device): every byte
// must arrive (SHA-256 equal to the same stream computed here). Bounded by a generous timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { SessionManager, type Hop } from '../../../electron/core/ssh/sessions/index';
import { startSshd } from '../../support/sshd';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { acceptNewHostKeys, sessionInteraction, tempDir } from '../../support/sessions';
import { waitClosed } from '../../support/sessions-sshd';

const SESSIONS = 20;
const BYTES = 50 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const IV = '00000000000000000000000000000000';

function keyFor(i: number): string {
  return createHash('sha256').update(`nbg-bulk-${i}`).digest('hex').slice(0, 32);
}

function expectedSha256(keyHex: string): string {
  const cipher = createCipheriv('aes-128-ctr', Buffer.from(keyHex, 'hex'), Buffer.from(IV, 'hex'));
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(CHUNK);
  for (let done = 0; done < BYTES; done += CHUNK) hash.update(cipher.update(zeros));
  return hash.digest('hex');
}

test(`${SESSIONS} concurrent sessions each receive ${BYTES / 1024 / 1024} MB intact over one jump`, { timeout: 200_000 }, async (t) => {
  const key = new SoftSk();
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: '127.0.0.2', extraConfig: ['MaxSessions 64', 'MaxStartups 64'] });
  t.after(() => jump.stop());
  const device = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: '127.0.0.10', extraConfig: ['MaxStartups 64'] });
  t.after(() => device.stop());
  const dir = tempDir(t, 'nbg-bulk-');
  const interaction = sessionInteraction();
  const signer = new SoftSkSigner([key]);
  const manager = new SessionManager({
    interaction, signer, scrollbackBytes: CHUNK,
    hostKeys: acceptNewHostKeys(dir),
  });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
  const target = { name: 'leaf-05', user: device.user, host: device.host, port: device.port };

  // The first session opens the jump (and holds it open); the other 19 reuse it.
  const first = await start(0);
  const rest = await Promise.all(Array.from({ length: SESSIONS - 1 }, (_, i) => start(i + 1)));
  const results = await Promise.all([first, ...rest].map((r) => r.finished));
  for (const [i, r] of results.entries()) {
    assert.equal(r.bytes, BYTES, `session ${i} byte count`);
    assert.equal(r.sha256, expectedSha256(keyFor(i)), `session ${i} content`);
    assert.equal(r.exitCode, 0);
  }
  assert.equal(signer.requests.length, 1 + SESSIONS, 'one jump login, then one device login per session');

  async function start(i: number): Promise<{ finished: Promise<{ bytes: number; sha256: string; exitCode: number | undefined }> }> {
    const command = `openssl enc -aes-128-ctr -nosalt -K ${keyFor(i)} -iv ${IV} -in /dev/zero 2>/dev/null | head -c ${BYTES}`;
    const session = manager.open(target, chain, { command });
    const hash = createHash('sha256');
    let bytes = 0;
    session.on('data', (d: Buffer) => {
      bytes += d.length;
      hash.update(d);
    });
    await session.connect();
    const finished = waitClosed(session, 180_000).then((closed) => ({ bytes, sha256: hash.digest('hex'), exitCode: closed.exitCode }));
    return { finished };
  }
});
