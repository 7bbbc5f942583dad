// One app under test: a drill core (simulator key + drill fabric on free loopback ports) in this
// process, the browser test host serving the real renderer bundle, and a fresh headless Chromium.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { Core } from '../../electron/app/dispatcher';
import { composeDrillCore, type ComposeOptions, type DrillCore } from '../../electron/app/compose';
import type { PresenceAnswer } from '../../native/simulator/index';
import type { PromptKind } from '../../electron/shared/prompts';
import type { EventName, EventPayload } from '../../electron/shared/contract';
import { launchChromium } from './browser-host/browser';
import { buildRendererInto, startBrowserHost, type BrowserHost } from './browser-host/server';

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');
export const PIN = '482916';
export const UI_TIMEOUT_MS = 15_000;

let rendererDir: Promise<string> | undefined;
/** The renderer is built once per test file, with the shipped build configuration. */
function builtRenderer(): Promise<string> {
  rendererDir ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-renderer-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await buildRendererInto(dir);
    return dir;
  })();
  return rendererDir;
}

export interface Browser {
  page: Page;
  context: BrowserContext;
  host: BrowserHost;
  screenshot(name: string): Promise<void>;
}

/** The real renderer in a fresh Chromium, talking to `core` through the browser test host. */
export async function openUi(t: TestContext, core: Core): Promise<Browser> {
  const host = await startBrowserHost({ rendererDir: await builtRenderer(), core });
  t.after(() => host.close());
  const chromium = await launchChromium();
  t.after(() => chromium.close());
  const page = await chromium.context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.addInitScript({ content: host.shim });
  await page.goto(host.url);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return { page, context: chromium.context, host, screenshot: async (name) => { await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) }); } };
}

export interface App {
  page: Page;
  context: BrowserContext;
  app: DrillCore;
  host: BrowserHost;
  home: string;
  /** What the simulated key does when it waits for a touch (approve after a short delay by default). */
  touch: { answer: PresenceAnswer; delayMs: number; count: number };
  screenshot(name: string): Promise<void>;
  /** Everything the sessions sent to the UI (the terminal may draw with WebGL, so its text is not in the DOM). */
  output(): string;
  /** Waits until the session output matches (bounded by UI_TIMEOUT_MS). */
  waitForOutput(pattern: RegExp): Promise<string>;
  /** Every `core:sessions.write` the UI made, in order: exactly what was sent to the devices. */
  writes(): string[];
  /** Sends an event to the UI the way Electron main adds its own to core's (e.g. ui:core after a restart). */
  mainEvent<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

interface TestContext { after(fn: () => Promise<void> | void): void }

export async function startApp(t: TestContext, opts: {
  promptTimeoutsMs?: Partial<Record<PromptKind, number>>; upTimeoutMs?: number;
  /** Stands in for the OS save dialog (main's): the path it "chose", or null for a cancel. */
  saveAs?: ComposeOptions['saveAs'];
  /** Runs on the fresh app home before the app starts (e.g. an audit log from before). */
  prepareHome?: (home: string) => Promise<void>;
} = {}): Promise<App> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  await opts.prepareHome?.(home);
  const touch = { answer: 'approve' as PresenceAnswer, delayMs: 400, count: 0 };
  const app = await composeDrillCore({
    home,
    drill: {
      port: 0,
      upTimeoutMs: opts.upTimeoutMs ?? 10_000,
      presence: async () => {
        touch.count++;
        await new Promise((r) => setTimeout(r, touch.delayMs));
        return touch.answer;
      },
    },
    ...(opts.promptTimeoutsMs ? { promptTimeoutsMs: opts.promptTimeoutsMs } : {}),
    ...(opts.saveAs ? { saveAs: opts.saveAs } : {}),
    log: () => undefined,
  });
  t.after(() => app.core.dispose());
  let output = '';
  app.core.onEvent((event, payload) => {
    if (event === 'ui:session.output') output += (payload as { data: string }).data;
  });
  // The UI hears core's events plus those main adds (main's supervisor sends ui:core).
  const fromMain = new Set<(event: EventName, payload: unknown) => void>();
  const writes: string[] = [];
  const core: Core = {
    invoke: (method, input) => {
      if (method === 'core:sessions.write') writes.push((input as { data: string }).data);
      return app.core.invoke(method, input);
    },
    dispose: () => app.core.dispose(),
    onEvent(listener) {
      const off = app.core.onEvent(listener);
      fromMain.add(listener);
      return () => { off(); fromMain.delete(listener); };
    },
  };
  const { page, context, host, screenshot } = await openUi(t, core);
  return {
    page, context, app, host, home, touch, screenshot,
    writes: () => [...writes],
    mainEvent: (event, payload) => { for (const listener of fromMain) listener(event, payload); },
    output: () => output,
    async waitForOutput(pattern) {
      const until = Date.now() + UI_TIMEOUT_MS;
      while (Date.now() < until) {
        const m = pattern.exec(output);
        if (m) return m[0];
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`session output never matched ${pattern}: ${JSON.stringify(output.slice(-300))}`);
    },
  };
}

