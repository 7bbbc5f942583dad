// The host-certificate half of the ssh2 patch, against a private sshd serving Ed25519, ECDSA and
// RSA host certificates: offered only when asked for, the whole certificate reaches hostVerifier,
// and the exchange hash must be signed by the certified key (a CA-valid certificate replayed by
// someone without its private key is refused).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import { SshReader, SshWriter } from '../../../native/sk/wire';
import { connectSsh2 } from '../../support/ssh-client';
import { startSshd, type Sshd } from '../../support/sshd';

const SSH2_DEFAULT_HOST_KEY_ALGORITHMS = 'ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa';
/** SSH_MSG_KEXDH_REPLY / SSH_MSG_KEX_ECDH_REPLY. */
const KEX_REPLY = 31;
/** Cipher block size before the first NEWKEYS (RFC 4253 6: at least 8). */
const PLAIN_BLOCK = 8;

/** The patched-in certificate names are not in @types/ssh2's union. */
const algorithms = (...names: string[]): ConnectConfig['algorithms'] => ({ serverHostKey: names as ServerHostKeyAlgorithm[] });

interface Proxy {
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy to `target` that passes every byte through, except that the host key blob
 * (K_S) of the server's first KEX reply is replaced by `rewrite(K_S)`; packets are still plaintext
 * then, so only that one packet is re-framed.
 */
async function kexReplyProxy(target: Sshd, rewrite: (hostKey: Buffer) => Buffer): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => { client.destroy(); upstream.destroy(); });
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    let banner = true;
    let rewritten = false;
    upstream.on('data', (chunk: Buffer) => {
      if (rewritten) return void client.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (banner) {
        const eol = pending.indexOf('\n');
        if (eol < 0) return;
        client.write(pending.subarray(0, eol + 1));
        pending = pending.subarray(eol + 1);
        banner = false;
      }
      while (!rewritten && pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
        const packetEnd = 4 + pending.readUInt32BE(0);
        const packet = pending.subarray(0, packetEnd);
        pending = pending.subarray(packetEnd);
        const payload = packet.subarray(5, packetEnd - packet[4]!);
        if (payload[0] !== KEX_REPLY) {
          client.write(packet);
          continue;
        }
        const r = new SshReader(payload.subarray(1));
        const reply = new SshWriter().byte(KEX_REPLY).string(rewrite(r.string('K_S'))).string(r.string('Q_S')).string(r.string('signature')).toBuffer();
        let padding = PLAIN_BLOCK - ((5 + reply.length) % PLAIN_BLOCK);
        if (padding < 4) padding += PLAIN_BLOCK;
        client.write(new SshWriter().uint32(1 + reply.length + padding).byte(padding).raw(reply).raw(Buffer.alloc(padding)).toBuffer());
        client.write(pending);
        rewritten = true;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The first error of a connect that must fail; later ones (the peer resetting) are expected. */
function firstError(config: ConnectConfig): Promise<Error & { level?: string }> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.on('error', (err) => {
      c.end();
      resolve(err);
    });
    c.once('ready', () => {
      c.end();
      reject(new Error('logged in'));
    });
    c.connect(config);
  });
}

