// The audit service over the audit log file: entries with a one-line summary, the chain check, and the
// recording of a session (found through its session-end entry).
import { NbgError } from '../../../native/errors';
import { replayAsciicast, verifyAuditLog, type AuditEntry } from './index';
import type { AuditEntry as UiEntry, AuditView, Recording } from '../../shared/audit';
import { ErrorCode } from '../../shared/error-codes';

export class RecordingNotFoundError extends NbgError {
  constructor() {
    super(ErrorCode.RECORDING_NOT_FOUND, 'No recording is on record for that session.');
  }
}

const MAX_ENTRIES = 2000;

function summary(e: AuditEntry): string {
  const fields = Object.entries(e)
    .filter(([k]) => !['seq', 'ts', 'prev', 'hash', 'type'].includes(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return fields.join(' ').slice(0, 1024);
}

function connectionOf(e: AuditEntry): string | undefined {
  return e.type === 'session-end' && e.recording ? e.connectionId : undefined;
}

export interface AuditService {
  view(): Promise<AuditView>;
  recording(sessionId: string): Promise<Recording>;
}

export function auditService(file: string): AuditService {
  return {
    async view() {
      const v = await verifyAuditLog(file);
      const entries: UiEntry[] = v.entries.slice(-MAX_ENTRIES).map((e) => {
        const sessionId = connectionOf(e);
        return { seq: e.seq, time: e.ts, event: e.type, summary: summary(e), ...(sessionId ? { sessionId: sessionId.slice(0, 64) } : {}) };
      });
      const problem = v.problems[0];
      return {
        entries,
        verify: { ok: v.ok, checked: v.entries.length, ...(problem ? { problem: JSON.stringify(problem).slice(0, 1024) } : {}) },
      };
    },
    async recording(sessionId) {
      const v = await verifyAuditLog(file);
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
