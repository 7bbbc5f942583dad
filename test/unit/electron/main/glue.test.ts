// Wiring of Electron main, preload and the core host, exercised through fakes of the few Electron
// APIs they touch (the Electron binary is not installed here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import os from 'node:os';
import path from 'node:path';
import { createAppRequestHandler, resolveAppPath } from '../../../../electron/main/app-protocol';
import { hardenContents, hardenSession, isAllowedExternalUrl, secureWebPreferences, type ContentsSlice } from '../../../../electron/main/security';
import { registerContractIpc, type IpcEventSlice } from '../../../../electron/main/ipc';
import { handleOsRequest, saveFileWith, type OsSlices } from '../../../../electron/main/os-services';
import { OsRequest } from '../../../../electron/shared/wire';
import { startCoreHost, type PortSlice } from '../../../../electron/main/core-host';
import { createBreakglassApi } from '../../../../electron/preload/expose';
import { serveCore } from '../../../../electron/host/serve';
import { createCore } from '../../../../electron/app/dispatcher';
import { PromptBroker } from '../../../../electron/core/prompts/broker';
import { SettingsStore } from '../../../../electron/core/settings/store';
import { APP_CSP } from '../../../../electron/shared/csp';
import type { Reply } from '../../../../electron/shared/contract';
import type { OsServices } from '../../../../electron/shared/os';

function tmp(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-glue-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('app:// serves only files under the renderer folder, with the CSP header', async (t) => {
  const dir = tmp(t);
  const root = path.join(dir, 'renderer');
  mkdirSync(root);
  writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dir, 'secret.js'), 'nope');
  symlinkSync(path.join(dir, 'secret.js'), path.join(root, 'link.js'));
  assert.equal(resolveAppPath(root, 'app://nbg/'), path.join(root, 'index.html'));
  // The URL parser already folds a literal "/../" into the root; it never leaves it.
  assert.equal(resolveAppPath(root, 'app://nbg/../secret.js'), path.join(root, 'secret.js'));
  assert.equal(resolveAppPath(root, 'app://nbg/a/%2E%2E/%2e%2e/secret.js'), path.join(root, 'secret.js'));
  for (const bad of ['app://nbg/..%2fsecret.js', 'app://nbg/..%5c..%5csecret.js', 'app://other/index.html',
    'file:///etc/passwd', 'app://nbg/index.exe', 'app://nbg/%00.js', 'app://nbg/%E0%A4%A.js']) {
    assert.equal(resolveAppPath(root, bad), null, bad);
  }
  const handler = createAppRequestHandler(root);
  const ok = await handler(new Request('app://nbg/index.html'));
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('content-security-policy'), APP_CSP);
  assert.equal(ok.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal((await handler(new Request('app://nbg/link.js'))).status, 404, 'a symlink out of root is refused');
  assert.equal((await handler(new Request('app://nbg/missing.js'))).status, 404);
  assert.equal((await handler(new Request('app://nbg/../secret.js'))).status, 404);
  assert.equal((await handler(new Request('app://nbg/index.html', { method: 'POST' }))).status, 404);
});

test('windows are sandboxed and isolated; navigation, webviews and new windows are refused', () => {
  const prefs = secureWebPreferences('/p/preload.cjs', false);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.devTools, false);

  const listeners = new Map<string, (e: { preventDefault(): void }) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  const contents: ContentsSlice = {
    on: (event, listener) => { listeners.set(event, listener); },
    setWindowOpenHandler: (h) => { openHandler = h; },
  };
  const opened: string[] = [];
  hardenContents(contents, (url) => opened.push(url));
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview', 'will-frame-navigate']) {
    let prevented = false;
    listeners.get(event)?.({ preventDefault: () => { prevented = true; } });
    assert.ok(prevented, event);
  }
  assert.deepEqual(openHandler?.({ url: 'https://learn.microsoft.com/azure/operator-nexus/' }), { action: 'deny' });
  assert.deepEqual(openHandler?.({ url: 'https://evil.example/' }), { action: 'deny' });
  assert.deepEqual(openHandler?.({ url: 'http://learn.microsoft.com/' }), { action: 'deny' });
  assert.deepEqual(opened, ['https://learn.microsoft.com/azure/operator-nexus/']);
  assert.equal(isAllowedExternalUrl('https://user:pw@portal.azure.com/'), false);
  assert.equal(isAllowedExternalUrl('javascript:alert(1)'), false);
});

