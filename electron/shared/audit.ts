// The hash-chained audit log and session recordings, as the UI sees them.
import { z } from 'zod';

/** success: it was done; refused: the operator, the key, the agent or a host-key check said no; failed: it went wrong. */
export const AuditOutcome = z.enum(['success', 'refused', 'failed']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditEntry = z.object({
  seq: z.number().int().nonnegative(),
  time: z.string().max(64),
  event: z.string().max(64),
  summary: z.string().max(1024),
  sessionId: z.string().max(64).optional(),
  /** The device (or hop) the entry is about, when it names one: the replay's title. */
  device: z.string().max(512).optional(),
  /** The Entra account signed in when it happened. */
  operator: z.string().max(512).optional(),
  outcome: AuditOutcome.optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Which entries an auditor looks at; every field narrows, none set means all. Times are UTC instants. */
export const AuditFilter = z.object({
  device: z.string().min(1).max(512).optional(),
  operator: z.string().min(1).max(512).optional(),
  outcome: AuditOutcome.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AUDIT_PAGE_MAX = 500;

export const AuditQuery = z.object({
  filter: AuditFilter.default({}),
  /** Entries to skip, newest first. */
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(100),
});
export type AuditQuery = z.input<typeof AuditQuery>;

/** One page of the filtered log, newest first, and what the filters can choose from. */
export const AuditView = z.object({
  entries: z.array(AuditEntry).max(AUDIT_PAGE_MAX),
  /** Entries the filter matches, and entries in the log. */
  matched: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  devices: z.array(z.string().max(512)).max(5000),
  operators: z.array(z.string().max(512)).max(5000),
});
export type AuditView = z.infer<typeof AuditView>;

export const AuditChainStatus = z.object({
  /** empty: no entry written yet on this machine. */
  state: z.enum(['intact', 'broken', 'empty']),
  entries: z.number().int().nonnegative(),
  /** The first entry (or line) where the chain breaks. */
  brokenAt: z.object({ seq: z.number().int().optional(), line: z.number().int().optional() }).optional(),
  /** The first problem in words, and how many there are. */
  problem: z.string().max(1024).optional(),
  problems: z.number().int().nonnegative(),
  /** Keyed: MACs checked with the key in the OS key store (named); otherwise only hash-chained. */
  keyStore: z.string().max(256).optional(),
  unkeyed: z.number().int().nonnegative(),
  /** What to do now, when something is wrong. */
  advice: z.string().max(1024).optional(),
});
export type AuditChainStatus = z.infer<typeof AuditChainStatus>;

export const AuditSinkStatus = z.object({
  sink: z.enum(['syslog', 'azure-monitor', 'webhook']),
  configured: z.boolean(),
  /** Where it goes (host:port, endpoint, URL origin). */
  destination: z.string().max(512).optional(),
  /** current: has everything; waiting: entries wait for the next delivery; failing: the last delivery failed;
   *  diverged: the log changed after it was sent. */
  state: z.enum(['not-configured', 'current', 'waiting', 'failing', 'diverged']),
  deliveredSeq: z.number().int().nonnegative(),
  deliveredAt: z.string().max(64).optional(),
  lastTriedAt: z.string().max(64).optional(),
  pending: z.number().int().nonnegative(),
  lastError: z.string().max(1024).optional(),
  advice: z.string().max(1024).optional(),
});
export type AuditSinkStatus = z.infer<typeof AuditSinkStatus>;

export const AuditStatus = z.object({
  chain: AuditChainStatus,
  forwarding: z.array(AuditSinkStatus).max(3),
  /** Why this app sends nothing itself (drill mode), when it does not. */
  forwardingNote: z.string().max(512).optional(),
});
export type AuditStatus = z.infer<typeof AuditStatus>;

/** The local log compared with the last checkpoint Azure Monitor received (as `nbg audit verify --remote`). */
export const AuditRemoteCheck = z.object({
  state: z.enum(['not-configured', 'no-checkpoint', 'unreachable', 'matches', 'differs']),
  message: z.string().max(2048),
});
export type AuditRemoteCheck = z.infer<typeof AuditRemoteCheck>;

export const AuditExportRequest = z.object({
  format: z.enum(['jsonl', 'csv']),
  /** The entries the filter matches; absent: the whole log. */
  filter: AuditFilter.optional(),
});
export type AuditExportRequest = z.infer<typeof AuditExportRequest>;

/** saved: false when the operator closed the save dialog. */
export const AuditExportResult = z.object({
  saved: z.boolean(),
  file: z.string().max(4096).optional(),
  entries: z.number().int().nonnegative(),
});
export type AuditExportResult = z.infer<typeof AuditExportResult>;

/** asciicast v2 parsed: header + [time, type, data] events. */
export const Recording = z.object({
  sessionId: z.string().max(64),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  events: z.array(z.tuple([z.number().nonnegative(), z.enum(['o', 'i', 'r', 'm']), z.string()])).max(1_000_000),
});
export type Recording = z.infer<typeof Recording>;
