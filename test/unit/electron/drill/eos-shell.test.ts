import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceProfile } from '../../../../electron/drill/device-profile';
import { EosShell, EosTerminal } from '../../../../electron/drill/eos-shell';
import { newDeviceState } from '../../../../electron/drill/eos-show';

const device = () => newDeviceState(deviceProfile('CE1', 'CE'));
const HOST = deviceProfile('CE1', 'CE').hostname;

test('modes and prompts: > then # after enable, (config)# for writers, exit climbs back out', () => {
  const sh = new EosShell(device(), { name: 'alice', role: 'writer' });
  assert.equal(sh.prompt, `${HOST}>`);
  assert.equal(sh.run('en').output, '');
  assert.equal(sh.prompt, `${HOST}#`);
  sh.run('conf t');
  assert.equal(sh.prompt, `${HOST}(config)#`);
  sh.run('interface Et2/1');
  assert.equal(sh.prompt, `${HOST}(config-if-Et2/1)#`);
  sh.run('exit');
  assert.equal(sh.prompt, `${HOST}(config)#`);
  sh.run('exit');
  assert.equal(sh.prompt, `${HOST}#`);
  assert.deepEqual(sh.run('exit'), { output: '', exit: true, error: false });
});

test('configure terminal: privileged mode first; readers are denied, writers enter', () => {
  const reader = new EosShell(device(), { name: 'bob', role: 'reader' });
  assert.equal(reader.run('configure terminal').output, '% Invalid input (privileged mode required)\n');
  reader.run('enable');
  const denied = reader.run('configure terminal');
  assert.equal(denied.output, "% Authorization denied for command 'configure terminal'\n");
  assert.equal(denied.error, true);
  assert.equal(reader.prompt, `${HOST}#`);
  assert.equal(reader.run('configure').output, "% Authorization denied for command 'configure'\n");
});

test('EOS errors: invalid, incomplete, ambiguous; abbreviations resolve uniquely', () => {
  const sh = new EosShell(device(), { name: 'alice', role: 'writer' });
  assert.equal(sh.run('show verzion').output, '% Invalid input\n');
  assert.equal(sh.run('show').output, '% Incomplete command\n');
  assert.equal(sh.run('show ip').output, '% Incomplete command\n');
  assert.equal(sh.run('sh ip bgp summary extra').output, '% Invalid input\n');
  assert.equal(sh.run('e').output, '% Ambiguous command\n'); // enable / exit
  assert.equal(sh.run('sh ver').output, sh.run('show version').output);
  assert.match(sh.run('sh int st').output, /^Port {7}Name {14}Status/);
  assert.equal(sh.run('terminal length 0').output, '');
  assert.equal(sh.run('  ').output, '');
});

test('a writer change shows in running-config and interfaces status, for every session of the device', () => {
  const state = device();
  const writer = new EosShell(state, { name: 'alice', role: 'writer' });
  for (const line of ['enable', 'configure terminal', 'interface Ethernet1/1', 'description uplink-test', 'shutdown', 'end']) {
    assert.equal(writer.run(line).output, '', line);
  }
  const other = new EosShell(state, { name: 'bob', role: 'reader' });
  assert.match(other.run('show running-config').output, /interface Ethernet1\/1\n {3}description uplink-test\n {3}shutdown\n/);
  assert.match(other.run('show interfaces status').output, /^Et1\/1 {6}uplink-test {7}disabled /m);
  writer.run('configure terminal');
  writer.run('hostname renamed-ce1');
  assert.equal(other.prompt, 'renamed-ce1>');
  assert.equal(writer.run('interface Ethernet99/1').output, '% Invalid input\n');
});

test('? lists what may come next', () => {
  const sh = new EosShell(device(), { name: 'alice', role: 'writer' });
  assert.match(sh.help(''), /^ {2}configure +Enter configuration mode\n {2}disable +Turn off privileged commands\n {2}enable +Turn on privileged commands\n/);
  assert.equal(sh.help('show ip '), '  bgp  BGP information\n');
  assert.equal(sh.help('sh v'), '  version  Software and hardware versions\n');
  assert.equal(sh.help('show x'), '% Invalid input\n');
});

test('the terminal echoes, edits, ignores escape sequences and answers ? inline', () => {
  const sh = new EosShell(device(), { name: 'alice', role: 'writer' });
  let screen = '';
  let exitCode: number | undefined;
  const commands: string[] = [];
  const term = new EosTerminal(sh, (t) => (screen += t), (c) => (exitCode = c), (line) => commands.push(line));
  term.start('banner\n');
  assert.equal(screen, `banner\r\n${HOST}>`);
  screen = '';
  term.feed('shw\x7f\x7fhow ver\x1b[A\x1b[D\r\n');
  assert.deepEqual(commands, ['show ver']);
  assert.match(screen, /^shw\x08 \x08\x08 \x08how ver\r\nArista DCS-7280DR3-24-F\r\n/);
  assert.ok(screen.endsWith(`\r\n${HOST}>`));
  screen = '';
  term.feed('sh ?');
  assert.match(screen, /^sh \?\r\n {2}hostname +Show the system hostname\r\n/);
  assert.ok(screen.endsWith(`${HOST}>sh `));
  term.feed('\x03');
  term.feed('exit\r');
  assert.deepEqual(commands, ['show ver', 'exit']);
  assert.equal(exitCode, 0);
  screen = '';
  term.feed('show version\r');
  assert.equal(screen, '', 'nothing after logout');
});
