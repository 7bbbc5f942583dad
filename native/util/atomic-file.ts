import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsc } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError, isNodeError } from '../errors';

/** Mode bits that let anyone but the owner in; a mode without them marks a private file. */
const GROUP_OTHER_BITS = 0o077;

export class FileExistsError extends NbgError {
  constructor(readonly file: string) {
    super(ErrorCode.FILE_EXISTS, `${file} already exists; not overwriting it without an explicit yes`);
  }
}

export interface AtomicWriteOptions {
  mode?: number;
  /** Refuse when the target exists (checked again at rename time via link, so no race). */
  exclusive?: boolean;
}

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * part: temp file in the same directory, fsync, rename (or link for exclusive), fsync the dir.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = opts.mode ?? 0o600;
  const handle = await fs.open(tmp, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, mode);
  try {
    await handle.writeFile(data);
    await handle.chmod(mode); // umask may have narrowed or widened the create mode
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // Windows ignores the mode: a private file gets its owner-only ACL before it takes its name.
    if (process.platform === 'win32' && (mode & GROUP_OTHER_BITS) === 0) (await import('./windows-acl')).restrictToOwner(tmp);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  try {
    if (opts.exclusive) {
      try {
        await fs.link(tmp, file);
      } catch (err) {
        if (isNodeError(err, 'EEXIST')) throw new FileExistsError(file);
        throw err;
      }
      await fs.unlink(tmp);
    } else {
      await fs.rename(tmp, file);
    }
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const h = await fs.open(dir, fsc.O_RDONLY);
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
