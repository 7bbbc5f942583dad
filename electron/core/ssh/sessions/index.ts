// Public API of the sessions area: a SessionManager per core, sessions through jump chains.
import { randomUUID } from 'node:crypto';
import { JumpPool } from './jump-pool';
import { Session, type SessionDeps } from './session';
import type { Hop, SessionOptions, Target } from './types';

export class SessionManager {
  readonly pool = new JumpPool();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly deps: Omit<SessionDeps, 'pool'>) {}

  /** A session object to follow (state/data events) before it connects; call session.connect(). */
  open(target: Target, chain: Hop[], options: SessionOptions = {}): Session {
    const session = new Session({ ...this.deps, pool: this.pool }, target, chain, options, randomUUID());
    this.sessions.set(session.id, session);
    return session;
  }

  /** Opens and connects; rejects (with the session closed) when the connect fails. */
  async connect(target: Target, chain: Hop[], options: SessionOptions = {}): Promise<Session> {
    const session = this.open(target, chain, options);
    try {
      await session.connect();
    } catch (err) {
      this.sessions.delete(session.id);
      throw err;
    }
    return session;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /** Forgets a closed session (its scrollback goes with it). */
  discard(id: string): void {
    const s = this.sessions.get(id);
    if (s && s.state.kind !== 'open') this.sessions.delete(id);
  }

  closeAll(): void {
    for (const s of this.sessions.values()) s.close();
    this.pool.closeAll();
  }
}

export { Session, reconnectDivider, type SessionDeps } from './session';
export { ConnectScope } from './connect-scope';
export { JumpPool } from './jump-pool';
export * from './errors';
export type * from './types';