test('permission requests: only clipboard, only from the app main frame', () => {
  let request: Parameters<Parameters<typeof hardenSession>[0]['setPermissionRequestHandler']>[0] | undefined;
  let check: Parameters<Parameters<typeof hardenSession>[0]['setPermissionCheckHandler']>[0] | undefined;
  hardenSession({ setPermissionRequestHandler: (h) => { request = h; }, setPermissionCheckHandler: (h) => { check = h; } });
  const ask = (permission: string, requestingUrl: string, isMainFrame: boolean) => {
    let granted: boolean | undefined;
    request?.(null, permission, (g) => { granted = g; }, { requestingUrl, isMainFrame });
    return granted;
  };
  assert.equal(ask('clipboard-sanitized-write', 'app://nbg/index.html', true), true);
  assert.equal(ask('clipboard-read', 'app://nbg/index.html', false), false);
  assert.equal(ask('clipboard-read', 'https://evil.example/', true), false);
  for (const p of ['media', 'geolocation', 'notifications', 'hid', 'usb', 'openExternal']) {
    assert.equal(ask(p, 'app://nbg/index.html', true), false, p);
  }
  assert.equal(check?.(null, 'hid', 'app://nbg', { isMainFrame: true }), false);
});

test('IPC: calls from other origins or sub-frames, and malformed input, never reach core', async () => {
  const handlers = new Map<string, (e: IpcEventSlice, input: unknown) => Promise<Reply>>();
  const forwarded: [string, unknown][] = [];
  const remove = registerContractIpc(
    { handle: (c, l) => { handlers.set(c, l); }, removeHandler: (c) => { handlers.delete(c); } },
    async (method, input) => { forwarded.push([method, input]); return { ok: true, value: null }; });
  assert.ok(handlers.has('core:sessions.write') && handlers.has('core:prompt.answer'));
  const write = handlers.get('core:sessions.write');
  assert.ok(write);
  const input = { id: 's1', data: 'ls\r' };
  const top = { senderFrame: { url: 'app://nbg/index.html', parent: null } };
  const refused = [
    { senderFrame: null },
    { senderFrame: { url: 'app://nbg/index.html', parent: {} } },
    { senderFrame: { url: 'https://evil.example/', parent: null } },
    { senderFrame: { url: 'app://nbgx/index.html', parent: null } },
  ];
  for (const event of refused) {
    const reply = await write(event, input);
    assert.ok(!reply.ok && reply.error.code === 'IPC_UNTRUSTED_SENDER');
  }
  const bad = await write(top, { id: 's1', data: 42 });
  assert.ok(!bad.ok && bad.error.code === 'CONTRACT_BAD_INPUT');
  assert.deepEqual(forwarded, []);
  assert.ok((await write(top, { ...input, extra: 'dropped' })).ok);
  assert.deepEqual(forwarded, [['core:sessions.write', input]]);
  remove();
  assert.equal(handlers.size, 0);
});

