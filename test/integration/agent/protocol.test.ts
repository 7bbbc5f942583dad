// Agent message framing and parsing, and SkAgent's ssh2-facing callbacks, without sockets.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AgentFrameReader, parseExtension, parseSignRequest, parseUserAuthData } from '../../../electron/core/ssh/agent/protocol';
import { SkAgent } from '../../../electron/core/ssh/agent/sk-agent';
import { verifySkSignature } from '../../../native/sk/signature';
import { SshWriter } from '../../../native/sk/wire';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';

const frame = (type: number, body: Buffer) => new SshWriter().uint32(body.length + 1).byte(type).raw(body).toBuffer();

describe('agent protocol', () => {
  it('reassembles messages split across and packed into chunks', () => {
    const a = frame(11, Buffer.alloc(0));
    const b = frame(13, Buffer.from('abc'));
    const all = Buffer.concat([a, b]);
    const reader = new AgentFrameReader(100);
    const got = [];
    for (let i = 0; i < all.length; i += 3) got.push(...reader.push(all.subarray(i, i + 3)));
    assert.deepEqual(got.map((m) => [m.type, m.body.toString()]), [[11, ''], [13, 'abc']]);
    assert.deepEqual(new AgentFrameReader(100).push(all).map((m) => m.type), [11, 13]);
    assert.throws(() => new AgentFrameReader(3).push(b), { code: 'AGENT_PROTOCOL' });
  });

  it('parses sign requests strictly', () => {
    const body = new SshWriter().string(Buffer.from('key')).string(Buffer.from('data')).uint32(0).toBuffer();
    assert.deepEqual(parseSignRequest(body), { keyBlob: Buffer.from('key'), data: Buffer.from('data'), flags: 0 });
    assert.throws(() => parseSignRequest(Buffer.concat([body, Buffer.alloc(1)])), { code: 'AGENT_PROTOCOL' });
  });

  it('recognises publickey and publickey-hostbound userauth data, and nothing else', () => {
    const base = (method: string) => new SshWriter().string(Buffer.from('sid')).byte(50).string('root').string('ssh-connection').string(method).bool(true)
      .string('sk-ssh-ed25519@openssh.com').string(Buffer.from('blob'));
    assert.deepEqual(parseUserAuthData(base('publickey').toBuffer()), { sessionId: Buffer.from('sid'), user: 'root' });
    assert.deepEqual(parseUserAuthData(base('publickey-hostbound-v00@openssh.com').string(Buffer.from('hk')).toBuffer()),
      { sessionId: Buffer.from('sid'), user: 'root', hostKeyBlob: Buffer.from('hk') });
    assert.equal(parseUserAuthData(Buffer.from('SSHSIG...')), null);
    assert.equal(parseUserAuthData(base('password').toBuffer()), null);
  });

  it('parses session-bind and passes other extensions by name', () => {
    const bind = new SshWriter().string('session-bind@openssh.com').string(Buffer.from('hk')).string(Buffer.from('sid')).string(Buffer.from('sig')).bool(false).toBuffer();
    assert.deepEqual(parseExtension(bind), { name: 'session-bind@openssh.com', sessionBind: { hostKeyBlob: Buffer.from('hk'), sessionId: Buffer.from('sid') } });
    assert.deepEqual(parseExtension(new SshWriter().string('query').toBuffer()), { name: 'query' });
    assert.throws(() => parseExtension(bind.subarray(0, bind.length - 1)), { code: 'AGENT_PROTOCOL' });
  });
});

describe('SkAgent', () => {
  it('lists blobs, signs for a key given as blob or line with the current context, and reports signer errors', async () => {
    const key = new SoftSk();
    const signer = new SoftSkSigner([key]);
    const agent = new SkAgent(signer, { purpose: 'sign in', hop: 'jump-01', origin: 'session' });
    const ids = await new Promise((resolve, reject) => agent.getIdentities((err, keys) => (err ? reject(err) : resolve(keys))));
    assert.deepEqual(ids, [key.blob]);
    const sign = (k: Buffer | string) => new Promise<Buffer>((resolve, reject) =>
      agent.sign(k, Buffer.from('d'), {}, (err, sig) => (err ? reject(err) : resolve(sig!))));
    assert.equal(verifySkSignature(key.publicKey, Buffer.from('d'), await sign(key.blob)).flags, 5);
    agent.setContext({ purpose: 'sign in', hop: 'leaf-02 via jump-01', origin: 'session' });
    await sign(key.publicKeyLine);
    assert.deepEqual(signer.requests.map((r) => r.context.hop), ['jump-01', 'leaf-02 via jump-01']);
    await assert.rejects(sign(new SoftSk().blob), /no such key/);
  });
});
