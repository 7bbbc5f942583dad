import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SshReader, SshWriter } from '../../../../native/sk/wire';

describe('SSH wire encoding', () => {
  it('encodes mpints like sshbuf_put_bignum2_bytes', () => {
    const hex = (b: string) => new SshWriter().mpint(Buffer.from(b, 'hex')).toBuffer().toString('hex');
    assert.equal(hex(''), '00000000');
    assert.equal(hex('0000'), '00000000');
    assert.equal(hex('7f'), '000000017f');
    assert.equal(hex('80'), '000000020080');
    assert.equal(hex('000080ff'), '000000030080ff');
    assert.equal(hex('0102'), '000000020102');
  });

  it('round-trips every field type', () => {
    const buf = new SshWriter().byte(7).bool(true).uint32(0xdeadbeef).string('héllo').mpint(Buffer.from([0x90, 1])).toBuffer();
    const r = new SshReader(buf);
    assert.equal(r.byte(), 7);
    assert.equal(r.bool(), true);
    assert.equal(r.uint32(), 0xdeadbeef);
    assert.equal(r.utf8(), 'héllo');
    assert.deepEqual(r.mpint(), Buffer.from([0x90, 1]));
    r.end();
  });

  it('throws typed errors on truncation, trailing bytes and non-canonical mpints', () => {
    const code = { code: 'SSH_WIRE_MALFORMED' };
    assert.throws(() => new SshReader(Buffer.from('000000050102', 'hex')).string(), code);
    assert.throws(() => new SshReader(Buffer.from('0001', 'hex')).uint32(), code);
    const r = new SshReader(Buffer.from('0000000001', 'hex'));
    r.uint32();
    assert.throws(() => r.end(), /1 unexpected trailing bytes/);
    assert.throws(() => new SshReader(Buffer.from('0000000180', 'hex')).mpint(), /negative/);
    assert.throws(() => new SshReader(Buffer.from('000000020001', 'hex')).mpint(), /leading zero/);
  });
});
