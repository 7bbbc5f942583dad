// Fake Entra identity provider: AAD-style discovery, /authorize answering with a form_post page,
// /token (authorization_code + PKCE, refresh_token, device_code) and /devicecode.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { b64url, json, jwt, type FakeReply, type FakeRequest } from './http-util';

export type Audience = 'graph' | 'arm';

export interface FakeUser {
  oid: string;
  tid: string;
  upn: string;
  name: string;
  /** Object ids of groups the user is a direct member of. */
  groups: string[];
  /** Groups the user is in only through another group (nested): transitive, not direct. */
  nestedGroups?: string[];
  /** Display names by group id, where the directory gives one. */
  groupNames?: Record<string, string>;
}

interface PendingCode { clientId: string; redirectUri: string; challenge: string; scopes: string[]; nonce?: string }
interface DeviceCode { clientId: string; scopes: string[]; userCode: string; approved: boolean; expiresAt: number }

const TOKEN_LIFETIME_S = 3600;

function audienceOf(scopes: string[]): Audience | undefined {
  for (const s of scopes) {
    if (/\/?user_impersonation$/i.test(s) || /management/i.test(s)) return 'arm';
    if (/\/?User\.(Read|ReadWrite)$/i.test(s)) return 'graph';
  }
  return undefined;
}

export class FakeIdentityProvider {
  readonly tokens = new Map<string, { aud: Audience; oid: string }>();
  readonly clientIds = new Set<string>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, { clientId: string }>();
  private readonly deviceCodes = new Map<string, DeviceCode>();
  /** Counts per grant type, for tests. */
  readonly grants: Record<string, number> = {};
  /** Device-code poll interval in seconds (fractional: faster tests). */
  deviceCodeInterval = 0.1;
  /**
   * Resources the user has consented to for this app. As in Entra, an interactive or device-code
   * grant consents to every resource it asked for (scope plus extra consent scopes); a refresh for
   * a resource without consent fails with invalid_grant / consent_required (AADSTS65001).
   */
  readonly consented = new Set<Audience>();

  constructor(readonly base: string, readonly user: FakeUser) {}

  get tenantPath(): string {
    return `/${this.user.tid}`;
  }

  /** Issues an access token outside any flow (env-token and az-source tests). */
  mint(aud: Audience): string {
    const token = jwt({ aud, oid: this.user.oid, tid: this.user.tid, upn: this.user.upn, name: this.user.name, exp: Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S, jti: randomUUID() });
    this.tokens.set(token, { aud, oid: this.user.oid });
    return token;
  }

  approveDeviceCode(userCode: string): boolean {
    for (const d of this.deviceCodes.values()) if (d.userCode === userCode) { d.approved = true; return true; }
    return false;
  }

