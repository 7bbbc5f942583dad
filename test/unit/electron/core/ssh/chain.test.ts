import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainSyntaxError, formatProxyJump, parseHop, parseProxyJump } from '../../../../../electron/core/ssh/chain';

test('parses the hop forms ssh -J accepts', () => {
  assert.deepEqual(parseHop('jump'), { host: 'jump', port: 22 });
  assert.deepEqual(parseHop('ops@jump-01:2222'), { user: 'ops', host: 'jump-01', port: 2222 });
  assert.deepEqual(parseHop('[fd00::1]:830'), { host: 'fd00::1', port: 830 });
  assert.deepEqual(parseHop('admin@[::1]'), { user: 'admin', host: '::1', port: 22 });
  assert.deepEqual(parseHop('fd00::6'), { host: 'fd00::6', port: 22 });
  assert.deepEqual(parseHop('ssh://ops@10.0.0.1:2200'), { user: 'ops', host: '10.0.0.1', port: 2200 });
  // Entra user names are UPNs: the host starts after the last '@'.
  assert.deepEqual(parseHop('alice@contoso.com@leaf-02'), { user: 'alice@contoso.com', host: 'leaf-02', port: 22 });
});

test('parses comma chains and none', () => {
  assert.deepEqual(parseProxyJump('a@j1,j2:2022,[::1]:23'), [
    { user: 'a', host: 'j1', port: 22 }, { host: 'j2', port: 2022 }, { host: '::1', port: 23 },
  ]);
  assert.deepEqual(parseProxyJump('none'), []);
  assert.deepEqual(parseProxyJump(''), []);
});

test('round-trips through formatProxyJump', () => {
  for (const s of ['a@j1,j2:2022,[::1]:23', 'ops@[fd00::1],leaf', 'x@y:1']) {
    assert.equal(formatProxyJump(parseProxyJump(s)), s);
  }
});

test('rejects malformed hops with a typed error', () => {
  for (const bad of ['j1,,j2', 'host:0', 'host:70000', 'host:ab', '[::1', '[::1]x', '@host', 'user@', 'a b']) {
    assert.throws(() => parseProxyJump(bad), ChainSyntaxError, bad);
  }
});

test('refuses a host that is not an address or DNS name, showing control characters inert', () => {
  assert.throws(() => parseHop('admin@leaf-01\n@cert-authority *'), (e: unknown) => {
    assert.ok(e instanceof ChainSyntaxError);
    assert.ok(!e.message.includes('\n'), 'no raw newline in the message');
    assert.match(e.message, /leaf-01\\u000a@cert-authority/);
    return true;
  });
  for (const bad of ['-oProxyCommand=x', 'leaf;id', '10.0.0.256', 'fe80::1%eth0']) assert.throws(() => parseHop(bad), /is not an IPv4 address, an IPv6 address or a DNS name/, bad);
});
