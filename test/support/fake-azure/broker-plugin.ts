// Stands in for Windows' sign-in broker at MSAL's plugin boundary (INativeBrokerPlugin, what
// @azure/msal-node-extensions' NativeBrokerPlugin implements over WAM). Real MSAL Node routes to it;
// it records what MSAL passed (request, window handle) and issues the fake identity provider's tokens.
import type { AccountInfo, AuthenticationResult, INativeBrokerPlugin } from '@azure/msal-node';
import type { FakeIdentityProvider } from './idp';

export type BrokerBehaviour = 'signs-in' | 'fails' | 'user-cancels' | 'dialog-left-open';

export interface BrokerCall {
  scopes: string[];
  extraScopesToConsent: string[];
  windowHandle: Buffer | undefined;
}

export class StandInBroker implements INativeBrokerPlugin {
  readonly interactive: BrokerCall[] = [];
  readonly silent: string[][] = [];
  private readonly signedIn: AccountInfo[] = [];

  constructor(private readonly idp: FakeIdentityProvider, public behaviour: BrokerBehaviour = 'signs-in', public isBrokerAvailable = true) {}

  setLogger(): void {}

  private get account(): AccountInfo {
    const u = this.idp.user;
    return {
      homeAccountId: `${u.oid}.${u.tid}`, environment: new URL(this.idp.base).host, tenantId: u.tid,
      username: u.upn, localAccountId: u.oid, name: u.name, nativeAccountId: `wam-${u.oid}`,
    };
  }

  private result(scopes: string[]): AuthenticationResult {
    const account = this.account;
    const aud = scopes.some((s) => s.endsWith('/user_impersonation')) ? 'arm' : 'graph';
    return {
      authority: `${this.idp.base}/${account.tenantId}`, uniqueId: account.localAccountId, tenantId: account.tenantId, scopes,
      account, idToken: '', idTokenClaims: {}, accessToken: this.idp.mint(aud), fromCache: false,
      expiresOn: new Date(Date.now() + 3_600_000), tokenType: 'Bearer', correlationId: 'stand-in',
    };
  }

  async acquireTokenInteractive(request: { scopes: string[]; extraScopesToConsent?: string[] }, windowHandle?: Buffer): Promise<AuthenticationResult> {
    this.interactive.push({ scopes: request.scopes, extraScopesToConsent: request.extraScopesToConsent ?? [], windowHandle });
    // MSAL's own error shapes (errorCode) for what WAM reports: user_canceled, or a broker failure.
    if (this.behaviour === 'user-cancels') throw Object.assign(new Error('User canceled the flow.'), { errorCode: 'user_canceled' });
    if (this.behaviour === 'dialog-left-open') return new Promise<AuthenticationResult>(() => {});
    if (this.behaviour === 'fails') throw Object.assign(new Error('ApiContractViolation'), { errorCode: 'platform_broker_error' });
    if (!this.signedIn.length) this.signedIn.push(this.account);
    return this.result(request.scopes);
  }

  async acquireTokenSilent(request: { scopes: string[] }): Promise<AuthenticationResult> {
    this.silent.push(request.scopes);
    return this.result(request.scopes);
  }

  async getAccountById(): Promise<AccountInfo> {
    return this.account;
  }

  async getAllAccounts(): Promise<AccountInfo[]> {
    return [...this.signedIn];
  }

  async signOut(): Promise<void> {
    this.signedIn.length = 0;
  }
}
