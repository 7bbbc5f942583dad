// The app's ssh-agent for stock OpenSSH clients: a Unix socket in a private 0700 directory, or a
// private named pipe on Windows (never `openssh-ssh-agent`, which the Windows agent service owns).
// It only lists and signs with sk keys; everything else is answered with FAILURE.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fingerprintSha256 } from '../../../../native/sk/publickey';
import {
  AgentFrameReader, AgentMessage, AgentProtocolError, DEFAULT_MAX_MESSAGE_BYTES, encodeIdentitiesAnswer, encodeMessage, encodeSignResponse,
  parseExtension, parseSignRequest, parseUserAuthData, type AgentRequest, type SessionBind,
} from './protocol';
import type { SignRequestContext, SkSigner } from './types';

const SOCKET_DIR_PREFIX = 'nbg-agent-';
const SOCKET_NAME = 'agent.sock';
const SOCKET_MODE = 0o600;
const PIPE_PREFIX = '\\\\.\\pipe\\nexus-breakglass-agent-';
const AGENT_ORIGIN = 'ssh-agent socket';
/** Requests one client may have queued; OpenSSH clients send one at a time. */
const MAX_PENDING_REQUESTS = 32;

/** Shown before each signature when confirmation is on. */
export interface ConfirmSignRequest {
  keyFingerprint: string;
  keyComment: string;
  /** Which agent client asked, as far as the agent can tell. */
  requester: string;
  context: SignRequestContext;
}

export interface AgentServerOptions {
  signer: SkSigner;
  /** Ask before every signature; resolve false to refuse (the client gets FAILURE). */
  confirmSign?: (request: ConfirmSignRequest) => Promise<boolean>;
  maxMessageBytes?: number;
  /** Unix: where the private socket directory is created (default: the OS temp dir). */
  socketParent?: string;
  /** Names a host key for prompts ("jump-01"), e.g. from known_hosts; default: its fingerprint. */
  describeHostKey?: (hostKeyBlob: Buffer) => string | undefined;
  /** Observes each request type (27, 11, 13, ...) for diagnostics and tests. */
  onRequest?: (type: number, clientId: number) => void;
  platform?: NodeJS.Platform;
}

/** A private pipe name: random, and never the Windows OpenSSH agent service's name. */
export function privatePipeName(): string {
  return `${PIPE_PREFIX}${randomBytes(12).toString('hex')}`;
}

export class AgentServer {
  private readonly clients = new Set<net.Socket>();
  private nextClientId = 1;

  private constructor(
    private readonly server: net.Server,
    /** Value for SSH_AUTH_SOCK / IdentityAgent. */
    readonly path: string,
    private readonly privateDir: string | null,
    private readonly opts: AgentServerOptions,
  ) {}

  static async start(opts: AgentServerOptions): Promise<AgentServer> {
    const platform = opts.platform ?? process.platform;
    let listenPath: string;
    let privateDir: string | null = null;
    if (platform === 'win32') {
      listenPath = privatePipeName();
    } else {
      privateDir = await fs.mkdtemp(path.join(opts.socketParent ?? os.tmpdir(), SOCKET_DIR_PREFIX));
      await fs.chmod(privateDir, 0o700);
      listenPath = path.join(privateDir, SOCKET_NAME);
    }
    const server = net.createServer();
    const agent = new AgentServer(server, listenPath, privateDir, opts);
    server.on('connection', (sock) => agent.serve(sock));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(listenPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (privateDir) await fs.chmod(listenPath, SOCKET_MODE);
    } catch (err) {
      server.close();
      if (privateDir) await fs.rm(privateDir, { recursive: true, force: true });
      throw err;
    }
    return agent;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.privateDir) await fs.rm(this.privateDir, { recursive: true, force: true });
  }

  private serve(sock: net.Socket): void {
    const clientId = this.nextClientId++;
    this.clients.add(sock);
    const reader = new AgentFrameReader(this.opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    const state: ClientState = { clientId, bound: null };
    // Requests of one client are answered in order; a slow signature (touch) holds the next.
    let queue = Promise.resolve();
    let pending = 0;
    sock.on('data', (chunk: Buffer) => {
      let requests: AgentRequest[];
      try {
        requests = reader.push(chunk);
      } catch {
        sock.destroy();
        return;
      }
      pending += requests.length;
      if (pending > MAX_PENDING_REQUESTS) {
        sock.destroy(); // a client flooding requests while a prompt is open is dropped
        return;
      }
      for (const req of requests) {
        queue = queue.then(async () => {
          if (sock.destroyed) return;
          try {
            const reply = await this.handle(req, state);
            if (!sock.destroyed) sock.write(reply);
          } catch {
            sock.destroy(); // malformed request: drop this client only
          } finally {
            pending--;
          }
        });
      }
    });
    sock.on('error', () => sock.destroy());
    sock.on('close', () => this.clients.delete(sock));
  }

  private async handle(req: AgentRequest, state: ClientState): Promise<Buffer> {
    this.opts.onRequest?.(req.type, state.clientId);
    switch (req.type) {
      case AgentMessage.RequestIdentities:
        if (req.body.length !== 0) throw new AgentProtocolError('trailing bytes after REQUEST_IDENTITIES');
        return encodeIdentitiesAnswer(await this.opts.signer.identities());
      case AgentMessage.SignRequest:
        return this.sign(req.body, state);
      case AgentMessage.Extension: {
        // session-bind is remembered only to name the host in prompts; the agent does not
        // enforce bindings, so it answers FAILURE, which OpenSSH clients accept.
        const ext = parseExtension(req.body);
        if (ext.sessionBind) state.bound = ext.sessionBind;
        return encodeMessage(AgentMessage.Failure);
      }
      default:
        return encodeMessage(AgentMessage.Failure);
    }
  }

  private async sign(body: Buffer, state: ClientState): Promise<Buffer> {
    const req = parseSignRequest(body);
    const identities = await this.opts.signer.identities();
    const identity = identities.find((id) => id.publicKeyBlob.equals(req.keyBlob));
    if (!identity) return encodeMessage(AgentMessage.Failure);
    const context = this.contextFor(req.data, state);
    if (this.opts.confirmSign) {
      const ok = await this.opts.confirmSign({
        keyFingerprint: fingerprintSha256(identity.publicKeyBlob),
        keyComment: identity.comment,
        requester: `${AGENT_ORIGIN} client #${state.clientId}`,
        context,
      }).catch(() => false);
      if (!ok) return encodeMessage(AgentMessage.Failure);
    }
    try {
      return encodeSignResponse(await this.opts.signer.sign(req.keyBlob, req.data, context));
    } catch {
      // Cancelled prompt, wrong PIN, key removed: the client sees a refusal and moves on.
      return encodeMessage(AgentMessage.Failure);
    }
  }

  private contextFor(data: Buffer, state: ClientState): SignRequestContext {
    const origin = `${AGENT_ORIGIN} client #${state.clientId}`;
    const auth = parseUserAuthData(data);
    if (!auth) return { purpose: 'sign data (not an SSH login)', origin };
    const hostKey = auth.hostKeyBlob
      ?? (state.bound && state.bound.sessionId.equals(auth.sessionId) ? state.bound.hostKeyBlob : undefined);
    const hop = hostKey ? this.opts.describeHostKey?.(hostKey) ?? fingerprintSha256(hostKey) : undefined;
    return { purpose: `sign in as ${auth.user}`, ...(hop ? { hop } : {}), origin };
  }
}

interface ClientState {
  clientId: number;
  bound: SessionBind | null;
}
