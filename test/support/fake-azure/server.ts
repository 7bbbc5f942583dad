// The fake Azure: identity provider, Graph and ARM on three loopback HTTPS ports behind one
// per-run CA, with a request log and fault injection (status + Retry-After, slow or malformed
// replies, a write applied but its reply lost).
import https from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { FakeArm } from './arm';
import { createTestPki } from './certs';
import { FakeGraph } from './graph';
import { armError, graphError, readRequest, send, type FakeReply, type FakeRequest } from './http-util';
import { FakeIdentityProvider, type FakeUser } from './idp';

export type FakeService = 'idp' | 'graph' | 'arm';

export interface FaultRule {
  service?: FakeService;
  method?: string;
  /** Matches when the path (and query) contains this text, case-insensitively. */
  path?: string;
  /** How many matching requests this rule affects. */
  times: number;
  /** Reply sent instead of (or, with afterHandler, after) the real one. */
  reply?: FakeReply;
  /** Builds the reply from the request (hostile endpoints: endless or foreign nextLink). */
  respond?: (req: FakeRequest) => FakeReply;
  /** Run the real handler first (the write happens) and then send `reply`: a lost reply. */
  afterHandler?: boolean;
  /** Extra delay before answering. */
  delayMs?: number;
}

export interface LoggedRequest { service: FakeService; method: string; path: string; status: number }

export const DEFAULT_USER: FakeUser = {
  oid: '6f1c2a1e-5b7d-4c3f-9e2a-1d4b8c7a9f01',
  tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  upn: 'operator@contoso.com',
  name: 'Nexus Operator',
  groups: ['0a1b2c3d-0000-4000-8000-00000000b001'],
};

export class FakeAzure {
  readonly idp: FakeIdentityProvider;
  readonly graph: FakeGraph;
  readonly arm: FakeArm;
  readonly log: LoggedRequest[] = [];
  faults: FaultRule[] = [];
  /** Added to every reply (benchmarks: 50 ms per request). */
  latencyMs = 0;
  /** Set false to accept any bearer token (never in tests of auth). */
  checkTokens = true;
  /**
   * Requests being answered right now, and the most at once since the last reset (pacing tests);
   * with `countOnly`, only requests whose path contains it are counted.
   */
  inFlight = 0;
  maxInFlight = 0;
  countOnly: string | undefined;
  /**
   * When set, replies to requests whose path contains `path` wait until `inFlight` of them are in
   * flight at once (then it clears): proves concurrency without timing. With `maxWaitMs` each held
   * reply goes after that long anyway (and the hold stays), for runs that must stay under the count.
   */
  hold: { path: string; inFlight: number; maxWaitMs?: number } | undefined;
  private held: Array<() => void> = [];
  /** Endpoints added by fake modules of their own (monitor-alerts.ts, nexus-admin.ts), tried before a service's built-in ones. */
  readonly extraRoutes: Array<(service: FakeService, req: FakeRequest) => FakeReply | undefined> = [];

  private constructor(
    private readonly servers: Record<FakeService, https.Server>,
    readonly urls: Record<FakeService, string>,
    readonly caPem: string,
    readonly caFile: string,
    private readonly dir: string,
    user: FakeUser,
  ) {
    this.idp = new FakeIdentityProvider(urls.idp, user);
    this.graph = new FakeGraph(user);
    this.arm = new FakeArm(urls.arm, user);
  }

  static async start(user: FakeUser = DEFAULT_USER): Promise<FakeAzure> {
    const pki = createTestPki();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-fake-azure-'));
    const caFile = path.join(dir, 'ca.pem');
    writeFileSync(caFile, pki.caPem);
    const holder: { fake?: FakeAzure } = {};
    const make = (service: FakeService): Promise<[https.Server, string]> => new Promise((resolve) => {
      const s = https.createServer({ cert: pki.certPem, key: pki.keyPem, keepAliveTimeout: 1000 }, (req, res) => {
        void holder.fake!.dispatch(service, req, res);
      });
      s.listen(0, '127.0.0.1', () => resolve([s, `https://127.0.0.1:${(s.address() as AddressInfo).port}`]));
    });
    const [[idp, idpUrl], [graph, graphUrl], [arm, armUrl]] = await Promise.all([make('idp'), make('graph'), make('arm')]);
    holder.fake = new FakeAzure({ idp, graph, arm }, { idp: idpUrl, graph: graphUrl, arm: armUrl }, pki.caPem, caFile, dir, user);
    return holder.fake;
  }

