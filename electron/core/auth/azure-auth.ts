// Sign-in with MSAL Node (public client): interactive through the Windows broker (WAM) when the app
// has a window and the plugin loads, else (or when the broker fails) in the system browser with the
// loopback redirect (form_post); device code as the fallback; silent tokens per resource, accounts
// and sign-out. Everything MSAL-specific stays here and in native-broker.ts.
import {
  InteractionRequiredAuthError, LogLevel, PublicClientApplication, type AccountInfo, type AuthenticationResult,
  type Configuration, type DeviceCodeRequest, type INativeBrokerPlugin,
} from '@azure/msal-node';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import { NbgError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { ErrorCode } from '../../shared/error-codes';
import type { AzureResource } from './config';
import { AzureUnreachableError } from '../net/errors';
import { TransportError, type Transport } from '../net/transport';
import { armScopes, graphScopes, isMicrosoftAuthorityHost, scopesFor, type AuthConfig } from './config';
import { availableBroker, loadNativeBroker, type BrokerLoader } from './native-broker';
import { msalNetworkClient } from './network-client';
import type { LastIdentityStore } from './last-identity';
import type { Principal } from './principal';
import { ProtectedFileCachePlugin, type CacheProtector } from './token-cache';
import type { TokenSource } from './token-source';

export interface AccountSummary extends Principal {
  homeAccountId: string;
}

export interface DeviceCodePrompt {
  message: string;
  userCode: string;
  verificationUri: string;
  expiresInSeconds: number;
}

export interface AzureAuthServices {
  transport: Transport;
  /** Opens the authorize URL in the system browser (Electron: shell.openExternal). */
  openBrowser(url: string): Promise<void>;
  /** Omit to keep tokens in memory only (nothing written). */
  tokenCache?: { file: string; protector: CacheProtector };
  /** Remembers which account is chosen when several are signed in (holds only its account id). */
  accountFile?: string;
  /** Who signed in last, without tokens: written at each sign-in, removed at sign-out. */
  lastIdentity?: LastIdentityStore;
  /** Non-secret diagnostics (MSAL warnings, cache problems). */
  log?: (line: string) => void;
  /**
   * The app window's native handle (Windows). Given and non-null, interactive sign-in goes through
   * the OS broker parented to that window, when the broker plugin loads.
   */
  windowHandle?: () => Uint8Array | null;
  /** Default: the optional @azure/msal-node-extensions plugin. */
  loadBroker?: BrokerLoader;
}

export class SignInRequiredError extends NbgError {
  constructor(detail = 'no account is signed in') {
    super(ErrorCode.SIGN_IN_REQUIRED, `${detail}; run 'nbg login' (or sign in from the app)`);
  }
}

/** The opener could not show the sign-in page; callers fall back to device code. */
export class BrowserUnavailableError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.NO_BROWSER, `cannot open a browser here (${detail}); use device code sign-in`);
  }
}

export class SignInCancelledError extends NbgError {
  constructor(reason: 'cancelled' | 'timeout') {
    super(reason === 'timeout' ? ErrorCode.SIGN_IN_TIMEOUT : ErrorCode.SIGN_IN_CANCELLED,
      reason === 'timeout' ? 'sign-in was not completed in the browser in time; try again (or use device code)' : 'sign-in was cancelled');
  }
}

export class SignInFailedError extends NbgError {
  constructor(how: string, cause: unknown) {
    const code = (cause as { errorCode?: string }).errorCode;
    super(ErrorCode.SIGN_IN_FAILED, `${how} sign-in failed${code ? `: ${code}` : ''}`, { cause });
  }
}

/** MSAL error codes that mean "the identity provider could not be reached", not "refused". */
const UNREACHABLE_CODES = new Set(['endpoints_resolution_error', 'network_error', 'network_request_failed']);

function isUnreachable(err: unknown): boolean {
  for (let e = err; e; e = (e as { cause?: unknown }).cause) {
    if (e instanceof TransportError || UNREACHABLE_CODES.has((e as { errorCode?: string }).errorCode ?? '')) return true;
  }
  return false;
}

/** How long a browser sign-in may take before it is abandoned. */
export const INTERACTIVE_TIMEOUT_MS = 5 * 60_000;

/**
 * Ends MSAL's wait on its loopback listener: posts an OAuth error with the pending request's
 * state to its redirect URI, which MSAL accepts and turns into an error.
 */
