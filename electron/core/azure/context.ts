// Builds the Azure services over one token source; the CLI uses it, and the app host can too
// (passing its own opener and safeStorage protector).
import path from 'node:path';
import { ErrorCode } from '../../shared/error-codes';
import { AzureAuth, BrowserUnavailableError } from '../auth/azure-auth';
import { resolveAuthConfig, resolveEndpoints, type AuthConfigInput, type CloudEndpoints } from '../auth/config';
import { osCacheProtector } from '../auth/os-key-store';
import { LastIdentityStore } from '../auth/last-identity';
import type { Principal } from '../auth/principal';
import { plaintextProtector, type CacheProtector } from '../auth/token-cache';
import { AzCliTokenSource, EnvTokenSource, type AzRunner, type TokenSource } from '../auth/token-source';
import { NbgError } from '../../../native/errors';
import { GraphKeyStore } from './graph-keys';
import { GraphGroups } from './graph-groups';
import { AzureHttp, type RetryPolicy } from './http';
import { Inventory } from './inventory';
import { ClusterCache } from './cluster-cache';
import { InventoryCache } from './inventory-cache';
import { LongRunningPoller, type PollLimits } from './long-running';
import { NetworkCloud } from './networkcloud';
import { FabricPasswords } from './fabric-passwords';
import type { Transport } from '../net/transport';

export type TokenSourceKind = 'msal' | 'az' | 'env';
export const TOKEN_SOURCES: readonly TokenSourceKind[] = ['msal', 'az', 'env'];

export class TokenSourceChoiceError extends NbgError {
  constructor(value: string) {
    super(ErrorCode.USAGE, `--token-source must be one of ${TOKEN_SOURCES.join(', ')} (got "${value}")`);
  }
}

export interface AzureContextOptions {
  env: NodeJS.ProcessEnv;
  appHome: string;
  transport: Transport;
  settings?: AuthConfigInput;
  /** Default: env when NBG_GRAPH_TOKEN/NBG_ARM_TOKEN are set, else msal. */
  tokenSource?: string;
  openBrowser?: (url: string) => Promise<void>;
  /** The app window's native handle (Windows): sign-in then goes through the OS broker when it loads. */
  windowHandle?: () => Uint8Array | null;
  /**
   * The token-cache protector. Undefined: the OS key store, else (with NBG_TOKEN_CACHE=plaintext)
   * a plain file, else memory only. Electron passes its safeStorage protector here.
   */
  protector?: CacheProtector;
  azRunner?: AzRunner;
  policy?: Partial<RetryPolicy>;
  /** Overall time one read (an inventory load, then the offline cache; a cluster/machine/keyset listing) may spend on Azure. */
  actionDeadlineMs?: number;
  pollLimits?: PollLimits;
  sleep?: (ms: number) => Promise<void>;
  /** Non-secret warnings for the user (plaintext cache, memory-only cache). */
  warn?: (message: string) => void;
}

export interface AzureContext {
  endpoints: CloudEndpoints;
  tokens: TokenSource;
  /** Present when signing in with MSAL. */
  auth: AzureAuth | null;
  http: AzureHttp;
  keys: GraphKeyStore;
  /** The signed-in user's Entra groups, direct and nested (readiness). */
  groups: GraphGroups;
  inventory: Inventory;
  networkCloud: NetworkCloud;
  /** Method D v1.5 password rotation of a fabric: its state, and the rotatePasswords action. */
  fabricPasswords: FabricPasswords;
  /** The last good cluster listing, for bare metal machines while Azure is unreachable. */
  clusterCache: ClusterCache;
  /** Where the last key upload time is recorded. */
  uploadRecordFile: string;
}

export const DEFAULT_ACTION_DEADLINE_MS = 60_000;

/** NBG_AZURE_DEADLINE (seconds) overrides the default; anything that is not a positive number is ignored. */
function actionDeadlineFromEnv(env: NodeJS.ProcessEnv): number {
  const s = Number(env.NBG_AZURE_DEADLINE);
  return Number.isFinite(s) && s > 0 ? s * 1000 : DEFAULT_ACTION_DEADLINE_MS;
}

