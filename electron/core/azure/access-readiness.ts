// "Will break-glass work tonight?", the Azure half: the Nexus Network Fabric Service Reader or
// Writer role on each fabric, held in a way Nexus honours (assigned to the operator, or to a group
// the operator is a DIRECT member of: a group nested in another group does not count), and the
// operator's place in each bare metal machine keyset (status Active, not expired, not expiring
// within a week, in the keyset's Entra group). Pure: the facts come in, checks in operator words go out.
import { mapLimit } from './concurrency';
import { AzureApiError } from './errors';
import type { ReadinessCheck } from './readiness-check';
import type { GroupMemberships } from './graph-groups';
import type { FabricInfo } from './inventory-snapshot';
import type { ClusterInfo, KeysetInfo } from './networkcloud';
import { ROLE_NAMES } from './role-grants';

/** A keyset expiring sooner than this is warned about. */
export const KEYSET_WARN_DAYS = 7;
const DAY_MS = 86_400_000;
/** Findings named one by one in a check's detail; the rest are counted. */
const NAMED_FINDINGS = 4;

export interface KeysetOfCluster { clusterName: string; keyset: KeysetInfo }

export interface AccessFacts {
  /** The operator's UPN, as keysets list it (userPrincipalName). */
  username: string;
  fabrics: () => Promise<{ fabrics: FabricInfo[]; cachedMinutesAgo?: number }>;
  memberships: () => Promise<GroupMemberships>;
  keysets: () => Promise<KeysetOfCluster[]>;
  now: Date;
}

type State = ReadinessCheck['state'];
interface Finding { state: State; text: string }

const RANK: Record<State, number> = { ok: 0, warn: 1, fail: 2 };
const worst = (fs: Finding[]): State => fs.reduce<State>((w, f) => (RANK[f.state] > RANK[w] ? f.state : w), 'ok');

const groupName = (m: GroupMemberships | undefined, id: string): string => {
  const name = m?.all.get(id.toLowerCase());
  return name ? `"${name}"` : `with id ${id}`;
};

