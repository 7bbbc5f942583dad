// Public API of the audit area: the hash-chained log, its verification and export, recordings.
export { AuditLog, type AuditSink, type AuditLogOptions, type AuditOpenReport } from './audit-log';
export { verifyAuditLog, type AuditAlert, type AuditProblem, type AuditProblemKind, type AuditRepair, type AuditVerification } from './verify';
export { exportAuditLog, renderAuditExport, type AuditExportFormat } from './export';
export { auditLogPath } from './head-file';
export { auditEventLabel, describeAuditEntry } from './describe';
export { AsciicastRecorder, recordingsDir, replayAsciicast, type AsciicastReplay, type RecorderOptions, type RecordingResult } from './asciicast';
export type { AuditEntry, AuditEventInput, AuditEventType, AuditHop, AccessPath } from './events';
export * from './errors';