function abandonLoopback(authorizeUrl: string): Promise<void> {
  const q = new URL(authorizeUrl).searchParams;
  const redirect = q.get('redirect_uri');
  const state = q.get('state');
  if (!redirect || !state) return Promise.resolve();
  const target = new URL(redirect);
  if (target.hostname !== 'localhost' && target.hostname !== '127.0.0.1') return Promise.resolve();
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'sign-in abandoned', state }).toString();
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port: target.port, path: '/', method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => { res.resume(); res.on('end', () => resolve()); });
    req.on('error', () => resolve());
    req.end(body);
  });
}

/** MSAL's code when the person closed the broker's dialog. */
const BROKER_USER_CANCELED = 'user_canceled';

const SUCCESS_PAGE = '<!doctype html><title>Nexus Break-Glass</title><h1>Signed in.</h1><p>You can close this tab and return to Nexus Break-Glass.</p>';
const ERROR_PAGE = '<!doctype html><title>Nexus Break-Glass</title><h1>Sign-in failed</h1><p>{{error}}</p>';

function summary(a: AccountInfo): AccountSummary {
  return {
    homeAccountId: a.homeAccountId,
    objectId: a.localAccountId,
    tenantId: a.tenantId,
    username: a.username,
    ...(a.name ? { name: a.name } : {}),
  };
}

/** An account and the client that holds its tokens: the broker's, or MSAL's own cache. */
interface Held {
  account: AccountInfo;
  pca: PublicClientApplication;
}

export class AzureAuth implements TokenSource {
  readonly label = 'signed in (MSAL)';
  private readonly pca: PublicClientApplication;
  private readonly msalConfig: Configuration;
  private brokerPca: Promise<PublicClientApplication | undefined> | undefined;
  private selected: string | undefined;

  constructor(private readonly config: AuthConfig, private readonly services: AzureAuthServices) {
    const host = new URL(config.authorityHost).host;
    const log = this.log;
    const msalConfig: Configuration = {
      auth: {
        clientId: config.clientId,
        authority: `${config.authorityHost}/${config.tenant}`,
        // Sovereign or test authorities are not in Microsoft's instance-discovery list.
        ...(isMicrosoftAuthorityHost(host) ? {} : { knownAuthorities: [host] }),
      },
      system: {
        networkClient: msalNetworkClient(services.transport),
        loggerOptions: { logLevel: LogLevel.Warning, piiLoggingEnabled: false, loggerCallback: (_l, m) => log(`msal: ${m}`) },
      },
      ...(services.tokenCache ? { cache: { cachePlugin: new ProtectedFileCachePlugin(services.tokenCache.file, services.tokenCache.protector, log) } } : {}),
    };
    this.msalConfig = msalConfig;
    this.pca = new PublicClientApplication(msalConfig);
  }

  private readonly log = (line: string): void => (this.services.log ?? (() => {}))(line);

  /** The broker's client, built once; undefined without a window handle or a usable plugin. */
  private broker(): Promise<PublicClientApplication | undefined> {
    this.brokerPca ??= (async () => {
      if (!this.services.windowHandle?.()) return undefined;
      const plugin: INativeBrokerPlugin | undefined = await availableBroker(this.services.loadBroker ?? loadNativeBroker, this.log);
      if (!plugin) return undefined;
      // The broker keeps its own tokens: no cache plugin, so the two clients never write one file.
      const { cache: _cache, ...rest } = this.msalConfig;
      return new PublicClientApplication({ ...rest, broker: { nativeBrokerPlugin: plugin } });
    })();
    return this.brokerPca;
  }

  /** Every signed-in account with its client; the broker's first, so its copy wins a duplicate. */
  private async held(): Promise<Held[]> {
    const broker = await this.broker();
    const fromBroker = broker ? (await broker.getAllAccounts()).map((account) => ({ account, pca: broker })) : [];
    const seen = new Set(fromBroker.map((h) => h.account.homeAccountId));
    const fromCache = (await this.pca.getAllAccounts()).filter((a) => !seen.has(a.homeAccountId)).map((account) => ({ account, pca: this.pca }));
    return [...fromBroker, ...fromCache];
  }

  private async choose(homeAccountId: string | undefined): Promise<void> {
    this.selected = homeAccountId;
    const file = this.services.accountFile;
    if (!file) return;
    if (homeAccountId) await writeFileAtomic(file, `${homeAccountId}\n`, { mode: 0o600 });
    else await fs.rm(file, { force: true });
  }

