// Prompts core asks of a person, as the UI sees them. One is visible at a time (PromptBroker).
// Secrets travel only UI → core (answers); nothing secret is ever part of a prompt.
import { z } from 'zod';

export const PromptKind = z.enum([
  'select-key', 'pin', 'touch', 'host-key', 'confirm-sign', 'overwrite-key', 'confirm', 'password', 'new-pin',
]);
export type PromptKind = z.infer<typeof PromptKind>;

const promptBase = {
  id: z.string().min(1).max(64),
  /** The hop this is about ("leaf-02 via jump-01"); absent for key-only operations. */
  hop: z.string().max(256).optional(),
  /** Why it is asked ("sign in", "create your key"). */
  purpose: z.string().max(256),
  /** Epoch ms after which the prompt cancels itself. */
  deadline: z.number().int().nonnegative(),
  /** Prompts waiting behind this one (other tabs, other hops). */
  queued: z.number().int().nonnegative(),
};

export const Prompt = z.discriminatedUnion('kind', [
  z.object({ ...promptBase, kind: z.literal('select-key'),
    choices: z.array(z.object({ id: z.string().max(512), label: z.string().max(256) })).min(1).max(32) }),
  z.object({ ...promptBase, kind: z.literal('pin'),
    retriesLeft: z.number().int().min(0).max(255), previousWrong: z.boolean() }),
  z.object({ ...promptBase, kind: z.literal('touch') }),
  z.object({ ...promptBase, kind: z.literal('host-key'),
    host: z.string().max(256), port: z.number().int().min(1).max(65535),
    keyType: z.string().max(64), fingerprint: z.string().max(128),
    /** Set when the presented key differs from the one on record: a hard stop. */
    mismatch: z.object({ expected: z.array(z.string().max(128)).max(16), source: z.string().max(512) }).optional() }),
  z.object({ ...promptBase, kind: z.literal('confirm-sign'),
    keyFingerprint: z.string().max(128), origin: z.string().max(256) }),
  z.object({ ...promptBase, kind: z.literal('overwrite-key'), message: z.string().max(1024) }),
  z.object({ ...promptBase, kind: z.literal('confirm'), question: z.string().max(64), message: z.string().max(1024) }),
  z.object({ ...promptBase, kind: z.literal('password'),
    user: z.string().max(256), host: z.string().max(256), prompt: z.string().max(512) }),
  /** A new PIN for the key (set or change); the UI has it typed twice. */
  z.object({ ...promptBase, kind: z.literal('new-pin') }),
]);
export type Prompt = z.infer<typeof Prompt>;

/** Why a prompt closed: `operation-ended` = the login or signature it belonged to is over
 *  (timed out, server gone, tab closed), so the UI drops it; answering it would change nothing. */
export const PromptClosedReason = z.enum(['answered', 'cancelled', 'timed-out', 'operation-ended']);
export type PromptClosedReason = z.infer<typeof PromptClosedReason>;

/** PIN per CTAP2: 4..63 bytes UTF-8 (length in code points checked by the key as well). */
export const PinText = z.string().min(4).max(63).refine((s) => new TextEncoder().encode(s).length <= 63, 'PIN too long');

export const PromptAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('select-key'), keyId: z.string().max(512) }),
  z.object({ kind: z.literal('pin'), pin: PinText }),
  z.object({ kind: z.literal('host-key'), decision: z.enum(['trust-once', 'trust-always', 'refuse', 'acknowledge']) }),
  z.object({ kind: z.literal('confirm-sign'), approve: z.boolean() }),
  z.object({ kind: z.literal('overwrite-key'), approve: z.boolean() }),
  z.object({ kind: z.literal('confirm'), approve: z.boolean() }),
  z.object({ kind: z.literal('password'), password: z.string().min(1).max(1024) }),
  z.object({ kind: z.literal('new-pin'), pin: PinText }),
]);
export type PromptAnswer = z.infer<typeof PromptAnswer>;