/** Walks the first-run wizard: set the PIN, create the key (PIN + touch prompts), upload, readiness. */
export async function enroll(a: Pick<App, 'page' | 'screenshot'>, opts: { screenshots?: boolean } = {}): Promise<void> {
  const { page } = a;
  await page.getByTestId('enroll-wizard').waitFor();
  await page.getByRole('radio').first().check();
  if (opts.screenshots) await a.screenshot('01-wizard-detect');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('New PIN').fill(PIN);
  await page.getByLabel('Repeat PIN').fill(PIN);
  await page.getByRole('button', { name: 'Set PIN' }).click();
  await page.getByRole('button', { name: 'Create key' }).click();
  await answerPin(a, PIN, opts.screenshots ? '02-prompt-pin' : undefined);
  // The simulated key touches by itself a moment later: on a busy machine the prompt can be gone
  // before it is seen, and the next step (Upload) is then already there.
  const touch = page.getByTestId('prompt-touch');
  const upload = page.getByRole('button', { name: 'Upload' });
  await touch.or(upload).first().waitFor();
  if (opts.screenshots && await touch.isVisible()) await a.screenshot('03-prompt-touch');
  await upload.click();
  await page.getByTestId('readiness').waitFor();
}

export async function answerPin(a: Pick<App, 'page' | 'screenshot'>, pin: string, screenshot?: string): Promise<void> {
  const dialog = a.page.getByTestId('prompt-pin');
  await dialog.waitFor();
  await dialog.getByLabel('PIN').fill(pin);
  if (screenshot) await a.screenshot(screenshot);
  await dialog.getByRole('button', { name: 'Continue' }).click();
}

export async function trustHostKey(a: App): Promise<string> {
  const dialog = a.page.getByTestId('prompt-host-key');
  await dialog.waitFor();
  const where = await dialog.getByTestId('prompt-where').innerText();
  await dialog.getByRole('button', { name: 'Trust and remember' }).click();
  await dialog.waitFor({ state: 'detached' });
  return where;
}

/** A first connect through a fresh jump: trust its host key, the PIN, trust the device's, until open. */
export async function completeFirstConnect(a: App): Promise<void> {
  await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  await a.page.getByTestId('session-state').getByText('open').waitFor();
}

export async function openConnect(a: App, hostName: RegExp | string): Promise<void> {
  const { page } = a;
  await page.getByRole('button', { name: 'Fabrics' }).click();
  await page.getByTestId('devices-table').waitFor();
  await page.getByRole('button', { name: typeof hostName === 'string' ? `Connect to ${hostName}` : hostName }).click();
  await page.getByTestId('connect-dialog').waitFor();
  await page.getByTestId('connect-jump').getByText('@').waitFor();
}

/** A fresh app with an enrolled key, on the Fabrics screen. */
export async function readyApp(t: TestContext, opts: Parameters<typeof startApp>[1] = {}): Promise<App> {
  const a = await startApp(t, opts);
  await enroll(a);
  await a.page.getByRole('button', { name: 'Done' }).click();
  return a;
}

export function drillDevice(a: App, name: string) {
  const d = a.app.drill.fabric()?.devices.find((x) => x.name === name);
  assert.ok(d, name);
  return d;
}

/** Opens the connect dialog for a drill device, sets the choices, and presses Connect. */
export async function connectTo(a: App, name: string, opts: { backup?: boolean; v15?: boolean; user?: string } = {}): Promise<void> {
  await openConnect(a, drillDevice(a, name).hostname);
  const { page } = a;
  if (opts.user) await page.getByLabel('Device user name').fill(opts.user);
  if (opts.backup) await page.getByLabel(/Backup \(in-band loopback\)/).check();
  if (opts.v15) await page.getByLabel(/Method D v1\.5 fallback/).check();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
}

/** What has the keyboard focus, as "tag[role]:label" ("body" when nothing does). */
export function focusedLabel(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`;
  });
}
