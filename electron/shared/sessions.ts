// Terminal sessions: how to open one, what the UI is told about it.
import { z } from 'zod';

export const PathChoice = z.enum(['primary', 'backup']);
export type PathChoice = z.infer<typeof PathChoice>;

/** Method D v2.0 signs with the security key; v1.5 falls back to a shared password account. */
export const AccessMethod = z.enum(['v2.0', 'v1.5']);
export type AccessMethod = z.infer<typeof AccessMethod>;

/** What is dialled: a fabric device (default), or a bare metal machine of a Nexus cluster. */
export const ConnectTarget = z.enum(['device', 'bmm']);
export type ConnectTarget = z.infer<typeof ConnectTarget>;

export const ConnectRequest = z.object({
  /** The fabric's ARM id; for a bare metal machine, its cluster's. */
  fabricId: z.string().max(1024),
  /** The device's ARM id (or name); for a bare metal machine, the machine's. */
  deviceId: z.string().max(1024),
  user: z.string().min(1).max(256),
  path: PathChoice,
  method: AccessMethod,
  cols: z.number().int().min(10).max(1000),
  rows: z.number().int().min(2).max(500),
  target: ConnectTarget.optional(),
});
export type ConnectRequest = z.infer<typeof ConnectRequest>;

export const Hop = z.object({
  user: z.string().max(256),
  host: z.string().max(256),
  port: z.number().int().min(1).max(65535),
  label: z.string().max(256),
});
export type Hop = z.infer<typeof Hop>;

/** Which route to a device would be dialled, without dialling it (the user name defaults from the identity). */
export const PlanRequest = ConnectRequest.pick({ fabricId: true, deviceId: true, path: true, method: true, target: true })
  .extend({ user: z.string().min(1).max(256).optional() });
export type PlanRequest = z.infer<typeof PlanRequest>;

export const ConnectPlanView = z.object({
  title: z.string().max(256),
  /** Jump hops then the target, in dialing order. */
  chain: z.array(Hop).min(2).max(8),
  path: PathChoice,
  method: AccessMethod,
  /** The backup (in-band) address tried when the primary fails. */
  backup: z.object({ host: z.string().max(256), port: z.number().int().min(1).max(65535) }).optional(),
  drill: z.boolean(),
});
export type ConnectPlanView = z.infer<typeof ConnectPlanView>;

export const SessionState = z.enum(['connecting', 'open', 'closed', 'failed']);
export type SessionState = z.infer<typeof SessionState>;

export const SessionInfo = z.object({
  id: z.string().max(64),
  title: z.string().max(256),
  /** Jump hops then the target, in dialing order. */
  chain: z.array(Hop).min(1).max(8),
  path: PathChoice,
  method: AccessMethod,
  keyFingerprint: z.string().max(128).optional(),
  /** Signature counter reported by the key on the last signature. */
  counter: z.number().int().nonnegative().optional(),
  /** The negotiated key exchange with the device, e.g. mlkem768x25519-sha256 (post-quantum hybrid). */
  kex: z.string().max(128).optional(),
  recording: z.boolean(),
  state: SessionState,
  drill: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SessionOutput = z.object({ id: z.string().max(64), data: z.string().max(1 << 20) });
export const SessionStateEvent = z.object({
  id: z.string().max(64),
  state: SessionState,
  /** Operator-readable reason for failed/closed. */
  detail: z.string().max(1024).optional(),
  info: SessionInfo.optional(),
});
export type SessionStateEvent = z.infer<typeof SessionStateEvent>;
