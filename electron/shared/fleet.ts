// Fleet runs as the UI sees them: which devices, which read-only commands, and what came back.
import { z } from 'zod';
import { DeviceRef } from './workspace';

const Command = z.string().min(1).max(256);

export const FleetRequest = z.object({
  devices: z.array(DeviceRef).min(1).max(500),
  commands: z.array(Command).min(1).max(32),
  /** Devices running commands at once behind one jump host. */
  perJump: z.number().int().min(1).max(16).optional(),
});
export type FleetRequest = z.infer<typeof FleetRequest>;

export const CommandCheck = z.object({
  refusals: z.array(z.object({ command: z.string().max(256), reason: z.string().max(256) })).max(32),
});
export type CommandCheck = z.infer<typeof CommandCheck>;

export const FleetCommandResult = z.object({
  command: Command,
  exitCode: z.number().int().optional(),
  output: z.string().max(1 << 20),
  stderr: z.string().max(1 << 20),
  durationMs: z.number().int().nonnegative(),
  truncated: z.boolean(),
});

export const FleetDeviceStatus = z.enum(['ok', 'failed', 'skipped', 'stopped']);
export type FleetDeviceStatus = z.infer<typeof FleetDeviceStatus>;

export const FleetDeviceResult = z.object({
  name: z.string().max(256),
  fabric: z.string().max(256),
  via: z.string().max(512),
  status: FleetDeviceStatus,
  path: z.enum(['primary', 'backup']).optional(),
  error: z.object({ code: z.string().max(64), message: z.string().max(1024) }).optional(),
  durationMs: z.number().int().nonnegative(),
  commands: z.array(FleetCommandResult).max(32),
});
export type FleetDeviceResult = z.infer<typeof FleetDeviceResult>;

export const FleetRunResult = z.object({
  runId: z.string().max(64),
  startedAt: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative(),
  commands: z.array(Command).max(32),
  devices: z.array(FleetDeviceResult).max(500),
  signatures: z.number().int().nonnegative(),
});
export type FleetRunResult = z.infer<typeof FleetRunResult>;

/** Progress of a run: the touch queue ("touch 3 of 12 — ToR2 via jump-1") and each device as it ends. */
export const FleetEvent = z.discriminatedUnion('kind', [
  z.object({ runId: z.string().max(64), kind: z.literal('started'), devices: z.array(z.string().max(256)).max(500) }),
  z.object({ runId: z.string().max(64), kind: z.literal('login'), index: z.number().int(), total: z.number().int(), device: z.string().max(256), via: z.string().max(512) }),
  z.object({ runId: z.string().max(64), kind: z.literal('device-done'), result: FleetDeviceResult }),
]);
export type FleetEvent = z.infer<typeof FleetEvent>;

export const FleetReport = z.object({ fileName: z.string().max(256), mimeType: z.string().max(64), text: z.string().max(64 << 20) });
export type FleetReport = z.infer<typeof FleetReport>;
