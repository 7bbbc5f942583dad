// The audit event vocabulary. Every object is strict: a field that is not listed here (a PIN, a
// token, a key handle, a password) makes the event invalid instead of reaching the disk.
import { z } from 'zod';

const MAX_TEXT = 512;
const text = z.string().min(1).max(MAX_TEXT);
export const uint32 = z.number().int().min(0).max(0xffffffff);
const port = z.number().int().min(1).max(65535);
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');
/** "SHA256:" + unpadded base64, as `ssh-keygen -l` prints it. */
export const keyFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'expected an OpenSSH SHA256 fingerprint');
const outcome = z.enum(['ok', 'failed', 'cancelled']);
/** Operator-readable reason for a failure; error codes and messages must already be secret-free. */
const failure = z.strictObject({ code: text, message: text });

export const auditHop = z.strictObject({
  /** Inventory name ("jump-01", "leaf-02"), when known. */
  name: text.optional(),
  user: text,
  host: text,
  port,
});
export type AuditHop = z.infer<typeof auditHop>;

/** Which route to the device was used: MA1 management address, in-band Loopback6, or Method D v1.5. */
export const accessPath = z.enum(['primary', 'backup', 'v1.5']);
export type AccessPath = z.infer<typeof accessPath>;

export const enrollEvent = z.strictObject({
  type: z.literal('enroll'),
  keyFingerprint,
  keyType: text,
  resident: z.boolean(),
  verifyRequired: z.boolean(),
  transport: z.enum(['hid', 'webauthn-win', 'simulator', 'import']),
  outcome,
  error: failure.optional(),
});

export const uploadEvent = z.strictObject({
  type: z.literal('upload'),
  keyFingerprint,
  destination: z.literal('graph'),
  outcome,
  error: failure.optional(),
});

export const signInEvent = z.strictObject({
  type: z.literal('sign-in'),
  /** The account's UPN; identifies the operator, not a credential. */
  account: text,
  tenantId: text.optional(),
  outcome,
  error: failure.optional(),
});

/** What a connect attempt and its outcome both name. */
const connectFields = {
  connectionId: text,
  target: text,
  hops: z.array(auditHop).min(1).max(16),
  path: accessPath,
};

export const connectAttemptEvent = z.strictObject({
  type: z.literal('connect-attempt'),
  ...connectFields,
});

export const connectOutcomeEvent = z.strictObject({
  type: z.literal('connect-outcome'),
  ...connectFields,
  outcome,
  /** Absent for v1.5 password logins. */
  keyFingerprint: keyFingerprint.optional(),
  skFlags: z.number().int().min(0).max(0xff).optional(),
  skCounter: uint32.optional(),
  /** The device hop's negotiated key exchange (e.g. mlkem768x25519-sha256); absent before this was recorded. */
  kex: z.string().max(128).optional(),
  error: failure.optional(),
});

export const signEvent = z.strictObject({
  type: z.literal('sign'),
  keyFingerprint,
  purpose: text,
  hop: text.optional(),
  /** Who asked for the signature: "connect", "local ssh client", "forwarded from leaf-02". */
  origin: text.optional(),
  flags: z.number().int().min(0).max(0xff),
  counter: uint32,
  /** Set by the log itself (never trusted from the caller): the counter went backwards for this key. */
  counterRegression: z.literal(true).optional(),
});

export const hostKeyEvent = z.strictObject({
  type: z.literal('host-key'),
  host: text,
  port,
  hop: text.optional(),
  keyType: text,
  fingerprint: keyFingerprint,
  /** certificate: a @cert-authority CA vouched; certificate-rejected: it did not, the plain key was checked next. */
  decision: z.enum(['trust-once', 'trust-always', 'refuse', 'mismatch', 'certificate', 'certificate-rejected']),
  /** Host certificates: the CA key that signed it. */
  ca: keyFingerprint.optional(),
  /** Why a host certificate was not accepted. */
  reason: text.optional(),
});

export const sessionEndEvent = z.strictObject({
  type: z.literal('session-end'),
  connectionId: text,
  target: text,
  bytesIn: z.number().int().min(0),
  bytesOut: z.number().int().min(0),
  durationMs: z.number().int().min(0),
  recording: z.strictObject({ file: text, sha256: sha256Hex, bytes: z.number().int().min(0) }).optional(),
});

/** `nbg agent` (or the app's agent) said no to a client, and why. */
export const agentRefusalEvent = z.strictObject({
  type: z.literal('agent-refusal'),
  /** Which client: "ssh-agent socket client #3". */
  origin: text,
  reason: z.enum(['too-many-clients', 'client-gone', 'unknown-key', 'not-confirmed', 'sign-failed', 'malformed-request', 'request-flood']),
  keyFingerprint: keyFingerprint.optional(),
  /** What the signer said (already secret-free), for sign-failed. */
  detail: text.optional(),
});

/** A fleet run: read-only commands over several devices, one PIN for all (started, then finished). */
export const fleetRunEvent = z.strictObject({
  type: z.literal('fleet-run'),
  runId: text,
  phase: z.enum(['start', 'end']),
  commands: z.array(text).min(1).max(32),
  devices: z.number().int().min(0),
  /** end: how many devices answered every command, failed, or were skipped or stopped. */
  ok: z.number().int().min(0).optional(),
  failed: z.number().int().min(0).optional(),
  skipped: z.number().int().min(0).optional(),
});

