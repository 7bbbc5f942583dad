// The core host supervisor: a host that dies is replaced, calls and subscriptions carry over, the
// UI is told (ui:core), and a host that keeps dying is left dead instead of restarted forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { superviseCoreHost, type PortSlice } from '../../../../electron/main/core-host';
import { serveCore } from '../../../../electron/host/serve';
import { createCore } from '../../../../electron/app/dispatcher';
import { PromptBroker } from '../../../../electron/core/prompts/broker';
import { SettingsStore } from '../../../../electron/core/settings/store';
import { eventNames } from '../../../../electron/shared/contract';

function portSlice(port: MessagePort): PortSlice {
  return {
    postMessage: (m) => port.postMessage(m),
    on: ((event: 'message' | 'close', listener: (e?: { data: unknown }) => void) => {
      if (event === 'message') port.on('message', (data) => listener({ data }));
      else port.on('close', () => listener());
    }) as PortSlice['on'],
    start: () => port.start(),
    close: () => port.close(),
  };
}

/** Real cores behind real MessagePorts; each "process" can be made to exit like a crashed utilityProcess. */
function forks(home: string) {
  const hosts: { broker: PromptBroker; exit: (code: number) => void; killed: boolean }[] = [];
  return {
    hosts,
    channel: () => {
      const { port1, port2 } = new MessageChannel();
      return { port1: portSlice(port1), port2 };
    },
    fork: () => {
      const broker = new PromptBroker();
      const entry = { broker, exit: (_code: number) => undefined as void, killed: false };
      hosts.push(entry);
      return {
        postMessage: (_m: unknown, [port]: MessagePort[]) => {
          assert.ok(port);
          const server = serveCore({ send: (m) => port.postMessage(m) },
            async () => createCore({ version: `host-${hosts.length}`, drill: true, settings: SettingsStore.inHome(home), broker }));
          port.on('message', (data) => server.receive(data));
          port.start();
        },
        on: (_event: 'exit', listener: (code: number) => void) => { entry.exit = listener; },
        kill: () => { entry.killed = true; return true; },
      };
    },
  };
}

test('core host restart: a crashed host is replaced, events reach old subscribers, the UI hears ui:core', async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-restart-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const f = forks(home);
  const crashes: [number, boolean][] = [];
  const clock = 1_000;
  const host = superviseCoreHost({
    fork: f.fork, channel: f.channel, os: async () => null, now: () => clock,
    onCrash: (code, restarted) => crashes.push([code, restarted]),
  }, eventNames);
  t.after(() => host.stop());

  const restarts: unknown[] = [];
  const prompts: unknown[] = [];
  host.onEvent('ui:core', (p) => restarts.push(p));
  host.onEvent('ui:prompt', (p) => prompts.push(p));
  assert.ok((await host.invoke('core:settings.get', undefined)).ok);
  assert.equal(f.hosts.length, 1);

  f.hosts[0]?.exit(9);
  assert.deepEqual(crashes, [[9, true]]);
  assert.equal(f.hosts.length, 2, 'a new host was started');
  assert.deepEqual(restarts, [{ restartedAt: 1_000 }]);
  const after = await host.invoke('core:settings.get', undefined);
  assert.ok(after.ok, 'calls go to the new host');

  // A subscription made before the crash hears the new host's events.
  void f.hosts[1]?.broker.confirm({ kind: 'confirm', message: 'ok?', context: { purpose: 'test' } }).catch(() => undefined);
  const until = Date.now() + 10_000;
  while (prompts.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  assert.equal(prompts.length, 1);

  // An exit of a host that was already replaced changes nothing.
  f.hosts[0]?.exit(1);
  assert.equal(f.hosts.length, 2);
});

test('core host restart: repeated crashes within the window stop the restarts; stop() is not a crash', async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-restart-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const f = forks(home);
  const crashes: [number, boolean][] = [];
  let clock = 0;
  const host = superviseCoreHost({
    fork: f.fork, channel: f.channel, os: async () => null, now: () => clock,
    policy: { maxRestarts: 2, windowMs: 60_000 }, onCrash: (code, restarted) => crashes.push([code, restarted]),
  }, eventNames);
  for (let i = 0; i < 3; i++) { clock += 1_000; f.hosts.at(-1)?.exit(1); }
  assert.deepEqual(crashes, [[1, true], [1, true], [1, false]]);
  assert.equal(f.hosts.length, 3, 'no fourth host');
  const dead = await host.invoke('core:settings.get', undefined);
  assert.ok(!dead.ok && dead.error.code === 'CORE_DISCONNECTED');

  // Crashes far apart are each restarted.
  const g = forks(home);
  const spaced: boolean[] = [];
  let at = 0;
  const host2 = superviseCoreHost({
    fork: g.fork, channel: g.channel, os: async () => null, now: () => at,
    policy: { maxRestarts: 1, windowMs: 60_000 }, onCrash: (_c, restarted) => spaced.push(restarted),
  }, eventNames);
  for (let i = 0; i < 3; i++) { at += 120_000; g.hosts.at(-1)?.exit(1); }
  assert.deepEqual(spaced, [true, true, true]);
  host2.stop();
  assert.equal(g.hosts.at(-1)?.killed, true);
  g.hosts.at(-1)?.exit(0);
  assert.equal(g.hosts.length, 4, 'an exit after stop() starts nothing');
  host.stop();
});