  handle(req: FakeRequest): FakeReply | undefined {
    const p = req.url.pathname;
    const t = this.tenantPath;
    if (p === `${t}/v2.0/.well-known/openid-configuration`) {
      return json(200, {
        issuer: `${this.base}${t}/v2.0`,
        authorization_endpoint: `${this.base}${t}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.base}${t}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${this.base}${t}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${this.base}${t}/oauth2/v2.0/logout`,
        jwks_uri: `${this.base}${t}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        response_types_supported: ['code'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'NA',
        cloud_instance_name: 'fake.local',
      });
    }
    if (p === `${t}/oauth2/v2.0/authorize` && req.method === 'GET') return this.authorize(req.url.searchParams);
    if (p === `${t}/oauth2/v2.0/token` && req.method === 'POST') return this.token(new URLSearchParams(req.body));
    if (p === `${t}/oauth2/v2.0/devicecode` && req.method === 'POST') return this.deviceCode(new URLSearchParams(req.body));
    return undefined;
  }

  private authorize(q: URLSearchParams): FakeReply {
    const redirectUri = q.get('redirect_uri') ?? '';
    const problems: string[] = [];
    if (!q.get('client_id')) problems.push('client_id');
    if (!/^http:\/\/localhost:\d+\/?$/.test(redirectUri)) problems.push('redirect_uri must be http://localhost:<port>');
    if (q.get('response_mode') !== 'form_post') problems.push('response_mode must be form_post');
    if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) problems.push('PKCE S256 required');
    if (!q.get('state')) problems.push('state');
    if (problems.length) return { status: 400, body: `<p>bad authorize request: ${problems.join(', ')}</p>` };
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, {
      clientId: q.get('client_id')!, redirectUri, challenge: q.get('code_challenge')!, scopes: (q.get('scope') ?? '').split(' '),
      ...(q.get('nonce') ? { nonce: q.get('nonce')! } : {}),
    });
    const field = (n: string, v: string): string => `<input type="hidden" name="${n}" value="${v.replace(/"/g, '&quot;')}">`;
    const clientInfo = b64url({ uid: this.user.oid, utid: this.user.tid });
    return {
      status: 200,
      body: `<!doctype html><html><body onload="document.forms[0].submit()"><form method="POST" action="${redirectUri}">${field('code', code)}${field('state', q.get('state')!)}${field('client_info', clientInfo)}</form></body></html>`,
    };
  }

  private consent(scopes: string[]): void {
    for (const s of scopes) {
      const aud = audienceOf([s]);
      if (aud) this.consented.add(aud);
    }
  }

  private tokenReply(clientId: string, scopes: string[], nonce?: string): FakeReply {
    const aud = audienceOf(scopes) ?? 'graph';
    const access = this.mint(aud);
    const refresh = randomBytes(32).toString('base64url');
    this.refreshTokens.set(refresh, { clientId });
    this.clientIds.add(clientId);
    const now = Math.floor(Date.now() / 1000);
    const idToken = jwt({
      iss: `${this.base}${this.tenantPath}/v2.0`, aud: clientId, sub: `sub-${this.user.oid}`, oid: this.user.oid, tid: this.user.tid,
      preferred_username: this.user.upn, name: this.user.name, iat: now, nbf: now, exp: now + TOKEN_LIFETIME_S, ...(nonce ? { nonce } : {}),
    });
    const granted = scopes.filter((s) => audienceOf([s]) === aud);
    return json(200, {
      token_type: 'Bearer', scope: granted.join(' '), expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S,
      access_token: access, refresh_token: refresh, id_token: idToken, client_info: b64url({ uid: this.user.oid, utid: this.user.tid }),
    });
  }

  private oauthError(error: string, description: string): FakeReply {
    return json(400, { error, error_description: description, error_codes: [0], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() });
  }

  private token(f: URLSearchParams): FakeReply {
    const grant = f.get('grant_type') ?? '';
    this.grants[grant] = (this.grants[grant] ?? 0) + 1;
    const clientId = f.get('client_id') ?? '';
    const scopes = (f.get('scope') ?? '').split(' ').filter(Boolean);
    if (grant === 'authorization_code') {
      const pending = this.codes.get(f.get('code') ?? '');
      if (!pending) return this.oauthError('invalid_grant', 'AADSTS70008: code unknown or used');
      this.codes.delete(f.get('code')!);
      const verifier = f.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) return this.oauthError('invalid_grant', 'AADSTS501481: PKCE verification failed');
      if (pending.clientId !== clientId || pending.redirectUri !== f.get('redirect_uri')) return this.oauthError('invalid_grant', 'AADSTS50148: client or redirect mismatch');
      this.consent(pending.scopes);
      return this.tokenReply(clientId, scopes.length ? scopes : pending.scopes, pending.nonce);
    }
    if (grant === 'refresh_token') {
      const rt = this.refreshTokens.get(f.get('refresh_token') ?? '');
      if (!rt || rt.clientId !== clientId) return this.oauthError('invalid_grant', 'AADSTS700082: refresh token unknown');
      const aud = audienceOf(scopes);
      if (aud && !this.consented.has(aud)) {
        const r = this.oauthError('invalid_grant', `AADSTS65001: The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`);
        return { ...r, body: { ...(r.body as object), suberror: 'consent_required' } };
      }
      return this.tokenReply(clientId, scopes);
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') {
      const d = this.deviceCodes.get(f.get('device_code') ?? '');
      if (!d) return this.oauthError('invalid_grant', 'AADSTS70000: device code unknown');
      if (Date.now() > d.expiresAt) return this.oauthError('expired_token', 'AADSTS70020: device code expired');
      if (!d.approved) return this.oauthError('authorization_pending', 'AADSTS70016: pending');
      this.deviceCodes.delete(f.get('device_code')!);
      this.consent(d.scopes);
      return this.tokenReply(d.clientId, d.scopes);
    }
    return this.oauthError('unsupported_grant_type', grant);
  }

  private deviceCode(f: URLSearchParams): FakeReply {
    const deviceCode = randomBytes(24).toString('base64url');
    const userCode = randomBytes(4).toString('hex').toUpperCase();
    this.deviceCodes.set(deviceCode, { clientId: f.get('client_id') ?? '', scopes: (f.get('scope') ?? '').split(' '), userCode, approved: false, expiresAt: Date.now() + 60_000 });
    const verificationUri = `${this.base}/devicelogin`;
    return json(200, {
      device_code: deviceCode, user_code: userCode, verification_uri: verificationUri, expires_in: 60, interval: this.deviceCodeInterval,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    });
  }
}
