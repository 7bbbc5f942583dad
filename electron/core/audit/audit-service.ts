// The audit service the app's audit view talks to: pages of the filtered log (filtered here, so the
// renderer only receives what it shows), the status at the top (chain and forwarding), export
// through the operator's save dialog, and the recording of a session (found through its session-end entry).
import { NbgError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import type { AuditAnchorStore } from './anchor';
import { chainStatus, forwardingStatus } from './audit-status';
import { auditEventLabel, describeAuditEntry, replayAsciicast, verifyAuditLog, type AuditEntry } from './index';
import { renderAuditRows } from './export';
import { readForwardState } from './forward/forwarder';
import { AuditLogIndex, queryAuditRows, type AuditRow } from './query';
import {
  AuditQuery, type AuditEntry as UiEntry, type AuditExportRequest, type AuditRemoteCheck, type AuditExportResult, type AuditStatus, type AuditView, type Recording,
} from '../../shared/audit';
import { ErrorCode } from '../../shared/error-codes';
import { inertText } from '../../shared/inert-text';
import type { SaveFileRequest } from '../../shared/os';
import type { AuditForwardSettings } from '../../shared/settings';

export class RecordingNotFoundError extends NbgError {
  constructor() {
    super(ErrorCode.RECORDING_NOT_FOUND, 'No recording is on record for that session.');
  }
}

function connectionOf(e: AuditEntry): string | undefined {
  return e.type === 'session-end' && e.recording ? e.connectionId : undefined;
}

function uiEntry(r: AuditRow): UiEntry {
  const e = r.entry;
  const sessionId = connectionOf(e);
  return {
    seq: e.seq, time: e.ts, event: auditEventLabel(e), summary: inertText(describeAuditEntry(e)).slice(0, 1024),
    ...(sessionId ? { sessionId: sessionId.slice(0, 64) } : {}), ...(r.device ? { device: inertText(r.device).slice(0, 512) } : {}),
    ...(r.operator ? { operator: inertText(r.operator).slice(0, 512) } : {}), ...(r.outcome ? { outcome: r.outcome } : {}),
  };
}

export interface AuditServiceOptions {
  file: string;
  anchors?: AuditAnchorStore;
  forwarding?: {
    settings: () => Promise<AuditForwardSettings | undefined>;
    /** The sinks' cursors (forwarder.ts). */
    stateFile: string;
    /** Why this app sends nothing itself (drill mode), when it does not. */
    note?: string;
  };
  /** Asks the operator where to save (the OS save dialog); null when they cancel. Absent: no export from this app. */
  saveAs?: (request: SaveFileRequest) => Promise<string | null>;
  /**
   * The last checkpoint the security team's copy holds (Azure Monitor); undefined when it holds none.
   * Absent: this app has no remote copy to compare with (drill mode).
   */
  remote?: () => Promise<RemoteCheckpointRef | undefined>;
  clock?: () => Date;
}

/** A checkpoint as sent: the sequence number and chain hash of the head then, and where it is kept. */
export interface RemoteCheckpointRef { seq: number; hash: string; where: string }

export interface AuditService {
  view(query: AuditQuery): Promise<AuditView>;
  status(): Promise<AuditStatus>;
  export(request: AuditExportRequest): Promise<AuditExportResult>;
  recording(sessionId: string): Promise<Recording>;
  checkRemote(): Promise<AuditRemoteCheck>;
}

export class AuditExportUnavailableError extends NbgError {
  constructor() {
    super(ErrorCode.SERVICE_UNAVAILABLE, 'This copy of the app cannot show a save dialog; use nbg audit export instead.');
  }
}

const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

export function auditService(opts: AuditServiceOptions): AuditService {
  const index = new AuditLogIndex(opts.file);
  const verify = () => verifyAuditLog(opts.file, opts.anchors ? { anchors: opts.anchors } : {});
  return {
    async view(input) {
      const q = AuditQuery.parse(input);
      const page = queryAuditRows(await index.rows(), q.filter, q.offset, q.limit);
      return {
        entries: page.rows.map(uiEntry), matched: page.matched, total: page.total, offset: q.offset,
        devices: page.devices.map((d) => inertText(d).slice(0, 512)).slice(0, 5000),
        operators: page.operators.map((o) => inertText(o).slice(0, 512)).slice(0, 5000),
      };
    },
    async checkRemote() {
      if (!opts.remote) return { state: 'not-configured', message: 'This app has no copy of the log elsewhere to compare with (drill mode).' };
      let remote: RemoteCheckpointRef | undefined;
      try {
        remote = await opts.remote();
      } catch (err) {
        if (err instanceof NbgError && err.code === ErrorCode.USAGE) {
          return { state: 'not-configured', message: 'Forwarding to Azure Monitor is not set up (no Log Analytics workspace in Settings), so there is nothing to compare with.' };
        }
        return { state: 'unreachable', message: `Azure Monitor could not be asked: ${inertText(err instanceof Error ? err.message : String(err)).slice(0, 1024)}` };
      }
      if (!remote) return { state: 'no-checkpoint', message: 'Azure Monitor holds no checkpoint from this computer yet: nothing to compare with.' };
      const v = await verifyAuditLog(opts.file, { ...(opts.anchors ? { anchors: opts.anchors } : {}), remote });
      const differs = v.problems.find((p) => p.remote);
      return differs
        ? { state: 'differs', message: `${inertText(differs.detail)}. Keep the log file as it is and tell your security team.` }
        : { state: 'matches', message: `The log agrees with ${inertText(remote.where)}: entry ${remote.seq} is the one that was sent.` };
    },
    async status() {
      const v = await verify();
      const fwd = opts.forwarding;
      if (!fwd) return { chain: chainStatus(v), forwarding: forwardingStatus(undefined, { v: 1, sinks: {} }, v.entries) };
      const [config, state] = await Promise.all([fwd.settings(), readForwardState(fwd.stateFile)]);
      return {
        chain: chainStatus(v), forwarding: forwardingStatus(config, state, v.entries),
        ...(fwd.note && config ? { forwardingNote: fwd.note } : {}),
      };
    },
    async export(request) {
      if (!opts.saveAs) throw new AuditExportUnavailableError();
      const rows = await index.rows();
      const filtered = request.filter !== undefined;
      const name = `nbg-audit-${stamp(opts.clock?.() ?? new Date())}${filtered ? '-filtered' : ''}.${request.format}`;
      const file = await opts.saveAs({
        title: `Export the audit log as ${request.format === 'csv' ? 'CSV' : 'JSONL'}`, defaultName: name,
        filter: request.format === 'csv' ? { name: 'CSV (spreadsheet)', extensions: ['csv'] } : { name: 'JSON Lines (verifiable)', extensions: ['jsonl'] },
      });
      const { text, entries } = renderAuditRows(rows, { format: request.format, ...(request.filter ? { filter: request.filter } : {}) });
      if (!file) return { saved: false, entries };
      await writeFileAtomic(file, text, { mode: 0o600 });
      return { saved: true, file, entries };
    },
    async recording(sessionId) {
      const rows = await index.rows();
      const end = rows.map((r) => r.entry).find((e) => connectionOf(e) === sessionId);
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
