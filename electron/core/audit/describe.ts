// One operator-readable line per entry, for `nbg audit list` and plain-text views.
import type { AuditEntry } from './events';

const hopChain = (hops: { name?: string; user: string; host: string; port: number }[]) =>
  hops.map((h) => `${h.user}@${h.name ?? h.host}${h.port === 22 ? '' : `:${h.port}`}`).join(' -> ');

export function describeAuditEntry(e: AuditEntry): string {
  switch (e.type) {
    case 'enroll': return `enrolled ${e.keyType} ${e.keyFingerprint} via ${e.transport}: ${e.outcome}`;
    case 'upload': return `uploaded ${e.keyFingerprint} to ${e.destination}: ${e.outcome}`;
    case 'sign-in': return `signed in as ${e.account}: ${e.outcome}`;
    case 'connect-attempt': return `connecting to ${e.target} (${e.path}) ${hopChain(e.hops)}`;
    case 'connect-outcome': {
      const sk = e.skFlags === undefined ? '' : ` flags=0x${e.skFlags.toString(16).padStart(2, '0')} counter=${e.skCounter ?? '?'}`;
      return `${e.target} (${e.path}): ${e.outcome}${e.keyFingerprint ? ` key ${e.keyFingerprint}` : ''}${sk}${e.error ? ` — ${e.error.message}` : ''}`;
    }
    case 'sign': return `signed for ${e.purpose}${e.hop ? ` on ${e.hop}` : ''} with ${e.keyFingerprint} flags=0x${e.flags.toString(16).padStart(2, '0')} counter=${e.counter}${e.counterRegression ? ' COUNTER WENT BACKWARDS' : ''}`;
    case 'host-key': return `host key ${e.keyType} ${e.fingerprint} for ${e.host}:${e.port}: ${e.decision}${e.ca ? ` (CA ${e.ca})` : ''}${e.reason ? ` — ${e.reason}` : ''}`;
    case 'session-end': return `session with ${e.target} ended after ${(e.durationMs / 1000).toFixed(1)} s, ${e.bytesIn} B in, ${e.bytesOut} B out${e.recording ? `, recording ${e.recording.file}` : ''}`;
    case 'log-integrity': return `log integrity finding on open: ${e.finding}`;
    case 'fleet-run': return e.phase === 'start'
      ? `fleet run ${e.runId} started: ${e.commands.join(', ')} on ${e.devices} devices`
      : `fleet run ${e.runId} ended: ${e.ok ?? 0} answered, ${e.failed ?? 0} failed, ${e.skipped ?? 0} skipped or stopped`;
    case 'fleet-output': return `fleet run ${e.runId}: ${e.target} "${e.command}" exit ${e.exitCode ?? '?'}, ${e.bytes} B in ${(e.durationMs / 1000).toFixed(1)} s${e.truncated ? ' (output cut)' : ''}`;
  }
}
