// Security keys and the operator's SSH key, as the UI sees them (no key handles, no PINs).
import { z } from 'zod';

export const KeyDevice = z.object({
  id: z.string().max(512),
  label: z.string().max(256),
  /** "hid" for USB/CTAPHID, "webauthn" for the Windows platform API, "simulator" in drills/tests. */
  transport: z.enum(['hid', 'webauthn', 'simulator']),
  aaguid: z.string().max(64).optional(),
  firmware: z.string().max(32).optional(),
  pinSet: z.boolean().optional(),
  pinRetries: z.number().int().min(0).max(255).optional(),
  /** The key blocks PIN use (0 retries, or 3 wrong in a row until replugged). */
  pinBlocked: z.boolean().optional(),
});
export type KeyDevice = z.infer<typeof KeyDevice>;

export const SshKeyInfo = z.object({
  /** ~/.ssh/id_ed25519_sk (the handle file path). */
  path: z.string().max(4096),
  type: z.string().max(64),
  /** The .pub line as written, comment included. */
  publicKey: z.string().max(2048),
  fingerprint: z.string().max(128),
  resident: z.boolean(),
  verifyRequired: z.boolean(),
});
export type SshKeyInfo = z.infer<typeof SshKeyInfo>;

export const CheckStatus = z.enum(['ok', 'warn', 'fail', 'unknown']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const ReadinessCheck = z.object({
  id: z.string().max(64),
  label: z.string().max(256),
  status: CheckStatus,
  detail: z.string().max(1024),
});
export type ReadinessCheck = z.infer<typeof ReadinessCheck>;

export const Readiness = z.object({
  checks: z.array(ReadinessCheck).max(32),
  checkedAt: z.number().int(),
  /** When this machine uploaded the key and when the fabric's 4-hour sync has it (key-sync.ts). */
  sync: z.object({ uploadedAt: z.number().int().nonnegative(), expectBy: z.number().int().nonnegative() }).optional(),
});
export type Readiness = z.infer<typeof Readiness>;

/** A file in the key folder that is an SSH security-key file but cannot be used (damaged, unreadable). */
export const KeyFileProblem = z.object({ file: z.string().max(4096), message: z.string().max(1024) });

export const KeyState = z.object({
  devices: z.array(KeyDevice).max(32),
  key: SshKeyInfo.nullable(),
  /** Said, not read as "no key": a damaged key file must not send the operator into enrolling again. */
  fileProblems: z.array(KeyFileProblem).max(32).optional(),
});
export type KeyState = z.infer<typeof KeyState>;

/**
 * The raw-HID key actions that can run in an elevated copy of the app: on Windows without admin
 * rights only those need direct access to the key (webauthn.dll cannot list keys or manage PINs).
 */
export const ElevatedAction = z.enum(['import-resident', 'pin-management']);
export type ElevatedAction = z.infer<typeof ElevatedAction>;

/** What the elevated copy shows in its banner: the one step it runs. */
export const ElevatedStep = z.object({ action: ElevatedAction, text: z.string().max(256) });
export type ElevatedStep = z.infer<typeof ElevatedStep>;

/** How that step ended, for the elevated window (failures come back as reply errors). */
export const StepOutcome = z.object({
  message: z.string().max(1024),
  /** One line per key file (import); security keys hold at most ~100 resident keys. */
  details: z.array(z.string().max(1024)).max(256),
});
export type StepOutcome = z.infer<typeof StepOutcome>;
