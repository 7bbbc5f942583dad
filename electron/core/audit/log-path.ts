// Where the audit log lives under the app home (no schema here: every command asks for it).
import path from 'node:path';
import { appHome } from '../paths';

export function auditLogPath(home: string = appHome()): string {
  return path.join(home, 'audit', 'audit.jsonl');
}
