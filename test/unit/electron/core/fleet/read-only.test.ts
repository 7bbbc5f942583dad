import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertReadOnly, readOnlyRefusal } from '../../../../../electron/core/fleet/read-only';
import { ErrorCode } from '../../../../../electron/shared/error-codes';

test('read-only rules: full show commands pass', () => {
  for (const c of ['show version', 'show bgp summary', 'show ip bgp summary', 'show interfaces status', 'show running-config',
    'show lldp neighbors detail', 'show ip route 10.0.0.0/8', 'show interfaces Ethernet1/1 counters', 'show bgp evpn summary']) {
    assert.equal(readOnlyRefusal(c), null, c);
  }
});

test('read-only rules: pipes, configure, abbreviations, non-show and the excluded endings are refused', () => {
  const refused: [string, RegExp][] = [
    ['show version | include Software', /pipes/],
    ['show running-config > /tmp/x', /pipes/],
    ['show version; reload', /pipes/],
    ['show version && reload', /pipes/],
    ['show $(reload)', /pipes/],
    ['configure terminal', /configure/],
    ['conf t', /configure/],
    ['show configure', /configure/],
    ['sh version', /only show/],
    ['show ver', /abbreviation; write "version"/],
    ['show int status', /abbreviation; write "interfaces"/],
    ['show bgp sum', /abbreviation; write "summary"/],
    ['reload', /only show/],
    ['show tech-support', /tech-support/],
    ['show running-config tech-support', /tech-support/],
    ['show agent logs', /agent logs/],
    ['show ip route', /"ip route"/],
    ['SHOW IP ROUTE', /"ip route"/],
    ['show  ip   route  vrf all', /ip route/],
    ['show version\nreload', /control character/],
    ['', /empty/],
    ['show ' + 'x'.repeat(300), /longer/],
  ];
  for (const [c, why] of refused) assert.match(readOnlyRefusal(c) ?? 'accepted', why, JSON.stringify(c));
});

test('assertReadOnly names every refused command in one error; an empty list is refused', () => {
  assert.throws(() => assertReadOnly(['show version', 'show ip route', 'configure']), (err: Error & { code?: string }) =>
    err.code === ErrorCode.FLEET_COMMAND_REFUSED && /show ip route/.test(err.message) && /"configure"/.test(err.message) && !/"show version"/.test(err.message));
  assert.throws(() => assertReadOnly([]), { code: ErrorCode.FLEET_COMMAND_REFUSED });
  assert.doesNotThrow(() => assertReadOnly(['show version', 'show bgp summary']));
});
