// The key upload against NexusIdentity's sync: fabric devices pick up a key uploaded to Entra at
// the next sync, within 4 hours. One fact (when it was uploaded, when to expect it) and one
// sentence for the key panel, `nbg keys check` and the app's readiness list alike.

/** NexusIdentity pushes Entra's keys to the fabric devices at least this often. */
export const NEXUS_SYNC_HOURS = 4;
const SYNC_MS = NEXUS_SYNC_HOURS * 3_600_000;
const MINUTE_MS = 60_000;

export interface SyncWindow {
  /** Epoch ms of the upload this machine recorded. */
  uploadedAt: number;
  /** Epoch ms by which every device has the key (upload + the sync interval). */
  expectBy: number;
}

export function syncWindow(uploadedAt: number): SyncWindow {
  return { uploadedAt, expectBy: uploadedAt + SYNC_MS };
}

/** "less than a minute", "35 min", "1 h 20 min", "3 d 2 h": whole minutes, rounded down. */
export function elapsedText(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE_MS);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** Local wall-clock time, "14:32"; with the date ("4 Dec 02:10") when it is not on `now`'s day. */
export function clockText(at: number, now: number): string {
  const d = new Date(at);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return d.toDateString() === new Date(now).toDateString()
    ? hm : `${d.getDate()} ${d.toLocaleString('en-GB', { month: 'short' })} ${hm}`;
}

/** Whether the sync interval has passed since the upload. */
export function syncPassed(w: SyncWindow, now: number): boolean {
  return now >= w.expectBy;
}

/** "uploaded 1 h 20 min ago — devices pick it up within 4 hours; expect it by 14:32". */
export function syncSentence(w: SyncWindow, now: number): string {
  const head = `uploaded ${elapsedText(now - w.uploadedAt)} ago — devices pick it up within ${NEXUS_SYNC_HOURS} hours`;
  return syncPassed(w, now) ? `${head}; the sync has run since` : `${head}; expect it by ${clockText(w.expectBy, now)}`;
}