  private async chosen(): Promise<string | undefined> {
    if (this.selected || !this.services.accountFile) return this.selected;
    const text = await fs.readFile(this.services.accountFile, 'utf8').catch(() => '');
    return text.trim() || undefined;
  }

  private async remember(r: AuthenticationResult | null, how: string): Promise<AccountSummary> {
    if (!r?.account) throw new SignInFailedError(how, new Error('no account in the reply'));
    await this.choose(r.account.homeAccountId);
    return this.signedIn(summary(r.account));
  }

  /** A sign-in succeeded: its identity is kept for when Entra cannot be reached. */
  private async signedIn(who: AccountSummary): Promise<AccountSummary> {
    await this.services.lastIdentity?.remember(who).catch((err: unknown) =>
      this.services.log?.(`the last signed-in identity was not saved: ${(err as Error).message}`));
    return who;
  }

  /**
   * Browser sign-in; consents to Graph and ARM in one prompt. `signal` cancels it (the UI's
   * Cancel), and it gives up after `timeoutMs`, so a closed browser tab never leaves it hanging.
   */
  async signIn(opts: { loginHint?: string; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<AccountSummary> {
    const viaBroker = await this.signInWithBroker(opts);
    if (viaBroker) return viaBroker;
    let authorizeUrl: string | undefined;
    let stopped: 'cancelled' | 'timeout' | undefined;
    const stop = (why: 'cancelled' | 'timeout'): void => {
      if (stopped) return;
      stopped = why;
      if (authorizeUrl) void abandonLoopback(authorizeUrl);
    };
    const onAbort = (): void => stop('cancelled');
    if (opts.signal?.aborted) throw new SignInCancelledError('cancelled');
    opts.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs ?? INTERACTIVE_TIMEOUT_MS);
    try {
      const r = await this.pca.acquireTokenInteractive({
        scopes: graphScopes(this.config),
        extraScopesToConsent: armScopes(this.config),
        prompt: 'select_account',
        openBrowser: async (url) => {
          authorizeUrl = url;
          if (stopped) await abandonLoopback(url);
          else await this.services.openBrowser(url);
        },
        successTemplate: SUCCESS_PAGE,
        errorTemplate: ERROR_PAGE,
        ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
      });
      return await this.remember(r, 'browser');
    } catch (err) {
      if (stopped) throw new SignInCancelledError(stopped);
      if (err instanceof BrowserUnavailableError) throw err;
      throw new SignInFailedError('browser', err);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The broker's own dialog over the app window, Graph and ARM consented together. Undefined when
   * there is no broker, or when it failed for any reason but the person's cancel: the caller then
   * signs in through the browser. The app's Cancel (or the timeout) ends the wait at once; the
   * broker's dialog is Windows' own and is left for the person to close.
   */
  private async signInWithBroker(opts: { loginHint?: string; signal?: AbortSignal; timeoutMs?: number }): Promise<AccountSummary | undefined> {
    const broker = await this.broker();
    const handle = this.services.windowHandle?.();
    if (!broker || !handle) return undefined;
    if (opts.signal?.aborted) throw new SignInCancelledError('cancelled');
    let timer: NodeJS.Timeout | undefined;
    let onAbort = (): void => {};
    const stopped = new Promise<never>((_resolve, reject) => {
      onAbort = () => reject(new SignInCancelledError('cancelled'));
      opts.signal?.addEventListener('abort', onAbort);
      timer = setTimeout(() => reject(new SignInCancelledError('timeout')), opts.timeoutMs ?? INTERACTIVE_TIMEOUT_MS);
    });
    stopped.catch(() => undefined);
    try {
      const dialog = broker.acquireTokenInteractive({
        scopes: graphScopes(this.config),
        extraScopesToConsent: armScopes(this.config),
        prompt: 'select_account',
        windowHandle: Buffer.from(handle),
        openBrowser: async () => { throw new BrowserUnavailableError('the broker opens no browser'); },
        ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
      });
      dialog.catch(() => undefined); // an answer after Cancel or the timeout is dropped
      return await this.remember(await Promise.race([dialog, stopped]), 'broker');
    } catch (err) {
      if (err instanceof SignInCancelledError) throw err;
      if ((err as { errorCode?: string }).errorCode === BROKER_USER_CANCELED) throw new SignInCancelledError('cancelled');
      this.log(`Windows sign-in broker failed (${(err as { errorCode?: string }).errorCode ?? 'no error code'}); signing in with the system browser instead`);
      return undefined;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * For sessions without a browser; `onCode` shows where to go and the code to type. The device-code
   * grant has no extra-consent parameter, so when ARM has no consent yet (its silent token answers
   * consent_required) a second code is shown for Azure Resource Manager: the sign-in ends with both.
   */
  async signInWithDeviceCode(onCode: (p: DeviceCodePrompt) => void, signal?: AbortSignal): Promise<AccountSummary> {
    const who = await this.deviceCode(graphScopes(this.config), onCode, signal);
    const account = (await this.pca.getAllAccounts()).find((a) => a.homeAccountId === who.homeAccountId);
    try {
      if (account) await this.pca.acquireTokenSilent({ account, scopes: armScopes(this.config) });
    } catch (err) {
      if (isUnreachable(err)) throw new AzureUnreachableError('obtain Azure Resource Manager consent', 'the identity provider did not answer', { cause: err });
      if (!(err instanceof InteractionRequiredAuthError)) throw new SignInFailedError('device code', err);
      await this.deviceCode(armScopes(this.config), (p) => onCode({ ...p, message: `Azure Resource Manager also needs your consent. ${p.message}` }), signal);
    }
    return who;
  }

  private async deviceCode(scopes: string[], onCode: (p: DeviceCodePrompt) => void, signal?: AbortSignal): Promise<AccountSummary> {
    const request: DeviceCodeRequest = {
      scopes,
      deviceCodeCallback: (d) => onCode({ message: d.message, userCode: d.userCode, verificationUri: d.verificationUri, expiresInSeconds: d.expiresIn }),
    };
    // MSAL checks this flag between polls.
    const onAbort = (): void => { request.cancel = true; };
    signal?.addEventListener('abort', onAbort);
    try {
      return await this.remember(await this.pca.acquireTokenByDeviceCode(request), 'device code');
    } catch (err) {
      if (request.cancel) throw new SignInCancelledError('cancelled');
      throw new SignInFailedError('device code', err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async accounts(): Promise<AccountSummary[]> {
    return (await this.held()).map((h) => summary(h.account));
  }

  private async account(): Promise<Held> {
    const all = await this.held();
    const id = await this.chosen();
    const chosen = (id && all.find((h) => h.account.homeAccountId === id)) || (all.length === 1 ? all[0] : undefined);
    if (!chosen) throw new SignInRequiredError(all.length > 1 ? 'several accounts are signed in and none is chosen' : undefined);
    return chosen;
  }

  async selectAccount(homeAccountId: string): Promise<AccountSummary> {
    const h = (await this.held()).find((x) => x.account.homeAccountId === homeAccountId);
    if (!h) throw new SignInRequiredError(`account ${homeAccountId} is not signed in`);
    await this.choose(h.account.homeAccountId);
    return this.signedIn(summary(h.account));
  }

  async current(): Promise<AccountSummary | null> {
    try {
      return summary((await this.account()).account);
    } catch (err) {
      if (err instanceof SignInRequiredError) return null;
      throw err;
    }
  }

  async principal(): Promise<Principal> {
    const { homeAccountId: _h, ...p } = summary((await this.account()).account);
    return p;
  }

  /** Removes the chosen (or given) account and its tokens from the cache. */
  async signOut(homeAccountId?: string): Promise<void> {
    const all = await this.held();
    const targets = homeAccountId ? all.filter((h) => h.account.homeAccountId === homeAccountId) : all;
    for (const h of targets) await h.pca.signOut({ account: h.account });
    if (!homeAccountId || (await this.chosen()) === homeAccountId) {
      await this.choose(undefined);
      await this.services.lastIdentity?.forget();
    }
  }

  /** Silent token for one resource (refresh token as needed); never returned outside core. */
  async token(resource: AzureResource): Promise<string> {
    const { account, pca } = await this.account();
    try {
      const r = await pca.acquireTokenSilent({ account, scopes: scopesFor(resource, this.config) });
      return r.accessToken;
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError) throw new SignInRequiredError('the session expired or needs consent');
      // Offline: callers such as the inventory then serve what they cached.
      if (isUnreachable(err)) throw new AzureUnreachableError('refresh the sign-in token', 'the identity provider did not answer', { cause: err });
      throw new SignInFailedError('silent', err);
    }
  }
}
