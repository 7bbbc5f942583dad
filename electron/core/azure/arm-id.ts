// ARM ids arrive with mixed casing ("resourceGroups" vs "resourcegroups", type casing): compare
// them only through these helpers.

export function armIdKey(id: string): string {
  return id.trim().replace(/\/+$/, '').toLowerCase();
}

export function sameArmId(a: string, b: string): boolean {
  return armIdKey(a) === armIdKey(b);
}

/** True when `id` is `scope` or lies below it. */
export function armIdWithin(id: string, scope: string): boolean {
  const i = armIdKey(id);
  const s = armIdKey(scope);
  return s === '' || i === s || i.startsWith(`${s}/`);
}

export function subscriptionOf(id: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
}

export function resourceGroupOf(id: string): string | undefined {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1];
}

export function lastSegment(id: string): string {
  return id.replace(/\/+$/, '').split('/').pop() ?? '';
}