test('OS services: only allowed URLs open; bytes round-trip through safeStorage; no keyring is an error; a step runs elevated', async () => {
  const opened: string[] = [];
  const pages: string[] = [];
  const relaunched: string[] = [];
  const slices: OsSlices = {
    openExternal: async (url) => { opened.push(url); },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s) => Buffer.from(`enc:${s}`, 'latin1'),
      decryptString: (b) => b.toString('latin1').replace(/^enc:/, ''),
    },
    nativeWindowHandle: () => Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]),
    relaunchElevated: async (action) => {
      relaunched.push(action);
      if (action === 'pin-management') throw new Error('the permission prompt was declined');
    },
    openSystemPage: async (uri) => { pages.push(uri); },
    showSaveDialog: async (r) => (r.defaultName.startsWith('cancel') ? null : `/chosen/${r.defaultName}`),
  };
  // Windows' security-key settings: core asks by name, main opens the one fixed page with the shell's opener.
  assert.equal(await handleOsRequest(slices, { op: 'openKeySettings' }), null);
  assert.deepEqual(pages, ['ms-settings:signinoptions']);
  await assert.rejects(handleOsRequest(slices, { op: 'openExternal', url: 'ms-settings:signinoptions' }), /Only https/);
  assert.deepEqual(pages, ['ms-settings:signinoptions']);
  await assert.rejects(handleOsRequest(slices, { op: 'openExternal', url: 'file:///etc/passwd' }), /Only https/);
  assert.equal(await handleOsRequest(slices, { op: 'relaunchElevated', action: 'import-resident' }), null);
  await assert.rejects(handleOsRequest(slices, { op: 'relaunchElevated', action: 'pin-management' }), /declined/);
  assert.deepEqual(relaunched, ['import-resident', 'pin-management']);
  await handleOsRequest(slices, { op: 'openExternal', url: 'https://login.microsoftonline.com/common/oauth2' });
  assert.deepEqual(opened, ['https://login.microsoftonline.com/common/oauth2']);
  const bytes = Buffer.from([0, 255, 128, 10, 13]);
  const sealed = await handleOsRequest(slices, { op: 'protect', data: bytes.toString('base64') });
  assert.ok(sealed);
  const plain = await handleOsRequest(slices, { op: 'unprotect', data: sealed });
  assert.deepEqual(Buffer.from(plain ?? '', 'base64'), bytes);
  assert.equal(await handleOsRequest(slices, { op: 'windowHandle' }), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).toString('base64'));
  const none = { ...slices, safeStorage: { ...slices.safeStorage, isEncryptionAvailable: () => false } };
  await assert.rejects(handleOsRequest(none, { op: 'protect', data: '' }), /no encryption/);
  const save = { op: 'chooseSaveFile' as const, title: 'Export', filter: { name: 'CSV', extensions: ['csv'] } };
  assert.equal(await handleOsRequest(slices, { ...save, defaultName: 'a.csv' }), '/chosen/a.csv');
  assert.equal(await handleOsRequest(slices, { ...save, defaultName: 'cancel.csv' }), null);
});

test('save dialog: opens in the given folder with the proposed bare name, one file type, asks before overwriting; cancel is null', async () => {
  const asked: unknown[] = [];
  let answer: { canceled: boolean; filePath?: string } = { canceled: false, filePath: '/home/op/Documents/x.csv' };
  const choose = saveFileWith({ showSaveDialog: async (o) => { asked.push(o); return answer; } }, '/home/op/Documents');
  const request = { title: 'Export the audit log as CSV', defaultName: '../../etc/x.csv', filter: { name: 'CSV', extensions: ['csv'] } };
  assert.equal(await choose(request), '/home/op/Documents/x.csv');
  assert.deepEqual(asked[0], {
    title: 'Export the audit log as CSV', defaultPath: path.join('/home/op/Documents', 'x.csv'),
    filters: [{ name: 'CSV', extensions: ['csv'] }], properties: ['showOverwriteConfirmation', 'createDirectory'],
  });
  answer = { canceled: true, filePath: '' };
  assert.equal(await choose(request), null);
  // The wire refuses a proposed name with a folder in it before main sees it.
  assert.equal(OsRequest.safeParse({ op: 'chooseSaveFile', ...request }).success, false);
  assert.equal(OsRequest.safeParse({ op: 'chooseSaveFile', ...request, defaultName: 'x.csv' }).success, true);
});

