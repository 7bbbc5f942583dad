// Host checks against Node's own address parser (node:net isIP) as the oracle, plus the values
// that must never pass: newlines, spaces, control characters, ssh_config and shell syntax.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { checkHost } from '../../../../electron/shared/host-address';

describe('checkHost', () => {
  it('accepts addresses and names as they come from Azure and settings', () => {
    const cases: Array<[string, string, string]> = [
      ['10.10.10.10', 'ipv4', '10.10.10.10'],
      ['2F::1/100', 'ipv6', '2F::1'],
      ['0:0:0:0:0:FFFF:7F00:0001', 'ipv6', '0:0:0:0:0:FFFF:7F00:0001'],
      ['::ffff:192.0.2.1', 'ipv6', '::ffff:192.0.2.1'],
      ['192.0.2.0/24', 'ipv4', '192.0.2.0'],
      ['NFA-Device', 'dns', 'NFA-Device'],
      ['jump-01.ops.contoso.com.', 'dns', 'jump-01.ops.contoso.com.'],
      [' leaf-02 ', 'dns', 'leaf-02'],
    ];
    for (const [raw, kind, host] of cases) assert.deepEqual(checkHost(raw), { ok: true, kind, host }, raw);
  });

  it('refuses anything that could write a second known_hosts line or an ssh option, without echoing it', () => {
    const bad: Array<[string, RegExp]> = [
      ['leaf-01\n@cert-authority * ssh-ed25519 AAAA', /control character/],
      ['leaf-01\r', /control character/],
      ['10.0.0.1\u0000', /control character/],
      ['leaf 01', /space/],
      ['-oProxyCommand=sh', /not an IPv4 address, an IPv6 address or a DNS name/],
      ['host;rm', /not an IPv4/],
      ['[::1]', /not an IPv4/],
      ['fe80::1%eth0', /not an IPv4/],
      ['10.0.0.300', /not an IPv4/],
      ['010.0.0.1', /not an IPv4/],
      ['1.2.3', /not an IPv4/],
      ['2F::1/129', /not an IPv4/],
      ['leaf/24', /not an IPv4/],
      ['', /empty/],
      [`${'a'.repeat(63)}.`.repeat(5), /longer than 253/],
    ];
    for (const [raw, reason] of bad) {
      const r = checkHost(raw);
      assert.equal(r.ok, false, JSON.stringify(raw));
      if (!r.ok) {
        assert.match(r.reason, reason, JSON.stringify(raw));
        assert.ok(!r.reason.includes(raw.trim()) || raw.trim() === '', 'the value is never repeated');
      }
    }
  });

  it('agrees with node:net on 20,000 seeded address-like strings', () => {
    let seed = 0x5eed;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const hex = '0123456789abcdefABCDEF';
    const v4 = (): string => Array.from({ length: 3 + rnd(3) }, () => String(rnd(300))).join('.');
    const v6 = (): string => {
      const groups = Array.from({ length: 1 + rnd(9) }, () => Array.from({ length: 1 + rnd(5) }, () => hex[rnd(hex.length)]).join(''));
      if (rnd(2)) groups.splice(rnd(groups.length + 1), 0, '');
      const s = groups.join(':').replace(/^:(?!:)/, '::').replace(/(?<!:):$/, '::');
      return rnd(4) === 0 ? `${s}:${v4()}` : s;
    };
    let ips = 0;
    for (let i = 0; i < 20_000; i++) {
      const s = rnd(3) === 0 ? v4() : v6();
      const r = checkHost(s);
      const oracle = isIP(s);
      if (oracle) ips++;
      const ours = r.ok && r.kind !== 'dns' ? (r.kind === 'ipv4' ? 4 : 6) : 0;
      assert.equal(ours, oracle, JSON.stringify(s));
    }
    assert.ok(ips > 1000, `only ${ips} valid addresses generated`);
  });
});
