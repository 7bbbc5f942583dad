// One writer per audit log: two processes appending at once would fork the chain. A lock file
// holds the writer's pid; a lock left by a process that no longer exists is taken over.
import { promises as fs } from 'node:fs';
import { isNodeError } from '../../../native/errors';
import { AuditLogBusyError } from './errors';

export interface WriterLock {
  release(): Promise<void>;
}

export async function acquireWriterLock(lockFile: string): Promise<WriterLock> {
  // Two rounds: the second follows removing a stale lock; a live holder fails at once.
  for (let round = 0; round < 2; round++) {
    try {
      const h = await fs.open(lockFile, 'wx', 0o600);
      try {
        await h.writeFile(`${process.pid}\n`);
      } finally {
        await h.close();
      }
      return { release: () => fs.rm(lockFile, { force: true }) };
    } catch (err) {
      if (!isNodeError(err, 'EEXIST')) throw err;
    }
    const holder = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new AuditLogBusyError(lockFile, holder);
    await fs.rm(lockFile, { force: true });
  }
  throw new AuditLogBusyError(lockFile, 0);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isNodeError(err, 'EPERM');
  }
}
