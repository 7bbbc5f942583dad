// Favourites and the last connect attempt per device (connect-history.json under the app home):
// what the quick-connect palette puts first and what the device table marks. zod-checked on read,
// written atomically; an unreadable file is reported, never silently replaced.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NbgError, isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { ErrorCode } from '../../shared/error-codes';
import {
  ConnectHistory, MAX_ATTEMPTS, MAX_FAVOURITES, type AttemptOutcome, type ConnectAttempt, type DeviceRef,
} from '../../shared/workspace';
import { describeIssues } from '../../shared/zod-issues';

export const HISTORY_FILE_NAME = 'connect-history.json';

export class HistoryInvalidError extends NbgError {
  constructor(file: string, detail: string) {
    super(ErrorCode.HISTORY_INVALID, `${file} is not valid (${detail}); delete it to start a fresh connect history.`);
  }
}

/** Device ids are ARM ids: compared without case, as ARM does. */
const sameDevice = (a: DeviceRef, b: DeviceRef) =>
  a.deviceId.toLowerCase() === b.deviceId.toLowerCase() && a.fabricId.toLowerCase() === b.fabricId.toLowerCase();

/**
 * What a connect's failure says about the device: it refused us, or did not answer. A connect the
 * operator cancelled says nothing about the device, so it is not an outcome.
 */
export function outcomeOfError(code: string | undefined): AttemptOutcome | null {
  if (code === ErrorCode.AUTH_CANCELLED || code === ErrorCode.CONNECT_ABORTED) return null;
  if (code === ErrorCode.HOP_AUTH_FAILED) return 'refused';
  if (code === ErrorCode.PATH_UNREACHABLE || code === ErrorCode.HOP_CONNECT_FAILED) return 'unreachable';
  return 'failed';
}

export class ConnectHistoryStore {
  private writing: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  static inHome(home: string): ConnectHistoryStore {
    return new ConnectHistoryStore(path.join(home, HISTORY_FILE_NAME));
  }

  async get(): Promise<ConnectHistory> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if (isNodeError(err, 'ENOENT')) return { favourites: [], attempts: [] };
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new HistoryInvalidError(this.file, 'not JSON');
    }
    const parsed = ConnectHistory.safeParse(json);
    if (!parsed.success) throw new HistoryInvalidError(this.file, describeIssues(parsed.error));
    return parsed.data;
  }

  /** Keeps only the latest attempt per device, newest first. */
  record(attempt: ConnectAttempt): Promise<ConnectHistory> {
    return this.change((h) => ({
      ...h,
      attempts: [attempt, ...h.attempts.filter((a) => !sameDevice(a, attempt))].slice(0, MAX_ATTEMPTS),
    }));
  }

  setFavourite(ref: DeviceRef, favourite: boolean): Promise<ConnectHistory> {
    return this.change((h) => {
      const others = h.favourites.filter((f) => !sameDevice(f, ref));
      const next = favourite ? [...others, { fabricId: ref.fabricId, deviceId: ref.deviceId }] : others;
      return { ...h, favourites: next.slice(-MAX_FAVOURITES) };
    });
  }

  /** Changes run one after another, each on the file as the previous one left it. */
  private change(edit: (h: ConnectHistory) => ConnectHistory): Promise<ConnectHistory> {
    const run = this.writing.then(async () => {
      const next = edit(await this.get());
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      return next;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }
}
