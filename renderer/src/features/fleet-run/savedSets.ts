// Saved device sets ("all CEs of fab-west") kept in this app's local storage: a convenience only,
// so a storage that is unavailable or damaged means no saved sets, never a failed run.
export interface SavedSet { name: string; devices: string[] }

const STORAGE_KEY = 'nbg.fleet.sets';
const MAX_SETS = 50;

export function loadSets(): SavedSet[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((s): s is SavedSet => typeof s === 'object' && s !== null && typeof (s as SavedSet).name === 'string'
      && Array.isArray((s as SavedSet).devices) && (s as SavedSet).devices.every((d) => typeof d === 'string')).slice(0, MAX_SETS);
  } catch {
    return [];
  }
}

export function saveSets(sets: SavedSet[]): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(sets.slice(-MAX_SETS)));
  } catch {
    // Storage full or refused: the set lives until the window closes.
  }
}