test('preload exposes only contract channels and hides the IPC event from the page', async () => {
  const invoked: string[] = [];
  const listeners = new Map<string, (e: unknown, p: unknown) => void>();
  const api = createBreakglassApi({
    invoke: async (channel) => { invoked.push(channel); return { ok: true, value: null }; },
    on: (c, l) => { listeners.set(c, l); },
    removeListener: (c) => { listeners.delete(c); },
  });
  const unknown = await (api.invoke as (m: string) => Promise<Reply>)('ELECTRON_BROWSER_REQUIRE');
  assert.ok(!unknown.ok);
  assert.deepEqual(invoked, []);
  await api.invoke('core:settings.get');
  assert.deepEqual(invoked, ['core:settings.get']);
  assert.throws(() => (api.subscribe as (e: string, l: () => void) => void)('ipc-message', () => undefined));
  const got: unknown[] = [];
  const off = api.subscribe('ui:prompt', (p) => got.push(...arguments_of(p)));
  listeners.get('ui:prompt')?.({ sender: 'secret-ipc-event' }, { prompt: null });
  assert.deepEqual(got, [{ prompt: null }]);
  off();
  assert.equal(listeners.size, 0);
});

function arguments_of(...args: unknown[]): unknown[] {
  return args;
}

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

test('main ⇄ core host over a MessagePort: calls, events, OS requests, and a host exit fails open calls', async (t) => {
  const home = tmp(t);
  const broker = new PromptBroker();
  let exitListener: ((code: number) => void) | undefined;
  let serverOs: OsServices | undefined;
  const protectCalls: string[] = [];
  const host = startCoreHost<MessagePort>({
    channel: () => {
      const { port1, port2 } = new MessageChannel();
      return { port1: portSlice(port1), port2 };
    },
    fork: () => ({
      postMessage: (_message, [port]) => {
        assert.ok(port);
        const server = serveCore({ send: (m) => port.postMessage(m) }, async (osServices) => {
          serverOs = osServices;
          return createCore({ version: 't', drill: true, settings: SettingsStore.inHome(home), broker });
        });
        port.on('message', (data) => server.receive(data));
        port.start();
      },
      on: (_event, listener) => { exitListener = listener; },
      kill: () => true,
    }),
    os: async (request) => {
      protectCalls.push(request.op);
      if (request.op === 'relaunchElevated') throw new Error(`declined ${request.action}`);
      return request.op === 'protect' ? Buffer.from('sealed').toString('base64') : null;
    },
  });
  t.after(() => host.stop());

  const settings = await host.invoke('core:settings.get', undefined);
  assert.ok(settings.ok && (settings.value as { userNameTemplate: string }).userNameTemplate === '{upn}');
  const prompts: unknown[] = [];
  host.onEvent('ui:prompt', (p) => prompts.push(p));
  const answer = broker.confirm({ kind: 'overwrite-key', message: 'Replace?', context: { purpose: 'create your key' } });
  const current = await host.invoke('core:prompt.current', undefined);
  assert.ok(current.ok);
  assert.ok((await host.invoke('core:prompt.answer', { id: (current.value as { id: string }).id, answer: { kind: 'overwrite-key', approve: true } })).ok);
  assert.equal(await answer, true);
  assert.equal(prompts.length, 2);

  assert.ok(serverOs);
  assert.equal(Buffer.from(await serverOs.protect(new Uint8Array([1, 2]))).toString(), 'sealed');
  assert.deepEqual(protectCalls, ['protect']);
  await assert.rejects(serverOs.relaunchElevated('import-resident'), { code: 'OS_SERVICE_FAILED', message: /relaunchElevated failed: declined import-resident/ });
  await serverOs.openKeySettings();
  assert.deepEqual(protectCalls, ['protect', 'relaunchElevated', 'openKeySettings']);

  const pending = host.invoke('core:sessions.list', undefined);
  exitListener?.(1);
  const reply = await pending;
  assert.ok(!reply.ok && ['CORE_DISCONNECTED', 'SERVICE_UNAVAILABLE'].includes(reply.error.code));
  const after = await host.invoke('core:settings.get', undefined);
  assert.ok(!after.ok && after.error.code === 'CORE_DISCONNECTED');
});
