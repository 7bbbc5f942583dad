// Where bearer tokens come from. The app signs in with MSAL (AzureAuth); scripts may borrow the
// Azure CLI's session (--token-source az) or pass tokens in NBG_GRAPH_TOKEN / NBG_ARM_TOKEN.
import { execFile } from 'node:child_process';
import { z } from 'zod';
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import { resourceUri, type AzureResource, type CloudEndpoints } from './config';
import { principalFromAccessToken, type Principal } from './principal';

export interface TokenSource {
  /** Short label for whoami, e.g. "signed in (MSAL)" or "az CLI". */
  readonly label: string;
  token(resource: AzureResource): Promise<string>;
  principal(): Promise<Principal>;
}

export class TokenSourceError extends NbgError {
  constructor(code: typeof ErrorCode.TOKEN_MISSING | typeof ErrorCode.AZ_CLI, message: string) {
    super(code, message);
  }
}

const ENV_TOKEN: Record<AzureResource, string> = {
  graph: 'NBG_GRAPH_TOKEN', arm: 'NBG_ARM_TOKEN', monitor: 'NBG_MONITOR_TOKEN', loganalytics: 'NBG_LOG_ANALYTICS_TOKEN',
};

/** Tokens handed in by the environment; nothing is refreshed. */
export class EnvTokenSource implements TokenSource {
  readonly label = 'environment (NBG_GRAPH_TOKEN / NBG_ARM_TOKEN / NBG_MONITOR_TOKEN / NBG_LOG_ANALYTICS_TOKEN)';
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  static present(env: NodeJS.ProcessEnv): boolean {
    return Boolean(env.NBG_GRAPH_TOKEN || env.NBG_ARM_TOKEN);
  }

  async token(resource: AzureResource): Promise<string> {
    const name = ENV_TOKEN[resource];
    const t = this.env[name];
    if (!t) throw new TokenSourceError(ErrorCode.TOKEN_MISSING, `${name} is not set`);
    return t;
  }

  async principal(): Promise<Principal> {
    return principalFromAccessToken(await this.token(this.env.NBG_ARM_TOKEN ? 'arm' : 'graph'));
  }
}

const azTokenReply = z.object({ accessToken: z.string().min(1), tenant: z.string().optional() }).passthrough();
export type AzRunner = (args: string[]) => Promise<string>;

const defaultAzRunner: AzRunner = (args) => new Promise((resolve, reject) => {
  execFile(process.platform === 'win32' ? 'az.cmd' : 'az', args, { timeout: 60_000, windowsHide: true, shell: process.platform === 'win32' }, (err, stdout, stderr) => {
    if (err) reject(new TokenSourceError(ErrorCode.AZ_CLI, `az account get-access-token failed: ${(stderr || err.message).split('\n')[0]}; run 'az login' first`));
    else resolve(stdout);
  });
});

/** Same as `az nexusidentity`: `az account get-access-token --resource <endpoint>`. */
export class AzCliTokenSource implements TokenSource {
  readonly label = 'Azure CLI (az account get-access-token)';
  private readonly cache = new Map<AzureResource, Promise<string>>();

  constructor(private readonly endpoints: CloudEndpoints, private readonly runAz: AzRunner = defaultAzRunner) {}

  token(resource: AzureResource): Promise<string> {
    let p = this.cache.get(resource);
    if (!p) {
      const endpoint = resourceUri(resource, this.endpoints);
      p = this.runAz(['account', 'get-access-token', '--resource', endpoint, '--output', 'json']).then((out) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(out);
        } catch {
          throw new TokenSourceError(ErrorCode.AZ_CLI, 'az account get-access-token did not print JSON');
        }
        const r = azTokenReply.safeParse(parsed);
        if (!r.success) throw new TokenSourceError(ErrorCode.AZ_CLI, 'az account get-access-token printed no accessToken');
        return r.data.accessToken;
      });
      p.catch(() => this.cache.delete(resource));
      this.cache.set(resource, p);
    }
    return p;
  }

  async principal(): Promise<Principal> {
    return principalFromAccessToken(await this.token('arm'));
  }
}
