// ssh2 (with the project's sk patch) + SkAgent + soft-sk against a real OpenSSH sshd.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type ssh2 from 'ssh2';
import { SkAgent } from '../../../electron/core/ssh/agent/sk-agent';
import { SkKeyType } from '../../../native/sk/types';
import { connectSsh2 as connect } from '../../support/ssh-client';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { startSshd, type Sshd } from '../../support/sshd';

function exec(c: ssh2.Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, stream) => {
      if (err) return reject(err);
      let out = '';
      stream.on('data', (d: Buffer) => { out += d.toString(); });
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => resolve(out));
    });
  });
}

describe('ssh2 + SkAgent against sshd with verify-required', () => {
  const ed = new SoftSk({ type: SkKeyType.Ed25519, counter: 100 });
  const ec = new SoftSk({ type: SkKeyType.EcdsaP256, counter: 7 });
  let sshd: Sshd;
  before(async () => {
    sshd = await startSshd({ authorizedKeys: [ed.publicKeyLine, ec.publicKeyLine], verifyRequired: true });
  });
  after(() => sshd.stop());

  for (const [name, key] of [['ed25519-sk', ed], ['ecdsa-sk', ec]] as const) {
    it(`logs in with ${name} (UP|UV) and sshd reports sk_flags = 0x05`, async () => {
      const signer = new SoftSkSigner([key]);
      const agent = new SkAgent(signer, { purpose: 'sign in', hop: 'leaf-02', origin: 'test' });
      const before = key.counter;
      const c = await connect({ host: sshd.host, port: sshd.port, username: sshd.user, agent });
      try {
        assert.equal((await exec(c, 'echo logged-in')).trim(), 'logged-in');
      } finally {
        c.end();
      }
      assert.equal(signer.requests.length, 1, 'one touch per login');
      assert.deepEqual(signer.requests[0]!.context, { purpose: 'sign in', hop: 'leaf-02', origin: 'test' });
      const log = await sshd.waitForLog(new RegExp(`sk_counter = ${before}, sk_flags = 0x05`));
      assert.match(log, new RegExp(`Accepted publickey for ${sshd.user} .* ${key.publicKey.type === SkKeyType.Ed25519 ? 'ED25519-SK' : 'ECDSA-SK'}`));
    });
  }

  it('is refused when the signature lacks the UV flag', async () => {
    const noUv = new SoftSk({ type: SkKeyType.Ed25519, assertionFlags: 0x01 });
    const local = await startSshd({ authorizedKeys: [noUv.publicKeyLine], verifyRequired: true });
    try {
      const agent = new SkAgent(new SoftSkSigner([noUv]), { purpose: 'sign in', origin: 'test' });
      await assert.rejects(
        connect({ host: local.host, port: local.port, username: local.user, agent }),
        /All configured authentication methods failed/,
      );
      await local.waitForLog(/user verification requirement not met/);
    } finally {
      await local.stop();
    }
  });

  it('logs in on both hops through a second sshd as jump host (forwardOut + sock)', async () => {
    const jump = await startSshd({ authorizedKeys: [ed.publicKeyLine], verifyRequired: true, listen: '127.0.0.2' });
    try {
      const signer = new SoftSkSigner([ed]);
      const agent = new SkAgent(signer, { purpose: 'sign in', hop: 'jump-01', origin: 'test' });
      const j = await connect({ host: jump.host, port: jump.port, username: jump.user, agent });
      try {
        const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
          j.forwardOut('127.0.0.1', 0, sshd.host, sshd.port, (err, s) => (err ? reject(err) : resolve(s))));
        agent.setContext({ purpose: 'sign in', hop: 'leaf-02 via jump-01', origin: 'test' });
        const t = await connect({ sock: stream, username: sshd.user, agent });
        try {
          assert.equal((await exec(t, 'echo through-jump')).trim(), 'through-jump');
        } finally {
          t.end();
        }
      } finally {
        j.end();
      }
      assert.deepEqual(signer.requests.map((r) => r.context.hop), ['jump-01', 'leaf-02 via jump-01']);
      await jump.waitForLog(/Accepted publickey/);
      await jump.waitForLog(/direct-tcpip/);
    } finally {
      await jump.stop();
    }
  });
});

describe('patched ssh2 still logs in with ordinary keys', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-ordinary-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [type, bits] of [['ed25519', []], ['rsa', ['-b', '2048']]] as const) {
    it(`ssh-${type} private key`, async () => {
      const file = path.join(dir, `id_${type}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', `ordinary-${type}`, '-f', file]);
      const sshd = await startSshd({ authorizedKeys: [readFileSync(`${file}.pub`, 'utf8')] });
      try {
        const c = await connect({ host: sshd.host, port: sshd.port, username: sshd.user, privateKey: readFileSync(file) });
        try {
          assert.equal((await exec(c, 'echo ordinary')).trim(), 'ordinary');
        } finally {
          c.end();
        }
        await sshd.waitForLog(new RegExp(`Accepted publickey for ${sshd.user} .* ${type === 'rsa' ? 'RSA' : 'ED25519'}`));
      } finally {
        await sshd.stop();
      }
    });
  }
});
