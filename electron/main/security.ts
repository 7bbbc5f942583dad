// Electron's security checklist as small functions over the slices of the API they touch, so the
// wiring is unit-tested without the Electron binary.
import { APP_ORIGIN } from './app-protocol';

/** webPreferences of every window: sandboxed, isolated, no Node, defaults never loosened. */
export function secureWebPreferences(preload: string, devTools: boolean) {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    enableWebSQL: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  } as const;
}

/** Only these https hosts may be opened in the system browser (sign-in and documentation). */
export const EXTERNAL_HOSTS = new Set([
  'login.microsoftonline.com',
  'learn.microsoft.com',
  'portal.azure.com',
  'aka.ms',
]);

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && EXTERNAL_HOSTS.has(u.hostname) && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}

export interface PreventableEvent { preventDefault(): void }

export interface ContentsSlice {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview' | 'will-frame-navigate',
    listener: (event: PreventableEvent, ...rest: unknown[]) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** No navigation, no redirects, no webviews, no new windows; allowed https links go to the system browser. */
export function hardenContents(contents: ContentsSlice, openExternal: (url: string) => void): void {
  for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview', 'will-frame-navigate'] as const) {
    contents.on(event, (e) => e.preventDefault());
  }
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/** Clipboard from the app's own main frame (copy/paste in terminals); every other permission denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-read', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, isMainFrame: boolean | undefined): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isMainFrame === true && isAppUrl(requestingUrl);
}

export function isAppUrl(url: string | undefined): boolean {
  return typeof url === 'string' && (url === APP_ORIGIN || url.startsWith(`${APP_ORIGIN}/`));
}

export interface SessionSlice {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void,
    details: { requestingUrl?: string; isMainFrame?: boolean }) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string,
    details: { isMainFrame?: boolean; requestingUrl?: string }) => boolean): void;
}

export function hardenSession(session: SessionSlice): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, details.isMainFrame));
  });
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame));
}
