// The hash-chained audit log and session recordings, as the UI sees them.
import { z } from 'zod';

export const AuditEntry = z.object({
  seq: z.number().int().nonnegative(),
  time: z.string().max(64),
  event: z.string().max(64),
  summary: z.string().max(1024),
  sessionId: z.string().max(64).optional(),
  /** The device (or hop) the entry is about, when it names one: the replay's title. */
  device: z.string().max(512).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditView = z.object({
  entries: z.array(AuditEntry).max(10000),
  verify: z.object({
    ok: z.boolean(),
    checked: z.number().int().nonnegative(),
    /** Where the chain breaks, operator-readable. */
    problem: z.string().max(1024).optional(),
  }),
});
export type AuditView = z.infer<typeof AuditView>;

/** asciicast v2 parsed: header + [time, type, data] events. */
export const Recording = z.object({
  sessionId: z.string().max(64),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  events: z.array(z.tuple([z.number().nonnegative(), z.enum(['o', 'i', 'r', 'm']), z.string()])).max(1_000_000),
});
export type Recording = z.infer<typeof Recording>;
