// Sign-in with MSAL Node (public client): interactive in the system browser with the loopback
// redirect (form_post), device code as the fallback, silent tokens per resource, accounts and
// sign-out. Everything MSAL-specific stays in this file so the library can be swapped.
import {
  InteractionRequiredAuthError, LogLevel, PublicClientApplication, type AccountInfo, type AuthenticationResult,
  type Configuration,
} from '@azure/msal-node';
import { NbgError } from '../../../native/errors';
import type { AzureResource } from '../azure/http';
import type { Transport } from '../azure/transport';
import { armScopes, graphScopes, isMicrosoftAuthorityHost, type AuthConfig } from './config';
import { msalNetworkClient } from './network-client';
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
  /** Non-secret diagnostics (MSAL warnings, cache problems). */
  log?: (line: string) => void;
}

export class SignInRequiredError extends NbgError {
  constructor(detail = 'no account is signed in') {
    super('SIGN_IN_REQUIRED', `${detail}; run 'nbg login' (or sign in from the app)`);
  }
}

export class SignInFailedError extends NbgError {
  constructor(how: string, cause: unknown) {
    const code = (cause as { errorCode?: string }).errorCode;
    super('SIGN_IN_FAILED', `${how} sign-in failed${code ? `: ${code}` : ''}`, { cause });
  }
}

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

export class AzureAuth implements TokenSource {
  readonly label = 'signed in (MSAL)';
  private readonly pca: PublicClientApplication;
  private selected: string | undefined;

  constructor(private readonly config: AuthConfig, private readonly services: AzureAuthServices) {
    const host = new URL(config.authorityHost).host;
    const log = services.log ?? (() => {});
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
    this.pca = new PublicClientApplication(msalConfig);
  }

  private remember(r: AuthenticationResult | null, how: string): AccountSummary {
    if (!r?.account) throw new SignInFailedError(how, new Error('no account in the reply'));
    this.selected = r.account.homeAccountId;
    return summary(r.account);
  }

  /** Browser sign-in; consents to Graph and ARM in one prompt. */
  async signIn(opts: { loginHint?: string } = {}): Promise<AccountSummary> {
    try {
      const r = await this.pca.acquireTokenInteractive({
        scopes: graphScopes(this.config),
        extraScopesToConsent: armScopes(this.config),
        prompt: 'select_account',
        openBrowser: (url) => this.services.openBrowser(url),
        successTemplate: SUCCESS_PAGE,
        errorTemplate: ERROR_PAGE,
        ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
      });
      return this.remember(r, 'browser');
    } catch (err) {
      throw new SignInFailedError('browser', err);
    }
  }

  /** For sessions without a browser; `onCode` shows where to go and the code to type. */
  async signInWithDeviceCode(onCode: (p: DeviceCodePrompt) => void): Promise<AccountSummary> {
    try {
      const r = await this.pca.acquireTokenByDeviceCode({
        // Device code has no extra-consent parameter; ARM consent comes with its first silent token.
        scopes: graphScopes(this.config),
        deviceCodeCallback: (d) => onCode({ message: d.message, userCode: d.userCode, verificationUri: d.verificationUri, expiresInSeconds: d.expiresIn }),
      });
      return this.remember(r, 'device code');
    } catch (err) {
      throw new SignInFailedError('device code', err);
    }
  }

  async accounts(): Promise<AccountSummary[]> {
    return (await this.pca.getAllAccounts()).map(summary);
  }

  private async account(): Promise<AccountInfo> {
    const all = await this.pca.getAllAccounts();
    const chosen = (this.selected && all.find((a) => a.homeAccountId === this.selected)) || (all.length === 1 ? all[0] : undefined);
    if (!chosen) throw new SignInRequiredError(all.length > 1 ? 'several accounts are signed in and none is chosen' : undefined);
    return chosen;
  }

  async selectAccount(homeAccountId: string): Promise<AccountSummary> {
    const a = (await this.pca.getAllAccounts()).find((x) => x.homeAccountId === homeAccountId);
    if (!a) throw new SignInRequiredError(`account ${homeAccountId} is not signed in`);
    this.selected = a.homeAccountId;
    return summary(a);
  }

  async current(): Promise<AccountSummary | null> {
    try {
      return summary(await this.account());
    } catch (err) {
      if (err instanceof SignInRequiredError) return null;
      throw err;
    }
  }

  async principal(): Promise<Principal> {
    const { homeAccountId: _h, ...p } = summary(await this.account());
    return p;
  }

  /** Removes the chosen (or given) account and its tokens from the cache. */
  async signOut(homeAccountId?: string): Promise<void> {
    const all = await this.pca.getAllAccounts();
    const targets = homeAccountId ? all.filter((a) => a.homeAccountId === homeAccountId) : all;
    for (const a of targets) await this.pca.signOut({ account: a });
    if (!homeAccountId || this.selected === homeAccountId) this.selected = undefined;
  }

  /** Silent token for one resource (refresh token as needed); never returned outside core. */
  async token(resource: AzureResource): Promise<string> {
    const account = await this.account();
    try {
      const r = await this.pca.acquireTokenSilent({ account, scopes: resource === 'graph' ? graphScopes(this.config) : armScopes(this.config) });
      return r.accessToken;
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError) throw new SignInRequiredError('the session expired or needs consent');
      throw new SignInFailedError('silent', err);
    }
  }
}
