// The app's ssh-agent for stock OpenSSH clients: a Unix socket in a private 0700 directory, or a
// private named pipe on Windows (never `openssh-ssh-agent`, which the Windows agent service owns).
// It only lists and signs with sk keys; everything else is answered with FAILURE.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NbgError } from '../../../../native/errors';
import { fingerprintSha256 } from '../../../../native/sk/publickey';
import { ErrorCode } from '../../../shared/error-codes';
import {
  AgentFrameReader, AgentMessage, AgentProtocolError, DEFAULT_MAX_MESSAGE_BYTES, encodeIdentitiesAnswer, encodeMessage, encodeSignResponse,
  parseExtension, parseSignRequest, parseUserAuthData, type AgentRequest, type SessionBind,
} from './protocol';
import type { SignRequestContext, SkSigner } from './types';

const SOCKET_DIR_PREFIX = 'nbg-agent-';
const SOCKET_NAME = 'agent.sock';
const SOCKET_MODE = 0o600;
const PIPE_NAMESPACE = '\\\\.\\pipe\\';
const PIPE_PREFIX = `${PIPE_NAMESPACE}nexus-breakglass-agent-`;
const WINDOWS_AGENT_SERVICE_PIPE = 'openssh-ssh-agent';
const PRIVATE_DIR_MODE = 0o700;
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
  /**
   * Unix: a fixed private directory for the socket (created 0700; must be ours and not a link),
   * so ssh_config can name a stable IdentityAgent. Default: a fresh temp directory per start.
   */
  socketDir?: string;
  /** Unix: the exact socket path (its directory must be private); takes precedence over socketDir. */
  socketPath?: string;
  /** Windows: a fixed pipe name (`\\.\pipe\...`); default: a random private name. */
  pipeName?: string;
  /** Names a host key for prompts ("jump-01"), e.g. from known_hosts; default: its fingerprint. */
  describeHostKey?: (hostKeyBlob: Buffer) => string | undefined;
  /** Observes each request type (27, 11, 13, ...) for diagnostics and tests. */
  onRequest?: (type: number, clientId: number) => void;
}

export class AgentSocketError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.AGENT_SOCKET_UNSAFE, message);
  }
}

/** A private pipe name: random, and never the Windows OpenSSH agent service's name. */
export function privatePipeName(): string {
  return `${PIPE_PREFIX}${randomBytes(12).toString('hex')}`;
}

export function validatePipeName(name: string): string {
  if (!name.startsWith(PIPE_NAMESPACE) || name.length === PIPE_NAMESPACE.length) {
    throw new AgentSocketError(`"${name}" is not a named pipe path (\\\\.\\pipe\\<name>).`);
  }
  if (name.slice(PIPE_NAMESPACE.length).toLowerCase() === WINDOWS_AGENT_SERVICE_PIPE) {
    throw new AgentSocketError('The pipe name openssh-ssh-agent belongs to the Windows OpenSSH agent service; choose another.');
  }
  return name;
}

/**
 * Creates a directory only the current user can enter, or checks an existing one: never chmods a
 * directory it did not create (pointing --socket at /tmp must not change /tmp).
 */
async function preparePrivateDir(dir: string): Promise<void> {
  const created = await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const st = await fs.lstat(dir);
  if (!st.isDirectory()) throw new AgentSocketError(`${dir} is not a directory (a link?); refusing to put the agent socket there.`);
  if (process.getuid && st.uid !== process.getuid()) throw new AgentSocketError(`${dir} belongs to another user; refusing to put the agent socket there.`);
  if (created !== undefined) await fs.chmod(dir, PRIVATE_DIR_MODE);
  else if ((st.mode & 0o077) !== 0) {
    throw new AgentSocketError(`${dir} is open to other users (mode ${(st.mode & 0o777).toString(8)}); put the agent socket in a private directory (chmod 700).`);
  }
}

/** A socket left by a crashed run would make listen fail; anything else at that path is not ours. */
async function removeStaleSocket(file: string): Promise<void> {
  const st = await fs.lstat(file).catch(() => null);
  if (!st) return;
  if (!st.isSocket()) throw new AgentSocketError(`${file} exists and is not a socket; refusing to replace it.`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(file);
    probe.once('connect', () => { probe.destroy(); resolve(true); });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new AgentSocketError(`Another agent is already listening on ${file}.`);
  await fs.unlink(file);
}

export class AgentServer {
  private readonly clients = new Set<net.Socket>();
  private nextClientId = 1;

  private constructor(
    private readonly server: net.Server,
    /** Value for SSH_AUTH_SOCK / IdentityAgent. */
    readonly path: string,
    /** A temp directory created for the socket, removed on close. */
    private readonly ownedDir: string | null,
    private readonly opts: AgentServerOptions,
  ) {}

  static async start(opts: AgentServerOptions): Promise<AgentServer> {
    let listenPath: string;
    let ownedDir: string | null = null;
    if (process.platform === 'win32') {
      listenPath = opts.pipeName ? validatePipeName(opts.pipeName) : privatePipeName();
    } else if (opts.socketPath || opts.socketDir) {
      listenPath = opts.socketPath ? path.resolve(opts.socketPath) : path.join(opts.socketDir as string, SOCKET_NAME);
      await preparePrivateDir(path.dirname(listenPath));
      await removeStaleSocket(listenPath);
    } else {
      ownedDir = await fs.mkdtemp(path.join(os.tmpdir(), SOCKET_DIR_PREFIX));
      await fs.chmod(ownedDir, PRIVATE_DIR_MODE);
      listenPath = path.join(ownedDir, SOCKET_NAME);
    }
    const server = net.createServer();
    const agent = new AgentServer(server, listenPath, ownedDir, opts);
    server.on('connection', (sock) => agent.serve(sock));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(listenPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (process.platform !== 'win32') await fs.chmod(listenPath, SOCKET_MODE);
    } catch (err) {
      server.close();
      if (ownedDir) await fs.rm(ownedDir, { recursive: true, force: true });
      throw err;
    }
    return agent;
  }

  async close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    // net.Server unlinks its Unix socket on close; a temp directory we created goes too.
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.ownedDir) await fs.rm(this.ownedDir, { recursive: true, force: true });
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
        requester: context.origin,
        context,
      }).catch(() => false);
      if (!ok) {
        await this.opts.signer.refused?.(req.keyBlob, context, 'the operator declined it').catch(() => undefined);
        return encodeMessage(AgentMessage.Failure);
      }
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
