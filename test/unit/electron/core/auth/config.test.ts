import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { armScopes, AZURE_CLI_CLIENT_ID, graphScopes, resolveAuthConfig } from '../../../../../electron/core/auth/config';
import { principalFromAccessToken } from '../../../../../electron/core/auth/principal';
import { AzCliTokenSource, EnvTokenSource } from '../../../../../electron/core/auth/token-source';

const CLIENT = '11111111-2222-4333-8444-555555555555';
const jwt = (claims: object): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

describe('auth configuration', () => {
  it('defaults to the public cloud and organizations', () => {
    const c = resolveAuthConfig({}, { clientId: CLIENT });
    assert.deepEqual(c, { clientId: CLIENT, tenant: 'organizations', authorityHost: 'https://login.microsoftonline.com', graphEndpoint: 'https://graph.microsoft.com', armEndpoint: 'https://management.azure.com' });
    assert.deepEqual(graphScopes(c), ['https://graph.microsoft.com/User.Read', 'https://graph.microsoft.com/User.ReadWrite']);
    assert.deepEqual(armScopes(c), ['https://management.azure.com/user_impersonation']);
  });

  it('takes sovereign clouds from settings and env overrides over settings', () => {
    const gov = resolveAuthConfig({}, { clientId: CLIENT, cloud: 'AzureUSGovernment', tenant: 'contoso.onmicrosoft.us' });
    assert.equal(gov.armEndpoint, 'https://management.usgovcloudapi.net');
    const env = { NBG_CLIENT_ID: CLIENT.replace('1', '9'), NBG_TENANT: 'fabrikam.com', NBG_AUTHORITY_HOST: 'https://127.0.0.1:8443/', NBG_GRAPH_ENDPOINT: 'https://127.0.0.1:8444', NBG_ARM_ENDPOINT: 'https://127.0.0.1:8445' };
    assert.deepEqual(resolveAuthConfig(env, { clientId: CLIENT, tenant: 'contoso.com' }), {
      clientId: env.NBG_CLIENT_ID, tenant: 'fabrikam.com', authorityHost: 'https://127.0.0.1:8443', graphEndpoint: 'https://127.0.0.1:8444', armEndpoint: 'https://127.0.0.1:8445',
    });
  });

  it('refuses the Azure CLI client id, a missing id and http endpoints', () => {
    assert.throws(() => resolveAuthConfig({ NBG_CLIENT_ID: AZURE_CLI_CLIENT_ID }), /first-party/);
    assert.throws(() => resolveAuthConfig({}), { code: 'AUTH_CONFIG', message: /no client id/ });
    assert.throws(() => resolveAuthConfig({ NBG_CLIENT_ID: CLIENT, NBG_ARM_ENDPOINT: 'http://127.0.0.1:1' }), /must use https/);
  });
});

describe('token sources for scripting', () => {
  const token = jwt({ oid: 'o-1', tid: 't-1', upn: 'op@contoso.com', name: 'Op' });

  it('reads whose token it is from the claims', () => {
    assert.deepEqual(principalFromAccessToken(token), { objectId: 'o-1', tenantId: 't-1', username: 'op@contoso.com', name: 'Op' });
    assert.throws(() => principalFromAccessToken('opaque'), { code: 'TOKEN_CLAIMS' });
  });

  it('uses NBG_GRAPH_TOKEN / NBG_ARM_TOKEN', async () => {
    const s = new EnvTokenSource({ NBG_ARM_TOKEN: token });
    assert.equal(await s.token('arm'), token);
    await assert.rejects(s.token('graph'), /NBG_GRAPH_TOKEN is not set/);
    assert.equal((await s.principal()).objectId, 'o-1');
  });

  it('asks az for a token per resource, as az nexusidentity does, and caches it', async () => {
    const calls: string[][] = [];
    const s = new AzCliTokenSource({ authorityHost: 'https://login.microsoftonline.com', graphEndpoint: 'https://graph.microsoft.com', armEndpoint: 'https://management.azure.com' },
      async (args) => { calls.push(args); return JSON.stringify({ accessToken: token, expiresOn: '2026-11-21 13:00:00', tenant: 't-1', tokenType: 'Bearer' }); });
    assert.equal(await s.token('graph'), token);
    assert.equal(await s.token('graph'), token);
    await s.token('arm');
    assert.deepEqual(calls, [
      ['account', 'get-access-token', '--resource', 'https://graph.microsoft.com', '--output', 'json'],
      ['account', 'get-access-token', '--resource', 'https://management.azure.com', '--output', 'json'],
    ]);
    const broken = new AzCliTokenSource({ authorityHost: 'https://a', graphEndpoint: 'https://g', armEndpoint: 'https://m' }, async () => 'ERROR: Please run az login');
    await assert.rejects(broken.token('arm'), { code: 'AZ_CLI' });
  });
});
