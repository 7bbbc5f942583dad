// One sentence per entry in the operator's words, for `nbg audit list`, the app's audit view and
// the forwarded events. No key=value, no JSON: what happened, to what, and how it ended.
import type { AuditEntry } from './events';

const hopChain = (hops: { name?: string; user: string; host: string; port: number }[]) =>
  hops.map((h) => `${h.user}@${h.name ?? h.host}${h.port === 22 ? '' : `:${h.port}`}`).join(' → ');

const OUTCOME: Record<'ok' | 'failed' | 'cancelled', string> = { ok: 'succeeded', failed: 'failed', cancelled: 'was cancelled' };
const PATH: Record<'primary' | 'backup' | 'v1.5', string> = { primary: 'the management network', backup: 'the in-band backup path', 'v1.5': 'a Method D v1.5 password' };
const HOST_KEY: Record<string, string> = {
  'trust-once': 'trusted once', 'trust-always': 'trusted and remembered', refuse: 'refused', mismatch: 'DID NOT MATCH the known key',
  certificate: 'accepted through its certificate authority', 'certificate-rejected': 'had a certificate that was not accepted',
};
const KEY_ACTION: Record<string, string> = {
  'set-pin': 'Setting the PIN', 'change-pin': 'Changing the PIN', import: 'Importing keys from the security key',
  delete: 'Deleting the key',
};
const FINDING: Record<string, string> = {
  'torn-tail': 'the last entry had been cut short (a crash while writing)',
  'head-ahead': 'entries at the end of the log were missing',
  'head-mismatch': 'the last entry was not the one that had been written',
  'head-missing': 'the log\'s head file was missing',
  'log-missing': 'the log was gone although the key store recorded entries',
  'anchor-ahead': 'entries at the end of the log were missing (the key store recorded more)',
  'anchor-mismatch': 'an entry differed from the one the key store recorded',
  'key-missing': 'the key store no longer held the log\'s key',
};

const AGENT_REFUSAL: Record<string, string> = {
  'too-many-clients': 'a client over the limit of clients served at once', 'client-gone': 'a request whose client had already left',
  'unknown-key': 'a key it does not hold', 'not-confirmed': 'a signature the operator did not confirm', 'sign-failed': 'a signature the security key did not give',
  'malformed-request': 'a malformed request', 'request-flood': 'a flood of requests',
};

const because = (e: { error?: { message: string } }) => (e.error ? `: ${e.error.message}` : '');
const secs = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);
const size = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

const ALARM_CHANGE: Record<'unchanged' | 'created' | 'updated' | 'declined', string> = {
  unchanged: 'already as asked, nothing changed', created: 'created', updated: 'updated', declined: 'a change was shown and not made',
};

/** The kind of an entry as the audit view's column names it. */
const EVENT_LABEL: Record<AuditEntry['type'], string> = {
  enroll: 'Key created', upload: 'Key upload', 'sign-in': 'Sign-in', 'sign-out': 'Sign-out', 'connect-attempt': 'Connecting',
  'connect-outcome': 'Connection', sign: 'Signature', 'sign-refused': 'Signature refused', 'host-key': 'Host key',
  'session-end': 'Session end', 'key-management': 'Key management', 'log-integrity': 'Log check', 'agent-refusal': 'Agent refusal',
  'fleet-run': 'Fleet run', 'fleet-output': 'Fleet output', 'password-rotation': 'Password rotation', 'admin-alerts': 'Alarm set-up',
};

export function auditEventLabel(e: AuditEntry): string {
  return EVENT_LABEL[e.type];
}