/** One fabric's role, judged the way Nexus judges it. */
export function fabricRoleFinding(f: FabricInfo, m: GroupMemberships | undefined): Finding {
  if (f.roleUnknown) return { state: 'warn', text: `${f.name}: your role could not be read (no access to its role assignments)` };
  if (!f.role) return { state: 'fail', text: `${f.name}: no ${ROLE_NAMES.Reader} or Writer role; ask for one, assigned to you or to a group you are directly in` };
  const role = ROLE_NAMES[f.role];
  if (!f.viaGroup || !f.groupId) return { state: 'ok', text: `${f.name}: ${role}, assigned to you` };
  const id = f.groupId.toLowerCase();
  if (!m) return { state: 'warn', text: `${f.name}: ${role} through group ${f.groupId}; your group memberships could not be read to confirm it is direct` };
  if (m.direct.has(id)) return { state: 'ok', text: `${f.name}: ${role} through group ${groupName(m, id)}, which you are directly in` };
  if (m.all.has(id)) {
    return { state: 'fail', text: `${f.name}: ${role} comes through group ${groupName(m, id)}, which you are in only through another group. Nexus ignores nested groups: ask to be added to ${groupName(m, id)} directly, or for the role to be assigned to you` };
  }
  return { state: 'warn', text: `${f.name}: ${role} through group ${groupName(m, id)}, which is not among your groups in Entra` };
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The operator's standing in one keyset, or undefined when the keyset does not list them. */
export function keysetFinding(k: KeysetOfCluster, username: string, m: GroupMemberships | undefined, now: Date): Finding | undefined {
  const me = k.keyset.users.find((u) => (u.userPrincipalName ?? '').toLowerCase() === username.toLowerCase());
  if (!me) return undefined;
  const where = `keyset ${k.keyset.name} (cluster ${k.clusterName})`;
  if (me.status === 'Invalid') return { state: 'fail', text: `${where} marks you (${me.azureUserName}) invalid${me.statusMessage ? `: ${me.statusMessage}` : ''}` };
  const expires = Date.parse(k.keyset.expiration);
  if (Number.isFinite(expires) && expires <= now.getTime()) return { state: 'fail', text: `${where} expired on ${day(expires)}; ask a keyset administrator to extend it` };
  const group = k.keyset.azureGroupId.toLowerCase();
  if (m && group && !m.all.has(group)) return { state: 'fail', text: `${where}: you are not in its Entra group (${k.keyset.azureGroupId}); users outside it get no access` };
  if (Number.isFinite(expires) && expires - now.getTime() < KEYSET_WARN_DAYS * DAY_MS) {
    const days = Math.ceil((expires - now.getTime()) / DAY_MS);
    return { state: 'warn', text: `${where} expires on ${day(expires)} (in ${days} day${days === 1 ? '' : 's'}); ask to extend it` };
  }
  if (me.status !== 'Active') return { state: 'warn', text: `${where} has not reported your status yet` };
  return { state: 'ok', text: `${where}: active${Number.isFinite(expires) ? ` until ${day(expires)}` : ''}` };
}

/** Problems first, then the rest, as much as fits. */
function summarise(findings: Finding[], okSummary: (n: number) => string): string {
  const problems = findings.filter((f) => f.state !== 'ok');
  if (!problems.length) return okSummary(findings.length);
  const named = problems.slice(0, NAMED_FINDINGS).map((f) => f.text);
  const more = problems.length - named.length;
  return `${named.join('. ')}${more > 0 ? `. And ${more} more` : ''}.`;
}

/** Every BMM keyset of every cluster the operator can see; a cluster refusing its keysets is left out. */
export async function keysetsOfClusters(nc: { clusters(): Promise<ClusterInfo[]>; keysets(c: ClusterInfo): Promise<KeysetInfo[]> }): Promise<KeysetOfCluster[]> {
  const per = await mapLimit(await nc.clusters(), 4, async (cluster) => {
    try {
      return (await nc.keysets(cluster)).map((keyset) => ({ clusterName: cluster.name, keyset }));
    } catch (err) {
      if (err instanceof AzureApiError && (err.status === 403 || err.status === 404)) return [];
      throw err;
    }
  });
  return per.flat();
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export async function accessChecks(facts: AccessFacts): Promise<ReadinessCheck[]> {
  const settle = <T>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e }));
  const [fabrics, memberships, keysets] = await Promise.all([settle(facts.fabrics()), settle(facts.memberships()), settle(facts.keysets())]);
  const m = memberships.ok ? memberships.v : undefined;
  const checks: ReadinessCheck[] = [];

  if (!fabrics.ok) checks.push({ id: 'fabric-role', state: 'warn', message: `could not read your fabrics and roles: ${reason(fabrics.e)}` });
  else if (!fabrics.v.fabrics.length) checks.push({ id: 'fabric-role', state: 'fail', message: 'no network fabric is visible to you; ask for the Nexus Network Fabric Service Reader or Writer role' });
  else {
    const findings = fabrics.v.fabrics.map((f) => fabricRoleFinding(f, m));
    const age = fabrics.v.cachedMinutesAgo !== undefined ? ` (from the inventory saved ${fabrics.v.cachedMinutesAgo} min ago)` : '';
    const text = summarise(findings, (n) => (n === 1 ? findings[0]!.text : `a Nexus role, held directly or through a group you are directly in, on all ${n} fabrics`));
    checks.push({ id: 'fabric-role', state: worst(findings), message: `${text}${age}` });
  }

  if (!keysets.ok) checks.push({ id: 'bmm-keysets', state: 'warn', message: `could not read the bare metal machine keysets: ${reason(keysets.e)}` });
  else {
    const findings = keysets.v.map((k) => keysetFinding(k, facts.username, m, facts.now)).filter((f): f is Finding => f !== undefined);
    if (!findings.length) {
      checks.push(keysets.v.length
        // Not a problem for fabric devices, which most break-glass is about.
        ? { id: 'bmm-keysets', state: 'ok', message: 'you are in no bare metal machine keyset (needed only for SSH to bare metal machines)' }
        : { id: 'bmm-keysets', state: 'ok', message: 'no bare metal machine keysets in your subscriptions' });
    } else {
      checks.push({ id: 'bmm-keysets', state: worst(findings), message: summarise(findings, (n) => (n === 1 ? findings[0]!.text : `active in all ${n} of your keysets, none expiring within ${KEYSET_WARN_DAYS} days`)) });
    }
  }
  return checks;
}