  /** Environment for the CLI and AzureAuth config pointing at this fake. */
  env(): Record<string, string> {
    return {
      NBG_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      NBG_TENANT: this.idp.user.tid,
      NBG_AUTHORITY_HOST: this.urls.idp,
      NBG_GRAPH_ENDPOINT: this.urls.graph,
      NBG_ARM_ENDPOINT: this.urls.arm,
      NODE_EXTRA_CA_CERTS: this.caFile,
    };
  }

  count(service: FakeService, filter: (r: LoggedRequest) => boolean = () => true): number {
    return this.log.filter((r) => r.service === service && filter(r)).length;
  }

  private takeFault(service: FakeService, req: FakeRequest): FaultRule | undefined {
    const target = `${req.url.pathname}${req.url.search}`.toLowerCase();
    const rule = this.faults.find((f) => f.times > 0 && (!f.service || f.service === service) && (!f.method || f.method === req.method) && (!f.path || target.includes(f.path.toLowerCase())));
    if (rule) rule.times--;
    return rule;
  }

  private authorized(service: FakeService, req: FakeRequest): FakeReply | undefined {
    if (service === 'idp' || !this.checkTokens) return undefined;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const known = token ? this.idp.tokens.get(token) : undefined;
    if (known && known.aud === service) return undefined;
    const msg = known ? `token audience is ${known.aud}, not ${service}` : 'missing or unknown bearer token';
    return service === 'graph' ? graphError(401, 'InvalidAuthenticationToken', msg) : armError(401, 'InvalidAuthenticationToken', msg);
  }

  private extraRoute(service: FakeService, req: FakeRequest): FakeReply | undefined {
    for (const route of this.extraRoutes) {
      const reply = route(service, req);
      if (reply) return reply;
    }
    return undefined;
  }

  private async dispatch(service: FakeService, raw: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const req = await readRequest(raw, this.urls[service]);
    const counted = !this.countOnly || `${req.url.pathname}${req.url.search}`.toLowerCase().includes(this.countOnly.toLowerCase());
    if (counted) {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    }
    try {
      await this.answer(service, req, res);
    } finally {
      if (counted) this.inFlight--;
    }
  }

  private async answer(service: FakeService, req: FakeRequest, res: import('node:http').ServerResponse): Promise<void> {
    const hold = this.hold;
    if (hold && `${req.url.pathname}${req.url.search}`.toLowerCase().includes(hold.path.toLowerCase())) {
      if (this.held.length + 1 >= hold.inFlight) {
        this.hold = undefined;
        for (const release of this.held.splice(0)) release();
      } else {
        await new Promise<void>((resolve) => {
          this.held.push(resolve);
          if (hold.maxWaitMs !== undefined) {
            setTimeout(() => {
              const i = this.held.indexOf(resolve);
              if (i >= 0) this.held.splice(i, 1);
              resolve();
            }, hold.maxWaitMs);
          }
        });
      }
    }
    const fault = this.takeFault(service, req);
    const wait = this.latencyMs + (fault?.delayMs ?? 0);
    if (wait) await new Promise((r) => setTimeout(r, wait));
    let reply: FakeReply | undefined;
    if (fault?.respond) reply = fault.respond(req);
    else if (fault?.reply && !fault.afterHandler) reply = fault.reply;
    else {
      reply = this.authorized(service, req) ?? this.extraRoute(service, req) ?? (service === 'idp' ? this.idp.handle(req) : service === 'graph' ? this.graph.handle(req) : this.arm.handle(req))
        ?? (service === 'graph' ? graphError(404, 'Request_ResourceNotFound', `no route ${req.method} ${req.url.pathname}`) : armError(404, 'NoRoute', `no route ${req.method} ${req.url.pathname}`));
      if (fault?.afterHandler && fault.reply) reply = fault.reply;
    }
    // Graph names its request id header request-id; ARM uses x-ms-request-id.
    reply = { ...reply, headers: { [service === 'graph' ? 'request-id' : 'x-ms-request-id']: `req-${this.log.length + 1}`, ...reply.headers } };
    this.log.push({ service, method: req.method, path: `${req.url.pathname}${req.url.search}`, status: reply.status });
    if (!res.destroyed) send(res, reply);
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.servers).map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