export function describeAuditEntry(e: AuditEntry): string {
  switch (e.type) {
    case 'enroll': return e.transport === 'import'
      ? `Imported key ${e.keyFingerprint} from the security key${e.outcome === 'ok' ? '' : ` — ${OUTCOME[e.outcome]}${because(e)}`}.`
      : `Enrolling a ${e.keyType} key${e.resident ? ' stored on the security key' : ''} ${OUTCOME[e.outcome]} (${e.keyFingerprint})${because(e)}.`;
    case 'upload': return `Uploading key ${e.keyFingerprint} to Entra ${OUTCOME[e.outcome]}${because(e)}.`;
    case 'sign-in': return `Sign-in of ${e.account} ${OUTCOME[e.outcome]}${because(e)}.`;
    case 'sign-out': return `Signing out${e.account ? ` ${e.account}` : ''} ${OUTCOME[e.outcome]}${because(e)}.`;
    case 'connect-attempt': return `Connecting to ${e.target} over ${PATH[e.path]}, via ${hopChain(e.hops)}.`;
    case 'connect-outcome': return `Connection to ${e.target} over ${PATH[e.path]} ${OUTCOME[e.outcome]}${e.kex ? ` (key exchange ${e.kex})` : ''}${because(e)}.`;
    case 'sign': return `The security key signed for ${e.purpose}${e.hop ? ` on ${e.hop}` : ''}${e.origin ? ` (asked by ${e.origin})` : ''}` +
      `${e.flags & 0x04 ? '' : ', WITHOUT the PIN'}; signature counter ${e.counter}${e.counterRegression ? ', which WENT BACKWARDS' : ''}.`;
    case 'sign-refused': return `A signature for ${e.purpose}${e.hop ? ` on ${e.hop}` : ''} was refused: ${e.reason}.`;
    case 'host-key': return `The host key of ${e.host}${e.port === 22 ? '' : `:${e.port}`} (${e.keyType}) was ${HOST_KEY[e.decision]}${e.reason ? `: ${e.reason}` : ''}.`;
    case 'session-end': return `Session with ${e.target} ended after ${secs(e.durationMs)} (${size(e.bytesIn)} received, ${size(e.bytesOut)} sent)${e.recording ? ', recorded' : ''}.`;
    case 'key-management': return `${KEY_ACTION[e.action]}${e.device ? ` on ${e.device}` : ''}${e.keyFingerprint ? ` (${e.keyFingerprint})` : ''} ${OUTCOME[e.outcome]}${because(e)}.`;
    case 'log-integrity': return `When the log was opened, ${FINDING[e.finding]}.`;
    case 'agent-refusal': return `The agent refused ${e.origin}: ${AGENT_REFUSAL[e.reason]}${e.keyFingerprint ? ` (key ${e.keyFingerprint})` : ''}${e.detail ? `: ${e.detail}` : ''}.`;
    case 'fleet-run': return e.phase === 'start'
      ? `Fleet run ${e.runId} started: ${e.commands.join(', ')} on ${e.devices} device${e.devices === 1 ? '' : 's'}.`
      : `Fleet run ${e.runId} ended: ${e.ok ?? 0} answered, ${e.failed ?? 0} failed, ${e.skipped ?? 0} skipped or stopped.`;
    case 'password-rotation': return `Password rotation of fabric ${e.fabric} ${OUTCOME[e.outcome]}`
      + `${e.devicesRotated.length ? `; rotated on ${e.devicesRotated.join(', ')}` : ''}${e.devicesFailed.length ? `; NOT rotated on ${e.devicesFailed.join(', ')}` : ''}${because(e)}.`;
    case 'fleet-output': return `Fleet run ${e.runId}: ${e.target} answered "${e.command}"${e.exitCode === undefined ? '' : ` with exit status ${e.exitCode}`}, ${size(e.bytes)} in ${secs(e.durationMs)}${e.truncated ? ' (output cut short in the log)' : ''}.`;
    case 'admin-alerts': return `Break-glass alarm in resource group ${e.resourceGroup} (action group ${e.actionGroup}, rule ${e.rule}): ${ALARM_CHANGE[e.change]}${e.outcome === 'ok' ? '' : ` ${OUTCOME[e.outcome]}`}${because(e)}.`;
  }
}
