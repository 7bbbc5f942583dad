// Electron main: windows, security, IPC validation and OS services. Thin on purpose: every piece
// is a tested function in this folder; this file only plugs them into the real Electron API.
import path from 'node:path';
import {
  app, BrowserWindow, ipcMain, MessageChannelMain, protocol, safeStorage, session, shell, utilityProcess,
} from 'electron';
import { eventNames } from '../shared/contract';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './app-protocol';
import { startCoreHost, type CoreHost } from './core-host';
import { registerContractIpc } from './ipc';
import { handleOsRequest } from './os-services';
import { hardenContents, hardenSession, secureWebPreferences } from './security';

const DEBUG_FLAG = '--nbg-debug';
const dist = path.join(__dirname, '..');
let mainWindow: BrowserWindow | null = null;
let core: CoreHost | null = null;

protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents, (url) => void shell.openExternal(url));
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => core?.stop());
  void app.whenReady().then(start);
}

function start(): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(path.join(dist, 'renderer')));
  hardenSession(session.defaultSession);

  core = startCoreHost({
    fork: () => utilityProcess.fork(path.join(dist, 'host', 'host.cjs'), [], { serviceName: 'Nexus Break-Glass core' }),
    channel: () => new MessageChannelMain(),
    os: (request) => handleOsRequest({
      openExternal: (url) => shell.openExternal(url), // handleOsRequest has already checked the URL
      safeStorage,
      nativeWindowHandle: () => mainWindow?.getNativeWindowHandle() ?? null,
    }, request),
    onExit: (code) => { if (code !== 0) console.error(`core host exited with code ${code}`); },
  });
  const host = core;
  registerContractIpc(ipcMain, (method, input) => host.invoke(method, input));

  const devTools = !app.isPackaged || process.argv.includes(DEBUG_FLAG);
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Nexus Break-Glass',
    webPreferences: secureWebPreferences(path.join(dist, 'preload', 'preload.cjs'), devTools),
  });
  const window = mainWindow;
  for (const event of eventNames) {
    host.onEvent(event, (payload) => { if (!window.isDestroyed()) window.webContents.send(event, payload); });
  }
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => { mainWindow = null; });
  void window.loadURL(APP_ENTRY_URL);
}
