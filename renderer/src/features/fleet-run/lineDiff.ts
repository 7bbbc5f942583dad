// Line diff for comparing one command's output across devices: the longest common subsequence
// of lines, reported as kept, removed (only in the baseline) and added (only in this device).
export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** Outputs longer than this many lines are compared line by line without alignment. */
const MAX_ALIGNED_LINES = 2000;

export function lineDiff(baseline: string, other: string): DiffLine[] {
  const a = baseline.replace(/\r\n/g, '\n').split('\n');
  const b = other.replace(/\r\n/g, '\n').split('\n');
  if (a.length > MAX_ALIGNED_LINES || b.length > MAX_ALIGNED_LINES) {
    const out: DiffLine[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i] === b[i]) out.push({ kind: 'same', text: a[i]! });
      else {
        if (a[i] !== undefined) out.push({ kind: 'removed', text: a[i]! });
        if (b[i] !== undefined) out.push({ kind: 'added', text: b[i]! });
      }
    }
    return out;
  }
  // lcs[i][j]: common lines of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { out.push({ kind: 'same', text: a[i]! }); i++; j++; }
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ kind: 'removed', text: a[i++]! });
    else out.push({ kind: 'added', text: b[j++]! });
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ kind: 'added', text: b[j++]! });
  return out;
}
