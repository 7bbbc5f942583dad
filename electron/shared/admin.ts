// The admin preflight for Method D v2.0 as the UI and `nbg admin preflight --json` see it: each
// check with its verdict, what was found, and the fix; and who holds a role on each fabric.
import { z } from 'zod';

const text = z.string().max(4096);

export const PreflightStatus = z.enum(['pass', 'warn', 'fail', 'unknown']);
export type PreflightStatus = z.infer<typeof PreflightStatus>;

export const PreflightCheckKind = z.enum(['access', 'provider', 'rp-reader', 'fabric-version', 'role-holders']);
export type PreflightCheckKind = z.infer<typeof PreflightCheckKind>;

export const PreflightCheck = z.object({
  kind: PreflightCheckKind,
  /** What was checked, in words: "subscription Nexus Fabric Prod", "fabric example-fabric". */
  subject: text,
  title: text,
  status: PreflightStatus,
  /** What was found. */
  detail: text,
  /** What to do about it; absent when nothing needs doing. */
  fix: text.optional(),
});
export type PreflightCheck = z.infer<typeof PreflightCheck>;

export const RoleHolderView = z.object({
  name: text,
  userPrincipalName: text.optional(),
  role: z.enum(['Reader', 'Writer']),
  /** "directly" or "through group <name>", one per route. */
  how: z.array(text).max(100),
});
export type RoleHolderView = z.infer<typeof RoleHolderView>;

export const FabricHoldersView = z.object({
  fabricId: text,
  fabricName: text,
  users: z.number().int().min(0),
  limit: z.number().int().min(1),
  holders: z.array(RoleHolderView).max(5000),
  nestedGroups: z.array(z.object({ name: text, parent: text })).max(1000),
  others: z.array(z.object({ name: text, kind: text })).max(1000),
});
export type FabricHoldersView = z.infer<typeof FabricHoldersView>;

export const PreflightReport = z.object({
  checkedAt: z.iso.datetime(),
  /** No check failed (warnings and unknowns aside). */
  ok: z.boolean(),
  checks: z.array(PreflightCheck).max(5000),
  fabrics: z.array(FabricHoldersView).max(1000),
});
export type PreflightReport = z.infer<typeof PreflightReport>;
