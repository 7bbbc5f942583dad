// The shapes callers use to describe a break-glass connect and to follow a session.
import type { SignRequestContext } from '../agent/types';
import type { HopAddress } from '../chain';
import type { PinCache } from '../../../../native/authenticator/authenticator';
import type { ConnectScope } from './connect-scope';
import type { KnownHostsStore } from '../known-hosts-store';
import type { HostKeyPolicy } from '../known-hosts-verify';

export interface HopAuth {
  /** Sign in with the security key through the sk agent (default true unless password is set). */
  securityKey?: boolean;
  /** Also offer the keys of an existing ssh-agent (e.g. the system's SSH_AUTH_SOCK). */
  systemAgent?: string;
  /** Method D v1.5: password / keyboard-interactive, asked each time, never stored. */
  password?: boolean;
}

export interface Hop extends HopAddress {
  user: string;
  /** Inventory name used in prompts ("jump-01"); defaults to the host. */
  name?: string;
  auth?: HopAuth;
  /** ssh_config HostKeyAlias: the name the host key is looked up and recorded under (without a port). */
  hostKeyAlias?: string;
  /** ssh_config KexAlgorithms / HostKeyAlgorithms for this hop, assembled (ssh-algorithms.ts). */
  algorithms?: { kex?: string[]; serverHostKey?: string[] };
}

export interface NetAddress {
  host: string;
  port: number;
}

export interface Target extends Hop {
  /** In-band path (Loopback6) tried when the primary (MA1) address fails. */
  backup?: NetAddress;
}

export interface SessionOptions {
  /** Run this command instead of an interactive shell. */
  command?: string;
  /** Terminal for the shell (or for the command when set). Default xterm-256color 80x24 for shells. */
  pty?: { cols: number; rows: number; term?: string } | false;
  /** Forward the sk agent to the device (off by default); every forwarded signature is confirmed. */
  agentForward?: boolean;
  /** Record the output as asciicast v2. */
  record?: boolean;
  /** With `record`, the keystrokes too (off by default: they may include passwords). */
  recordInput?: boolean;
  /**
   * The PIN scope of a run of several sessions (a fleet run: one PIN for all). Its owner disposes
   * it; without one, each connect has its own scope.
   */
  scope?: ConnectScope;
  /** This connect's host-key store or policy instead of the manager's (ssh_config UserKnownHostsFile, StrictHostKeyChecking). */
  hostKeys?: { store?: KnownHostsStore; policy?: HostKeyPolicy };
  /** This connect's limit per network phase instead of the manager's (ssh_config ConnectTimeout). */
  phaseMs?: number;
}

/** What one more command on an open session's device login returned. */
export interface ExecResult {
  /** Absent when the device closed the channel without an exit status. */
  exitCode?: number;
  stdout: Buffer;
  stderr: Buffer;
  /** Output beyond the limit was dropped. */
  truncated: boolean;
}

/**
 * What the signer is told about each signature a session asks for. The PIN cache is the
 * connect's scope (ConnectScope), so one PIN serves every hop of that connect.
 */
export interface SessionSignContext extends SignRequestContext {
  pinCache: PinCache;
}

export type AccessRoute = 'primary' | 'backup';

export type SessionState =
  | { kind: 'idle' }
  | { kind: 'connecting'; hop: string; index: number; total: number; reused: boolean; route?: AccessRoute }
  | { kind: 'authenticating'; hop: string; index: number; total: number }
  | { kind: 'open'; route: AccessRoute }
  | { kind: 'closed'; reason: CloseReason; message?: string; exitCode?: number };

export type CloseReason = 'user' | 'remote-exit' | 'connection-lost' | 'connect-failed';

/** What a Session emits: its on/once/off/emit take only these names, with these payloads. */
export interface SessionEvents {
  /** Device output (a PTY's merged stream, or a command's stdout). */
  data: [data: Buffer];
  /** A command's stderr (exec without a PTY). */
  stderr: [data: Buffer];
  state: [state: SessionState];
  /** A path failed (its phase named in the error) and the next one is tried. */
  'route-failed': [route: AccessRoute, error: unknown];
  /** The recording or the audit `session-end` could not be written; the session closes anyway. */
  warning: [error: unknown];
}

export interface SessionInfo {
  id: string;
  /** `user@host:port` of each jump, in order, then the target. */
  chain: string[];
  target: string;
  route?: AccessRoute;
  /** How the device login was made. */
  method?: 'security-key' | 'system-agent' | 'password';
  keyFingerprint?: string;
  skFlags?: number;
  lastSkCounter?: number;
  hostKeyFingerprint?: string;
  /** The device hop's negotiated key exchange and host key algorithm. */
  kex?: string;
  hostKeyAlgorithm?: string;
  /** Signatures this session asked for (jump hops it opened + the device). */
  signatures: number;
  bytesIn: number;
  bytesOut: number;
  recording?: { file: string; sha256: string; bytes: number };
}
