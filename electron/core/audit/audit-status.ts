// The status an auditor reads first: is the chain intact (and keyed), and has each forwarding
// sink received what it should; when not, what to do about it.
import type { AuditChainStatus, AuditSinkStatus } from '../../shared/audit';
import { inertText } from '../../shared/inert-text';
import type { AuditForwardSettings } from '../../shared/settings';
import type { AuditEntry } from './events';
import { sinkStatus, type ForwardState } from './forward/forwarder';
import type { AuditVerification } from './verify';

const BROKEN_ADVICE = 'Leave the log file as it is (do not repair or delete it), export it as JSONL for your security team, '
  + 'and compare it with the copy they received: nbg audit verify --remote.';
const UNKEYED_ADVICE = 'Entries are only hash-chained: someone who can write this folder could rewrite them unnoticed. '
  + 'The log is keyed once the operating system\'s key store can be used (on Linux: a running keyring).';

export function chainStatus(v: AuditVerification): AuditChainStatus {
  const first = v.problems[0];
  // Where it breaks is in brokenAt; the problem is what is wrong there.
  const problem = first ? `${first.detail.charAt(0).toUpperCase()}${first.detail.slice(1)}.` : undefined;
  const state = !v.ok ? 'broken' : v.entries.length === 0 ? 'empty' : 'intact';
  const advice = state === 'broken' ? BROKEN_ADVICE : state === 'intact' && !v.keyed ? UNKEYED_ADVICE : undefined;
  return {
    state, entries: v.entries.length, problems: v.problems.length, unkeyed: v.unkeyed,
    ...(first ? { brokenAt: { ...(first.seq !== undefined ? { seq: first.seq } : {}), ...(first.line !== undefined ? { line: first.line } : {}) } } : {}),
    ...(problem ? { problem: inertText(problem).slice(0, 1024) } : {}),
    ...(v.keyed ? { keyStore: v.keyed.store.slice(0, 256) } : {}),
    ...(advice ? { advice } : {}),
  };
}

type SinkName = AuditSinkStatus['sink'];
const SINKS: SinkName[] = ['syslog', 'azure-monitor', 'webhook'];

/** Where a sink sends, without anything secret: a webhook URL's path may hold a token, so only its origin. */
function destinationOf(config: AuditForwardSettings, sink: SinkName): string | undefined {
  if (sink === 'syslog') return config.syslog ? `${config.syslog.host}:${config.syslog.port}` : undefined;
  if (sink === 'azure-monitor') return config.azureMonitor ? `${new URL(config.azureMonitor.endpoint).host}, stream ${config.azureMonitor.stream}` : undefined;
  return config.webhook ? new URL(config.webhook.url).origin : undefined;
}

export function forwardingStatus(config: AuditForwardSettings | undefined, state: ForwardState, entries: readonly AuditEntry[]): AuditSinkStatus[] {
  return SINKS.map((sink) => {
    const destination = config ? destinationOf(config, sink) : undefined;
    if (!destination) return { sink, configured: false, state: 'not-configured', deliveredSeq: 0, pending: 0 };
    const s = sinkStatus(sink, state, entries);
    const status = s.diverged ? 'diverged' : s.lastError ? 'failing' : s.pending > 0 ? 'waiting' : 'current';
    const advice = inertText(status === 'diverged'
      ? `The log changed after it was sent (${s.diverged}): the receiver's copy is the evidence. Run nbg audit verify --remote and tell your security team.`
      : status === 'failing'
        ? `Nothing is lost: ${s.pending} entries wait on this machine and go out once ${destination} answers. Fix the cause, then run nbg audit forward to send them now.`
        : status === 'waiting'
          ? `${s.pending} entries go out with the next delivery (every ${Math.round((config?.intervalSeconds ?? 0) / 60) || 1} min while the app runs); nbg audit forward sends them now.`
          : '');
    return {
      sink, configured: true, destination: destination.slice(0, 512), state: status, deliveredSeq: s.deliveredSeq, pending: s.pending,
      ...(s.deliveredAt ? { deliveredAt: s.deliveredAt } : {}), ...(s.lastTriedAt ? { lastTriedAt: s.lastTriedAt } : {}),
      ...(s.lastError ? { lastError: inertText(s.lastError).slice(0, 1024) } : {}), ...(advice ? { advice: advice.slice(0, 1024) } : {}),
    };
  });
}
