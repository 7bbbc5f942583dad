// Fuzzy matching for the quick-connect palette: a substring beats a scattered subsequence, a match
// at the start of a word beats one inside it, and favourites then recents come before the rest.
import type { NetworkDevice } from '../../../../electron/shared/inventory';
import type { ConnectTarget } from '../../../../electron/shared/sessions';
import type { ConnectHistory, DeviceRef } from '../../../../electron/shared/workspace';

/** Substring hits score above this; scattered (subsequence) hits below it. */
const SUBSTRING_BASE = 1000;
const WORD_START_BONUS = 200;
const FAVOURITE_BONUS = 3000;
/** Recents add up to this, the newest most. */
const RECENT_BONUS = 2000;

/** How well `query` matches `text` (both compared without case), or null for no match. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 0;
  const at = t.indexOf(q);
  if (at >= 0) {
    const wordStart = at === 0 || /[^a-z0-9]/.test(t.charAt(at - 1));
    return SUBSTRING_BASE + (wordStart ? WORD_START_BONUS : 0) - at - (t.length - q.length);
  }
  // Every query character in order; fewer gaps score higher.
  let pos = -1;
  let gaps = 0;
  for (const ch of q) {
    const next = t.indexOf(ch, pos + 1);
    if (next < 0) return null;
    if (pos >= 0) gaps += next - pos - 1;
    pos = next;
  }
  return Math.max(1, SUBSTRING_BASE - 1 - gaps * 10 - (t.length - q.length));
}

export interface PaletteEntry {
  device: NetworkDevice;
  fabricName: string;
  favourite: boolean;
  /** Epoch ms of the last connect attempt, when there was one. */
  lastAttempt?: number;
  /** 'bmm' for a bare metal machine (device holds its row: cluster id, machine id, OAM address). */
  target?: ConnectTarget;
}

/** The words a device is found by: name, host name, role and every address it has. */
export function searchableFields(d: NetworkDevice): string[] {
  return [d.name, d.hostName, d.role, d.managementIpv4, d.managementIpv6, d.backupAddress].filter((v): v is string => !!v);
}

const key = (r: DeviceRef) => `${r.fabricId.toLowerCase()}|${r.deviceId.toLowerCase()}`;

/** Joins devices with the history: which are favourites, when each was last tried. */
export function paletteEntries(devices: { device: NetworkDevice; fabricName: string; target?: ConnectTarget }[], history: ConnectHistory | undefined): PaletteEntry[] {
  const favourites = new Set((history?.favourites ?? []).map(key));
  const attempts = new Map((history?.attempts ?? []).map((a) => [key(a), a.at]));
  return devices.map(({ device, fabricName, target }) => {
    const k = key({ fabricId: device.fabricId, deviceId: device.id });
    const at = attempts.get(k);
    return { device, fabricName, favourite: favourites.has(k), ...(at !== undefined ? { lastAttempt: at } : {}), ...(target ? { target } : {}) };
  });
}

/** Entries matching `query`, best first; with no query, favourites then recents then by name. */
export function rankEntries(entries: PaletteEntry[], query: string, limit: number): PaletteEntry[] {
  const q = query.trim();
  const newest = Math.max(0, ...entries.map((e) => e.lastAttempt ?? 0));
  const oldest = Math.min(newest, ...entries.map((e) => e.lastAttempt ?? newest));
  const scored: { entry: PaletteEntry; score: number }[] = [];
  for (const entry of entries) {
    const scores = searchableFields(entry.device).map((f) => fuzzyScore(q, f)).filter((s): s is number => s !== null);
    if (!scores.length) continue;
    const best = Math.max(...scores);
    // A substring hit always beats a scattered one, whatever the marks; within a kind, marks lead.
    const tier = best >= SUBSTRING_BASE || !q ? 1 : 0;
    const recency = entry.lastAttempt === undefined ? 0
      : RECENT_BONUS * (newest === oldest ? 1 : (entry.lastAttempt - oldest) / (newest - oldest)) + 1;
    scored.push({ entry, score: tier * 1e6 + (entry.favourite ? FAVOURITE_BONUS : 0) + recency + best });
  }
  scored.sort((a, b) => b.score - a.score || a.entry.device.name.localeCompare(b.entry.device.name));
  return scored.slice(0, limit).map((s) => s.entry);
}
