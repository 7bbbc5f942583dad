// OpenSSH agent protocol framing and the few messages the sk agent speaks (authfd.h,
// draft-miller-ssh-agent / RFC 9987). Every message: uint32 length || byte type || body.
import { NbgError } from '../../../../native/errors';
import { SshReader, SshWriter } from '../../../../native/sk/wire';
import { ErrorCode } from '../../../shared/error-codes';
import type { AgentIdentity } from './types';

export const AgentMessage = {
  Failure: 5,
  Success: 6,
  RequestIdentities: 11,
  IdentitiesAnswer: 12,
  SignRequest: 13,
  SignResponse: 14,
  Extension: 27,
} as const;

/** ssh-agent.c AGENT_MAX_LEN: larger messages are refused and the client dropped. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
export const SESSION_BIND_EXTENSION = 'session-bind@openssh.com';

export class AgentProtocolError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.AGENT_PROTOCOL, `ssh-agent client sent a malformed request: ${message}`);
  }
}

export interface AgentRequest {
  type: number;
  body: Buffer;
}

/** Collects stream chunks into complete messages, refusing oversized or empty ones. */
export class AgentFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number = DEFAULT_MAX_MESSAGE_BYTES) {}

  push(chunk: Buffer): AgentRequest[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: AgentRequest[] = [];
    while (this.pending.length >= 4) {
      const len = this.pending.readUInt32BE(0);
      if (len === 0) throw new AgentProtocolError('empty message');
      if (len > this.maxMessageBytes) throw new AgentProtocolError(`message of ${len} bytes exceeds ${this.maxMessageBytes}`);
      if (this.pending.length < 4 + len) break;
      out.push({ type: this.pending[4]!, body: Buffer.from(this.pending.subarray(5, 4 + len)) });
      this.pending = this.pending.subarray(4 + len);
    }
    return out;
  }
}

export function encodeMessage(type: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return new SshWriter().uint32(1 + body.length).byte(type).raw(body).toBuffer();
}

export function encodeIdentitiesAnswer(ids: AgentIdentity[]): Buffer {
  const w = new SshWriter().uint32(ids.length);
  for (const id of ids) w.string(id.publicKeyBlob).string(id.comment);
  return encodeMessage(AgentMessage.IdentitiesAnswer, w.toBuffer());
}

export function encodeSignResponse(signatureBlob: Buffer): Buffer {
  return encodeMessage(AgentMessage.SignResponse, new SshWriter().string(signatureBlob).toBuffer());
}

export interface SignRequest {
  keyBlob: Buffer;
  data: Buffer;
  flags: number;
}

export function parseSignRequest(body: Buffer): SignRequest {
  return strict(() => {
    const r = new SshReader(body);
    const req = { keyBlob: Buffer.from(r.string('key blob')), data: Buffer.from(r.string('data')), flags: r.uint32('flags') };
    r.end('sign request');
    return req;
  });
}

export interface SessionBind {
  hostKeyBlob: Buffer;
  sessionId: Buffer;
}

/** Returns the extension name and, for session-bind, its host key and session id. */
export function parseExtension(body: Buffer): { name: string; sessionBind?: SessionBind } {
  return strict(() => {
    const r = new SshReader(body);
    const name = r.utf8('extension name');
    if (name !== SESSION_BIND_EXTENSION) return { name };
    const hostKeyBlob = Buffer.from(r.string('host key'));
    const sessionId = Buffer.from(r.string('session id'));
    r.string('signature');
    r.bool('is_forwarding');
    r.end('session-bind');
    return { name, sessionBind: { hostKeyBlob, sessionId } };
  });
}

/** What an SSH client asks the agent to sign for public key user authentication (RFC 4252 7). */
export interface UserAuthRequest {
  sessionId: Buffer;
  user: string;
  /** Server host key, signed into the request by OpenSSH >= 8.9 (publickey-hostbound-v00). */
  hostKeyBlob?: Buffer;
}

const SSH_MSG_USERAUTH_REQUEST = 50;
const METHOD_PUBLICKEY = 'publickey';
const METHOD_PUBLICKEY_HOSTBOUND = 'publickey-hostbound-v00@openssh.com';

/** Recognises userauth sign data; anything else (e.g. SSHSIG) returns null. */
export function parseUserAuthData(data: Buffer): UserAuthRequest | null {
  try {
    const r = new SshReader(data);
    const sessionId = Buffer.from(r.string('session id'));
    if (r.byte('message type') !== SSH_MSG_USERAUTH_REQUEST) return null;
    const user = r.utf8('user');
    if (r.utf8('service') !== 'ssh-connection') return null;
    const method = r.utf8('method');
    if ((method !== METHOD_PUBLICKEY && method !== METHOD_PUBLICKEY_HOSTBOUND) || !r.bool('has signature')) return null;
    r.string('algorithm');
    r.string('key blob');
    const hostKeyBlob = method === METHOD_PUBLICKEY_HOSTBOUND ? Buffer.from(r.string('host key')) : undefined;
    r.end('userauth request');
    return { sessionId, user, ...(hostKeyBlob ? { hostKeyBlob } : {}) };
  } catch {
    return null;
  }
}

function strict<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof NbgError && err.code === ErrorCode.SSH_WIRE_MALFORMED) throw new AgentProtocolError(err.message);
    throw err;
  }
}