/** What one device said to one command of a fleet run (output kept up to FLEET_OUTPUT_CHARS). */
export const FLEET_OUTPUT_CHARS = 16384;
export const fleetOutputEvent = z.strictObject({
  type: z.literal('fleet-output'),
  runId: text,
  target: text,
  command: text,
  exitCode: z.number().int().optional(),
  durationMs: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sha256: sha256Hex,
  output: z.string().max(FLEET_OUTPUT_CHARS),
  truncated: z.boolean(),
});

/**
 * Written by the log itself when it opens a file that is not in the state it left it in, so the
 * evidence survives the next append (which rewrites the head file).
 */
export const logIntegrityEvent = z.strictObject({
  type: z.literal('log-integrity'),
  /**
   * log-missing: the key store's anchor says entries were written but no log was there;
   * anchor-ahead / anchor-mismatch: the log ends before, or differs at, the anchor's entry;
   * key-missing: the log has keyed entries but the key store holds no key for it.
   */
  finding: z.enum(['torn-tail', 'head-ahead', 'head-mismatch', 'head-missing', 'log-missing', 'anchor-ahead', 'anchor-mismatch', 'key-missing']),
  /** torn-tail: the incomplete bytes left in place on the line before this entry. */
  tornBytes: z.number().int().min(1).optional(),
  tornSha256: sha256Hex.optional(),
  /** head-*: what the head file said versus what the log ended with. */
  headSeq: z.number().int().min(0).optional(),
  headHash: sha256Hex.optional(),
  logSeq: z.number().int().min(0).optional(),
  /** anchor-* and log-missing: the last seq the key store's anchor recorded. */
  anchorSeq: z.number().int().min(0).optional(),
});

/** Key management the operator did (or tried): PIN, import, deletion. */
export const keyManagementEvent = z.strictObject({
  type: z.literal('key-management'),
  action: z.enum(['set-pin', 'change-pin', 'import', 'delete']),
  keyFingerprint: keyFingerprint.optional(),
  /** The security key's product name, when the action was on a plugged-in key. */
  device: text.optional(),
  outcome,
  error: failure.optional(),
});

export const signOutEvent = z.strictObject({
  type: z.literal('sign-out'),
  /** The account signed out, when one was signed in. */
  account: text.optional(),
  outcome,
  error: failure.optional(),
});

/** A signature that was asked for and not made: declined by the operator, or refused by policy. */
export const signRefusedEvent = z.strictObject({
  type: z.literal('sign-refused'),
  purpose: text,
  hop: text.optional(),
  keyFingerprint: keyFingerprint.optional(),
  reason: text,
});

/** A fabric-wide Method D v1.5 password rotation an operator started, with what each device reported. */
export const passwordRotationEvent = z.strictObject({
  type: z.literal('password-rotation'),
  /** The fabric's ARM id. */
  fabric: text,
  outcome,
  devicesRotated: z.array(text).max(1024),
  devicesFailed: z.array(text).max(1024),
  error: failure.optional(),
});

/** An administrator set up (or checked) the break-glass alarm in Azure Monitor: `nbg admin alerts`. */
export const adminAlertsEvent = z.strictObject({
  type: z.literal('admin-alerts'),
  resourceGroup: text,
  actionGroup: text,
  rule: text,
  /** What the run did to Azure: nothing to do, created, updated, or the admin said no to a change. */
  change: z.enum(['unchanged', 'created', 'updated', 'declined']),
  outcome,
  error: failure.optional(),
});

/** What callers may append. `log-integrity` is reserved to the log. */
export const auditEventInput = z.discriminatedUnion('type', [
  enrollEvent, uploadEvent, signInEvent, connectAttemptEvent, connectOutcomeEvent, signEvent, hostKeyEvent, sessionEndEvent,
  agentRefusalEvent, keyManagementEvent, signRefusedEvent, signOutEvent,
  fleetRunEvent, fleetOutputEvent, passwordRotationEvent, adminAlertsEvent,
]);
export type AuditEventInput = z.input<typeof auditEventInput>;
export type AuditEventType = AuditEventInput['type'] | 'log-integrity';

const chainFields = {
  seq: z.number().int().min(1),
  ts: z.iso.datetime(),
  prev: sha256Hex,
  /** HMAC-SHA256 under the anchor's key (anchor.ts); absent in entries of an unkeyed log. */
  mac: sha256Hex.optional(),
  hash: sha256Hex,
};

/** One line of audit.jsonl as readers validate it. */
export const auditEntry = z.discriminatedUnion('type', [
  enrollEvent.extend(chainFields), uploadEvent.extend(chainFields), signInEvent.extend(chainFields),
  connectAttemptEvent.extend(chainFields), connectOutcomeEvent.extend(chainFields), signEvent.extend(chainFields),
  hostKeyEvent.extend(chainFields), sessionEndEvent.extend(chainFields), logIntegrityEvent.extend(chainFields),
  agentRefusalEvent.extend(chainFields), keyManagementEvent.extend(chainFields), signRefusedEvent.extend(chainFields), signOutEvent.extend(chainFields),
  fleetRunEvent.extend(chainFields), fleetOutputEvent.extend(chainFields), passwordRotationEvent.extend(chainFields), adminAlertsEvent.extend(chainFields),
]);
export type AuditEntry = z.infer<typeof auditEntry>;

/** `prev` of the first entry: no real SHA-256 output is expected to be all zeros. */
export const GENESIS_HASH = '0'.repeat(64);