async function chooseProtector(opts: AzureContextOptions): Promise<CacheProtector | undefined> {
  if (opts.protector) return opts.protector;
  const os = await osCacheProtector(opts.appHome);
  if (os) return os;
  if (opts.env.NBG_TOKEN_CACHE === 'plaintext') {
    opts.warn?.(plaintextProtector.warning!);
    return plaintextProtector;
  }
  opts.warn?.('no OS key store is available: sign-in lasts only for this process (set NBG_TOKEN_CACHE=plaintext to allow an unencrypted cache file)');
  return undefined;
}

/** The last signed-in identity as a principal (no tokens): whose cached inventory to show. */
async function lastPrincipal(appHome: string): Promise<Principal | null> {
  const last = await LastIdentityStore.inHome(appHome).read();
  return last ? { objectId: last.objectId, tenantId: last.tenantId, username: last.userPrincipalName, name: last.displayName } : null;
}

export async function createAzureContext(opts: AzureContextOptions): Promise<AzureContext> {
  const kind = opts.tokenSource ?? (EnvTokenSource.present(opts.env) ? 'env' : 'msal');
  if (!TOKEN_SOURCES.includes(kind as TokenSourceKind)) throw new TokenSourceChoiceError(kind);
  let auth: AzureAuth | null = null;
  let tokens: TokenSource;
  let endpoints: CloudEndpoints;
  if (kind === 'msal') {
    const config = resolveAuthConfig(opts.env, opts.settings);
    endpoints = config;
    const protector = await chooseProtector(opts);
    auth = new AzureAuth(config, {
      transport: opts.transport,
      openBrowser: opts.openBrowser ?? (async () => { throw new BrowserUnavailableError('no opener was given'); }),
      lastIdentity: LastIdentityStore.inHome(opts.appHome),
      ...(protector ? { tokenCache: { file: path.join(opts.appHome, 'msal-token-cache.bin'), protector }, accountFile: path.join(opts.appHome, 'msal-account') } : {}),
      ...(opts.warn ? { log: opts.warn } : {}),
      ...(opts.windowHandle ? { windowHandle: opts.windowHandle } : {}),
    });
    tokens = auth;
  } else {
    endpoints = resolveEndpoints(opts.env, opts.settings);
    tokens = kind === 'az' ? new AzCliTokenSource(endpoints, opts.azRunner) : new EnvTokenSource(opts.env);
  }
  const http = new AzureHttp({
    transport: opts.transport, token: (r) => tokens.token(r), origins: { arm: endpoints.armEndpoint, graph: endpoints.graphEndpoint },
    ...(opts.policy ? { policy: opts.policy } : {}), ...(opts.sleep ? { sleep: opts.sleep } : {}),
  });
  const deadlineMs = opts.actionDeadlineMs ?? actionDeadlineFromEnv(opts.env);
  const inventory = new Inventory(http, endpoints, () => tokens.principal(), new InventoryCache(path.join(opts.appHome, 'cache')), {
    deadlineMs, ...(auth ? { lastPrincipal: () => lastPrincipal(opts.appHome) } : {}),
  });
  const poller = new LongRunningPoller(http, opts.pollLimits, opts.sleep);
  return {
    endpoints, tokens, auth, http, inventory,
    keys: new GraphKeyStore(http, endpoints, deadlineMs),
    groups: new GraphGroups(http, endpoints, deadlineMs),
    networkCloud: new NetworkCloud(http, endpoints, poller, async () => (await inventory.subscriptions()).map((s) => s.subscriptionId), undefined, deadlineMs),
    fabricPasswords: new FabricPasswords(http, endpoints, poller, deadlineMs),
    clusterCache: new ClusterCache(path.join(opts.appHome, 'cache')),
    uploadRecordFile: path.join(opts.appHome, 'key-upload.json'),
  };
}
