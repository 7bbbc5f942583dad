// The operator's workspace: favourite devices and how the last connects to each went.
import { z } from 'zod';

/** answered: the primary path; backup: only the in-band path answered; refused: a sign-in was refused. */
export const AttemptOutcome = z.enum(['answered', 'backup', 'refused', 'unreachable', 'failed']);
export type AttemptOutcome = z.infer<typeof AttemptOutcome>;

export const DeviceRef = z.object({ fabricId: z.string().max(1024), deviceId: z.string().max(1024) });
export type DeviceRef = z.infer<typeof DeviceRef>;

export const ConnectAttempt = DeviceRef.extend({
  /** Epoch ms the attempt ended. */
  at: z.number().int().nonnegative(),
  outcome: AttemptOutcome,
  /** The management (primary) address did not answer during this attempt (the backup was tried). */
  primaryFailed: z.boolean().optional(),
  /** The management address dialled (nbg ssh, which names addresses, finds a device's failure by it). */
  address: z.string().max(256).optional(),
});
export type ConnectAttempt = z.infer<typeof ConnectAttempt>;

export const MAX_FAVOURITES = 500;
export const MAX_ATTEMPTS = 200;

export const ConnectHistory = z.object({
  favourites: z.array(DeviceRef).max(MAX_FAVOURITES),
  /** The latest attempt per device, newest first (the recents). */
  attempts: z.array(ConnectAttempt).max(MAX_ATTEMPTS),
});
export type ConnectHistory = z.infer<typeof ConnectHistory>;

export const FavouriteChange = DeviceRef.extend({ favourite: z.boolean() });
export type FavouriteChange = z.infer<typeof FavouriteChange>;
