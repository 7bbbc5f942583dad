// Electron main: windows, security, IPC validation and OS services. Thin on purpose: every piece
// is a tested function in this folder; this file only plugs them into the real Electron API.
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  app, BrowserWindow, dialog, ipcMain, MessageChannelMain, protocol, safeStorage, session, shell, utilityProcess,
  type BrowserWindowConstructorOptions,
} from 'electron';
import { eventNames, type MethodName, type Reply } from '../shared/contract';
import { applyElevatedContext, readElevatedStep } from '../shared/elevation';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppRequestHandler } from './app-protocol';
import { superviseCoreHost, type CoreHost } from './core-host';
import { elevatedStepLaunch, launchElevatedStep, stepHostArgs, stepOutcome } from './elevated-step';
import { registerContractIpc } from './ipc';
import { handleOsRequest, saveFileWith } from './os-services';
import { hardenContents, hardenSession, secureWebPreferences } from './security';
import { errorMessage } from '../shared/error-codes';

const DEBUG_FLAG = '--nbg-debug';
const dist = path.join(__dirname, '..');
const MAIN_WINDOW: BrowserWindowConstructorOptions = { width: 1280, height: 820, minWidth: 900, minHeight: 600, title: 'Nexus Break-Glass' };
const STEP_WINDOW: BrowserWindowConstructorOptions = { width: 560, height: 560, minWidth: 420, minHeight: 380, title: 'Nexus Break-Glass — Administrator step' };
let mainWindow: BrowserWindow | null = null;
let core: CoreHost | null = null;

interface StartOptions {
  hostArgs: string[];
  window: BrowserWindowConstructorOptions;
  observe?: (method: MethodName, reply: Reply) => Reply;
}

protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES);
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => {
  hardenContents(contents, (url) => void shell.openExternal(url));
});

const step = readElevatedStep(process.argv);
if (step.kind === 'invalid') {
  console.error(`Nexus Break-Glass: ${step.reason}`);
  app.exit(2);
} else if (step.kind === 'step') {
  // The elevated copy (UAC) for one step. The operator's instance holds the single-instance lock.
  try {
    process.chdir(step.context.cwd);
    applyElevatedContext(process.env, step.context); // the core host inherits this environment
    // Its own browser profile: the operator's instance (maybe another Windows account's) keeps the usual one.
    app.setPath('userData', path.join(app.getPath('userData'), 'elevated-step'));
    const outcome = stepOutcome();
    app.on('window-all-closed', () => {
      core?.stop();
      app.exit(outcome.exitCode());
    });
    void app.whenReady().then(() => start({ hostArgs: stepHostArgs(step.action), window: STEP_WINDOW, observe: outcome.observe }));
  } catch (err) {
    console.error(`Nexus Break-Glass: cannot run the elevated step: ${errorMessage(err)}`);
    app.exit(2);
  }
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => core?.stop());
  void app.whenReady().then(() => start({ hostArgs: [], window: MAIN_WINDOW }));
}

function start(options: StartOptions): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(path.join(dist, 'renderer')));
  hardenSession(session.defaultSession);

  core = superviseCoreHost({
    fork: () => utilityProcess.fork(path.join(dist, 'host', 'host.cjs'), options.hostArgs, { serviceName: 'Nexus Break-Glass core' }),
    channel: () => new MessageChannelMain(),
    os: (request) => handleOsRequest({
      openExternal: (url) => shell.openExternal(url), // handleOsRequest has already checked the URL
      openSystemPage: (uri) => shell.openExternal(uri), // only the fixed ms-settings page (os-services.ts)
      safeStorage,
      nativeWindowHandle: () => mainWindow?.getNativeWindowHandle() ?? null,
      relaunchElevated: (action) => launchElevatedStep(spawn, elevatedStepLaunch({
        execPath: process.execPath, ...(app.isPackaged ? {} : { appPath: app.getAppPath() }), action, cwd: process.cwd(), env: process.env,
      })),
      showSaveDialog: saveFileWith({
        showSaveDialog: (o) => (mainWindow ? dialog.showSaveDialog(mainWindow, o) : dialog.showSaveDialog(o)),
      }, app.getPath('documents')),
    }, request),
    onCrash: (code, restarted) => console.error(`core host exited with code ${code}${restarted ? '; started a new one' : '; giving up after repeated crashes'}`),
  }, eventNames);
  const host = core;
  registerContractIpc(ipcMain, async (method, input) => {
    const reply = await host.invoke(method, input);
    return options.observe ? options.observe(method, reply) : reply;
  });

  const devTools = !app.isPackaged || process.argv.includes(DEBUG_FLAG);
  mainWindow = new BrowserWindow({
    ...options.window,
    show: false,
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
