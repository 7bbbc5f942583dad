// The audit service over the audit log file: entries with a one-line summary, the chain check, and the
// recording of a session (found through its session-end entry).
import { NbgError } from '../../../native/errors';
import type { AuditAnchorStore } from './anchor';
import { auditEventLabel, describeAuditEntry, replayAsciicast, verifyAuditLog, type AuditEntry, type AuditVerification } from './index';
import type { AuditEntry as UiEntry, AuditView, Recording } from '../../shared/audit';
import { ErrorCode } from '../../shared/error-codes';

export class RecordingNotFoundError extends NbgError {
  constructor() {
    super(ErrorCode.RECORDING_NOT_FOUND, 'No recording is on record for that session.');
  }
}

const MAX_ENTRIES = 2000;

/** The first problem in words, and how far the check reaches (keyed, or only hash-chained). */
function problemText(v: AuditVerification): string | undefined {
  const p = v.problems[0];
  if (p) return `${p.seq !== undefined ? `Entry ${p.seq}: ` : ''}${p.detail}${v.problems.length > 1 ? ` (and ${v.problems.length - 1} more problems)` : ''}`.slice(0, 1024);
  if (!v.keyed) return 'Not keyed: no audit key in the key store, so the entries are only hash-chained.';
  return undefined;
}

function connectionOf(e: AuditEntry): string | undefined {
  return e.type === 'session-end' && e.recording ? e.connectionId : undefined;
}

export interface AuditService {
  view(): Promise<AuditView>;
  recording(sessionId: string): Promise<Recording>;
}

export function auditService(file: string, anchors?: AuditAnchorStore): AuditService {
  return {
    async view() {
      const v = await verifyAuditLog(file, anchors ? { anchors } : {});
      const entries: UiEntry[] = v.entries.slice(-MAX_ENTRIES).map((e) => {
        const sessionId = connectionOf(e);
        const device = 'target' in e ? e.target : undefined;
        return {
          seq: e.seq, time: e.ts, event: auditEventLabel(e), summary: describeAuditEntry(e).slice(0, 1024),
          ...(sessionId ? { sessionId: sessionId.slice(0, 64) } : {}), ...(device ? { device: device.slice(0, 512) } : {}),
        };
      });
      const problem = problemText(v);
      return {
        entries,
        verify: { ok: v.ok, checked: v.entries.length, ...(problem ? { problem } : {}) },
      };
    },
    async recording(sessionId) {
      const v = await verifyAuditLog(file, anchors ? { anchors } : {});
      const end = v.entries.find((e) => connectionOf(e) === sessionId);
      if (!end || end.type !== 'session-end' || !end.recording) throw new RecordingNotFoundError();
      const replay = await replayAsciicast(end.recording.file);
      return {
        sessionId,
        width: replay.header.width,
        height: replay.header.height,
        events: replay.events.map((ev) => [ev.t, ev.code, ev.data] as [number, 'o' | 'i' | 'r' | 'm', string]),
      };
    },
  };
}
