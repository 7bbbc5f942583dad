// Favourites and the last connect attempt per device (connect-history.json under the app home):
// what the quick-connect palette puts first, what the device table marks, and - shared by the app
// and nbg across restarts - whether a device's management address failed minutes ago, so its next
// connect starts on the backup path. zod-checked on read, written atomically; an unreadable file is
// reported, never silently replaced.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NbgError, errorCode, isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { ErrorCode } from '../../shared/error-codes';
import type { PathChoice } from '../../shared/sessions';
import {
  ConnectHistory, MAX_ATTEMPTS, MAX_FAVOURITES, type AttemptOutcome, type ConnectAttempt, type DeviceRef,
} from '../../shared/workspace';
import { describeIssues } from '../../shared/zod-issues';

export const HISTORY_FILE_NAME = 'connect-history.json';

/** How long a failed management address keeps suggesting the backup path. */
export const RECENT_FAILURE_MS = 10 * 60_000;

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

  constructor(readonly file: string, private readonly now: () => number = Date.now) {}

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

  /**
   * True when the device's management address failed within the last minutes and no attempt since
   * has said otherwise. A convenience: an unreadable history says no.
   */
  async primaryFailedRecently(ref: DeviceRef): Promise<boolean> {
    const last = (await this.recent()).find((a) => sameDevice(a, ref));
    return last !== undefined && primaryFailed(last);
  }

  /** The latest recent attempt whose management address `host` failed (nbg ssh names addresses, not devices). */
  async primaryFailedAt(host: string): Promise<ConnectAttempt | undefined> {
    const wanted = host.toLowerCase();
    return (await this.recent()).find((a) => a.address?.toLowerCase() === wanted && primaryFailed(a));
  }

  private async recent(): Promise<ConnectAttempt[]> {
    const attempts = (await this.get().catch(() => ({ attempts: [] }))).attempts;
    return attempts.filter((a) => this.now() - a.at <= RECENT_FAILURE_MS);
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

/** The backup path answered, or the management address did not: either way the backup comes first next time. */
function primaryFailed(a: ConnectAttempt): boolean {
  return a.primaryFailed === true || a.outcome === 'backup';
}

/** What a connect is recorded from: the session layer's Session (its 'route-failed' event names the path that failed). */
export interface RecordedSession {
  connect(): Promise<void>;
  on(event: 'route-failed', listener: (route: PathChoice, error: unknown) => void): unknown;
  off(event: 'route-failed', listener: (route: PathChoice, error: unknown) => void): unknown;
  readonly info: { route?: PathChoice };
}

/** The device a connect goes to, as the history knows it. */
export interface AttemptTarget {
  ref: DeviceRef;
  /** The management address, when the connect starts there. */
  address?: string;
}

/**
 * Connects `session` and records how it went. The history is a convenience: failing to write it
 * never fails the connect, and a connect the operator cancelled says nothing about the device.
 */
export async function connectAndRecord(session: RecordedSession, target: AttemptTarget, history: ConnectHistoryStore | undefined): Promise<void> {
  let primaryDown = false;
  const onFailed = (route: PathChoice): void => { if (route === 'primary') primaryDown = true; };
  session.on('route-failed', onFailed);
  const record = async (outcome: AttemptOutcome): Promise<void> => {
    await history?.record({
      ...target.ref, at: Date.now(), outcome, ...(primaryDown ? { primaryFailed: true } : {}),
      ...(target.address ? { address: target.address } : {}),
    }).catch(() => undefined);
  };
  try {
    await session.connect();
    await record(session.info.route === 'backup' ? 'backup' : 'answered');
  } catch (err) {
    const outcome = outcomeOfError(errorCode(err));
    // A connect that started at the management address and reached nothing: that address failed.
    if (outcome === 'unreachable' && target.address) primaryDown = true;
    if (outcome) await record(outcome);
    throw err;
  } finally {
    session.off('route-failed', onFailed);
  }
}
