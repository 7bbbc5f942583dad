// Which app registration, tenant and cloud the sign-in and every API call use. Sovereign clouds
// differ only in their endpoints, so every URL comes from here; env vars override settings.
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

/** The two APIs tokens are asked for: Microsoft Graph and Azure Resource Manager. */
/** monitor: Logs Ingestion, for forwarding the audit log; loganalytics: the Query API, to read its checkpoints back. */
export type AzureResource = 'graph' | 'arm' | 'monitor' | 'loganalytics';

/** The audiences of the Logs Ingestion and Log Analytics Query APIs (public cloud). */
export const MONITOR_RESOURCE = 'https://monitor.azure.com';
export const LOG_ANALYTICS_RESOURCE = 'https://api.loganalytics.io';

export interface CloudEndpoints {
  /** e.g. https://login.microsoftonline.com (no tenant, no trailing slash). */
  authorityHost: string;
  graphEndpoint: string;
  armEndpoint: string;
}

export interface AuthConfig extends CloudEndpoints {
  /** Our own public-client app registration (never the Azure CLI's first-party id). */
  clientId: string;
  /** Tenant id or domain, or "organizations". */
  tenant: string;
}

export const CLOUDS = {
  AzureCloud: { authorityHost: 'https://login.microsoftonline.com', graphEndpoint: 'https://graph.microsoft.com', armEndpoint: 'https://management.azure.com' },
  AzureUSGovernment: { authorityHost: 'https://login.microsoftonline.us', graphEndpoint: 'https://graph.microsoft.us', armEndpoint: 'https://management.usgovcloudapi.net' },
  AzureChinaCloud: { authorityHost: 'https://login.chinacloudapi.cn', graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn', armEndpoint: 'https://management.chinacloudapi.cn' },
} as const satisfies Record<string, CloudEndpoints>;

/** Microsoft first-party app: pre-authorised only for fixed scopes; a dynamic User.ReadWrite request fails with it. */
export const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';
export const DEFAULT_TENANT = 'organizations';

export class AuthConfigError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.AUTH_CONFIG, message);
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT = /^([0-9a-f-]{36}|organizations|common|[a-z0-9.-]+\.[a-z]{2,})$/i;

function httpsOrigin(name: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new AuthConfigError(`${name} is not a URL: ${value}`);
  }
  if (u.protocol !== 'https:') throw new AuthConfigError(`${name} must use https: ${value}`);
  return u.origin;
}

export interface AuthConfigInput extends Partial<AuthConfig> {
  cloud?: keyof typeof CLOUDS;
}

/** Settings first, then NBG_CLIENT_ID, NBG_TENANT, NBG_AUTHORITY_HOST, NBG_GRAPH_ENDPOINT, NBG_ARM_ENDPOINT. */
export function resolveAuthConfig(env: NodeJS.ProcessEnv, settings: AuthConfigInput = {}): AuthConfig {
  const clientId = env.NBG_CLIENT_ID ?? settings.clientId;
  if (!clientId) {
    throw new AuthConfigError('no client id: set the app registration id in settings or NBG_CLIENT_ID (or use --token-source az)');
  }
  if (!GUID.test(clientId)) throw new AuthConfigError(`client id must be a GUID: ${clientId}`);
  if (clientId.toLowerCase() === AZURE_CLI_CLIENT_ID) {
    throw new AuthConfigError('the Azure CLI client id is Microsoft first-party and cannot request User.ReadWrite; register your own public client, or use --token-source az');
  }
  const tenant = env.NBG_TENANT ?? settings.tenant ?? DEFAULT_TENANT;
  if (!TENANT.test(tenant)) throw new AuthConfigError(`tenant must be a GUID, a domain or "organizations": ${tenant}`);
  return { clientId, tenant, ...resolveEndpoints(env, settings) };
}

/** Endpoints alone, for token sources that do not need a client id (az CLI, env tokens). */
export function resolveEndpoints(env: NodeJS.ProcessEnv, settings: AuthConfigInput = {}): CloudEndpoints {
  const cloud = CLOUDS[settings.cloud ?? 'AzureCloud'];
  return {
    authorityHost: httpsOrigin('authority host', env.NBG_AUTHORITY_HOST ?? settings.authorityHost ?? cloud.authorityHost),
    graphEndpoint: httpsOrigin('Graph endpoint', env.NBG_GRAPH_ENDPOINT ?? settings.graphEndpoint ?? cloud.graphEndpoint),
    armEndpoint: httpsOrigin('ARM endpoint', env.NBG_ARM_ENDPOINT ?? settings.armEndpoint ?? cloud.armEndpoint),
  };
}

/** Delegated scopes; one audience per token, so Graph and ARM are always asked for separately. */
export function graphScopes(c: CloudEndpoints): string[] {
  return [`${c.graphEndpoint}/User.Read`, `${c.graphEndpoint}/User.ReadWrite`];
}
export function armScopes(c: CloudEndpoints): string[] {
  return [`${c.armEndpoint}/user_impersonation`];
}
/** "https://monitor.azure.com//.default", as the Logs Ingestion docs write the scope. */
export function monitorScopes(): string[] {
  return [`${MONITOR_RESOURCE}//.default`];
}

export function scopesFor(resource: AzureResource, c: CloudEndpoints): string[] {
  if (resource === 'graph') return graphScopes(c);
  if (resource === 'arm') return armScopes(c);
  return resource === 'monitor' ? monitorScopes() : [`${LOG_ANALYTICS_RESOURCE}/.default`];
}

/** The resource URI `az account get-access-token --resource` takes. */
export function resourceUri(resource: AzureResource, c: CloudEndpoints): string {
  if (resource === 'graph') return c.graphEndpoint;
  if (resource === 'arm') return c.armEndpoint;
  return resource === 'monitor' ? MONITOR_RESOURCE : LOG_ANALYTICS_RESOURCE;
}

/** True for the clouds' own login hosts, where MSAL's instance discovery applies. */
export function isMicrosoftAuthorityHost(host: string): boolean {
  return Object.values(CLOUDS).some((c) => new URL(c.authorityHost).host === host);
}
