// "Will my key work on the fabric?": the local key exists, Entra holds the same key, the
// security key is plugged in with PIN retries left, and the 4-hour sync has had time to run.
import type { Readiness } from '../../shared/keys';
import { accessChecks, keysetsOfClusters } from './access-readiness';
import type { AzureContext } from './context';
import type { ReadinessCheck } from './readiness-check';
import { syncPassed, syncSentence, syncWindow, type SyncWindow } from '../../shared/key-sync';
import { syncNotice } from './graph-keys';
import { uploadedAt } from './upload-record';

export interface LocalKeyFacts { pubLine: string; fingerprint: string }
export interface SecurityKeyFacts { present: boolean; pinRetries?: number }

export interface ReadinessDeps {
  localKey(): Promise<LocalKeyFacts | null>;
  securityKey(): Promise<SecurityKeyFacts>;
  entraKey(): Promise<string | null>;
  /** When this app last uploaded the key (null when unknown). */
  uploadedAt(): Promise<Date | null>;
  /** Roles on the fabrics and the BMM keysets (access-readiness.ts); absent without Azure. */
  access?: (now: Date) => Promise<ReadinessCheck[]>;
  now?: () => Date;
}

export type { CheckState, ReadinessCheck } from './readiness-check';
export interface ReadinessReport {
  ready: boolean;
  fingerprint: string | null;
  checks: ReadinessCheck[];
  /** The recorded upload of this key and when the devices have it (absent when this machine did not upload it). */
  sync?: SyncWindow;
}

/** OpenSSH compares type + base64 blob; the comment and line ending do not matter on the device. */
export function sameKey(a: string, b: string): boolean {
  const core = (l: string): string => l.trim().split(/\s+/).slice(0, 2).join(' ');
  return core(a) === core(b);
}

export class KeyReadiness {
  constructor(private readonly deps: ReadinessDeps) {}

  async check(): Promise<ReadinessReport> {
    const now = (this.deps.now ?? (() => new Date()))();
    const settle = <T>(p: Promise<T>) => p.then((v) => ({ ok: true as const, v }), (e: Error) => ({ ok: false as const, e }));
    const [local, skResult, entra, uploaded, access] = await Promise.all([
      this.deps.localKey(), settle(this.deps.securityKey()), settle(this.deps.entraKey()), this.deps.uploadedAt(),
      this.deps.access ? this.deps.access(now) : Promise.resolve([]),
    ]);
    const checks: ReadinessCheck[] = [];
    checks.push(local
      ? { id: 'local-key', state: 'ok', message: `local key ${local.fingerprint}` }
      : { id: 'local-key', state: 'fail', message: 'no local sk key; create one (nbg keys enroll) or import it from the security key' });
    if (!entra.ok) checks.push({ id: 'entra-key', state: 'warn', message: `could not read the key in Entra: ${entra.e.message}` });
    else if (entra.v === null) checks.push({ id: 'entra-key', state: 'fail', message: 'no key in Entra; run nbg keys upload' });
    else if (local && !sameKey(local.pubLine, entra.v)) checks.push({ id: 'entra-key', state: 'fail', message: 'Entra holds a different key than the local one; run nbg keys upload' });
    else checks.push({ id: 'entra-key', state: local ? 'ok' : 'warn', message: local ? 'Entra holds this key' : 'Entra holds a key (no local key to compare)' });
    const sk = skResult.ok ? skResult.v : undefined;
    if (!sk) checks.push({ id: 'security-key', state: 'warn', message: `could not look for the security key: ${skResult.ok ? '' : skResult.e.message}` });
    else if (!sk.present) checks.push({ id: 'security-key', state: 'fail', message: 'security key not plugged in' });
    else if (sk.pinRetries === 0) checks.push({ id: 'security-key', state: 'fail', message: 'security key PIN is blocked (0 retries left); reset the key' });
    else if (sk.pinRetries !== undefined && sk.pinRetries <= 3) checks.push({ id: 'security-key', state: 'warn', message: `security key present; only ${sk.pinRetries} PIN retries left` });
    else checks.push({ id: 'security-key', state: 'ok', message: `security key present${sk.pinRetries !== undefined ? `, ${sk.pinRetries} PIN retries left` : ''}` });
    const sync = uploaded ? syncWindow(uploaded.getTime()) : undefined;
    checks.push(sync
      ? { id: 'sync', state: syncPassed(sync, now.getTime()) ? 'ok' : 'warn', message: syncSentence(sync, now.getTime()) }
      : { id: 'sync', state: 'warn', message: `upload time unknown. ${syncNotice()}` });
    checks.push(...access);
    return { ready: checks.every((c) => c.state !== 'fail'), fingerprint: local?.fingerprint ?? null, checks, ...(sync ? { sync } : {}) };
  }
}

/** The readiness check against Entra and ARM, for the app and `nbg keys check` alike. */
export function entraReadiness(
  context: Pick<AzureContext, 'keys' | 'uploadRecordFile'> & Partial<Pick<AzureContext, 'inventory' | 'networkCloud' | 'groups' | 'tokens'>>,
  facts: Pick<ReadinessDeps, 'localKey' | 'securityKey'>,
): KeyReadiness {
  const { inventory, networkCloud, groups, tokens } = context;
  const access = inventory && networkCloud && groups && tokens
    ? async (now: Date) => accessChecks({
      username: (await tokens.principal()).username,
      fabrics: async () => {
        const view = await inventory.load();
        return { fabrics: view.fabrics, ...(view.fromCache ? { cachedMinutesAgo: Math.round(view.ageSeconds / 60) } : {}) };
      },
      memberships: () => groups.memberships(),
      keysets: () => keysetsOfClusters(networkCloud),
      now,
    })
    : undefined;
  return new KeyReadiness({
    ...facts,
    ...(access ? { access } : {}),
    entraKey: () => context.keys.storedKey(),
    uploadedAt: async () => {
      const local = await facts.localKey();
      return local ? uploadedAt(context.uploadRecordFile, local.pubLine) : null;
    },
  });
}

const CHECK_LABELS: Record<ReadinessCheck['id'], string> = {
  'local-key': 'SSH key file present', 'entra-key': 'Same key in Entra', 'security-key': 'Security key connected, PIN retries left',
  sync: 'Key on the fabric devices (4-hour sync)',
  'fabric-role': 'Nexus role on your fabrics (direct or one group deep)',
  'bmm-keysets': 'Bare metal machine keysets: your status and expiry',
};

/** The report in the contract's shape (the key panel's checklist). */
export function readinessView(report: ReadinessReport): Readiness {
  return {
    checks: report.checks.map((c) => ({ id: c.id, label: CHECK_LABELS[c.id], status: c.state, detail: c.message.slice(0, 1024) })),
    checkedAt: Date.now(),
    ...(report.sync ? { sync: report.sync } : {}),
  };
}