describe('ssh2 with OpenSSH host certificates (patched)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-ssh2-cert-'));
  const keygen = (...args: string[]): void => { execFileSync('ssh-keygen', ['-q', ...args]); };
  const newKey = (name: string, ...type: string[]): string => {
    keygen(...type, '-N', '', '-C', name, '-f', path.join(dir, name));
    return path.join(dir, name);
  };
  const blobOf = (file: string): Buffer => Buffer.from(readFileSync(file, 'utf8').split(' ')[1]!, 'base64');
  const certify = (hostKey: string, principal: string): Buffer => {
    keygen('-s', ca, '-h', '-I', path.basename(hostKey), '-n', principal, '-V', '-5m:+1h', `${hostKey}.pub`);
    return blobOf(`${hostKey}-cert.pub`);
  };
  const ca = newKey('ca', '-t', 'ed25519');
  const user = newKey('user', '-t', 'ed25519');
  const ecHostKey = newKey('host-ecdsa', '-t', 'ecdsa', '-b', '256');
  const rsaHostKey = newKey('host-rsa', '-t', 'rsa', '-b', '2048');
  const ecCert = certify(ecHostKey, '127.0.0.1');
  const rsaCert = certify(rsaHostKey, '127.0.0.1');
  let sshd: Sshd;

  before(async () => {
    sshd = await startSshd({
      authorizedKeys: [readFileSync(`${user}.pub`, 'utf8')],
      hostCertificate: { caKey: ca, principals: ['127.0.0.1'], validity: '-5m:+1h' },
      extraConfig: [`HostKey ${ecHostKey}`, `HostCertificate ${ecHostKey}-cert.pub`, `HostKey ${rsaHostKey}`, `HostCertificate ${rsaHostKey}-cert.pub`],
    });
  });
  after(async () => {
    await sshd.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const login = (config: ConnectConfig = {}) => connectSsh2({ host: sshd.host, port: sshd.port, username: sshd.user, privateKey: readFileSync(user), ...config });
  const edCert = (): Buffer => blobOf(path.join(sshd.dir, 'host_ed25519-cert.pub'));

  it('offers no certificate algorithm unless asked: the default KEXINIT list and a plain host key, as before', async () => {
    const debug: string[] = [];
    const keys: Buffer[] = [];
    const c = await login({ debug: (line: string) => debug.push(line), hostVerifier: (key: Buffer) => { keys.push(key); return true; } });
    c.end();
    assert.ok(debug.includes(`Handshake: (local) Host key format: ${SSH2_DEFAULT_HOST_KEY_ALGORITHMS}`), debug.join('\n'));
    assert.deepEqual(keys, [blobOf(`${path.join(sshd.dir, 'host_ed25519')}.pub`)]);
  });

  for (const [algorithm, cert] of [
    ['ssh-ed25519-cert-v01@openssh.com', edCert],
    ['ecdsa-sha2-nistp256-cert-v01@openssh.com', () => ecCert],
    ['rsa-sha2-512-cert-v01@openssh.com', () => rsaCert],
    ['rsa-sha2-256-cert-v01@openssh.com', () => rsaCert],
  ] as const) {
    it(`${algorithm}: negotiated, the whole certificate to hostVerifier, exchange signed by the certified key, login`, async () => {
      const keys: Buffer[] = [];
      const debug: string[] = [];
      const c = await login({
        algorithms: algorithms(algorithm, 'ssh-ed25519'),
        debug: (line: string) => debug.push(line),
        hostVerifier: (key: Buffer) => { keys.push(key); return true; },
      });
      c.end();
      assert.ok(debug.includes(`Handshake: Host key format: ${algorithm}`), debug.join('\n'));
      assert.ok(debug.includes('Verified signature'));
      assert.deepEqual(keys, [cert()]);
    });
  }

  it('refuses a CA-valid certificate for a key the server cannot sign with', async () => {
    const stranger = newKey('stranger', '-t', 'ed25519');
    const strangerCert = certify(stranger, '127.0.0.1');

    const faithful = await kexReplyProxy(sshd, (k) => k);
    const swapping = await kexReplyProxy(sshd, () => strangerCert);
    try {
      (await login({ port: faithful.port, algorithms: algorithms('ssh-ed25519-cert-v01@openssh.com') })).end();
      const seen: Buffer[] = [];
      const err = await firstError({
        host: sshd.host, port: swapping.port, username: sshd.user, privateKey: readFileSync(user), readyTimeout: 10_000,
        algorithms: algorithms('ssh-ed25519-cert-v01@openssh.com'), hostVerifier: (key: Buffer) => { seen.push(key); return true; },
      });
      assert.equal(err.level, 'handshake');
      assert.match(err.message, /signature verification failed/);
      assert.deepEqual(seen, [strangerCert], 'the verifier saw (and accepted) the replayed certificate; the key exchange still failed');
    } finally {
      await faithful.close();
      await swapping.close();
    }
  });
});
