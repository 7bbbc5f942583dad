// A fabric's Method D v1.5 passwords in ManagedNetworkFabric 2025-07-15: where the rotation stands
// (read from the fabric and its devices, see password-rotation.ts), and the fabric-wide
// `rotatePasswords` action. That action is a POST answering 202 with a Location monitor; its final
// status is Succeeded, or Failed with per-device `operations` (some devices rotated:
// NetworkFabrics_RotatePasswords_PartialSuccess.json) or with `error.details` naming each target
// (none rotated: NetworkFabrics_RotatePasswords_Error.json). Both are shown per device and audited.
import { z } from 'zod';
import type { PasswordRotationView } from '../../shared/inventory';
import type { CloudEndpoints } from '../auth/config';
import type { AuditSink } from '../audit/audit-log';
import { auditFailure } from '../audit/audited';
import { withDeadline } from '../net/deadline';
import { armIdKey, lastSegment, sameArmId, subscriptionOf } from './arm-id';
import { AzureReplyError } from './errors';
import type { AzureHttp } from './http';
import type { LongRunningPoller, OperationStatus } from './long-running';
import { rotationView, secretRotationSchema, type DeviceSecrets } from './password-rotation';

/** The first GA api-version with rotatePasswords and secretRotationStatus. */
export const FABRIC_PASSWORDS_API = '2025-07-15';

const str = z.string().nullish().transform((v) => v ?? '');
const fabricSchema = z.object({
  id: z.string(), name: z.string(),
  properties: z.preprocess((p) => p ?? {}, z.object({
    secretRotationSummary: z.object({ activePasswordSetCount: z.number().int().nonnegative().nullish() }).passthrough().nullish(),
    terminalServerConfiguration: z.object({ secretRotationStatus: secretRotationSchema }).passthrough().nullish(),
  }).passthrough()),
}).passthrough();
const deviceSchema = z.object({
  id: z.string(), name: z.string(),
  properties: z.preprocess((p) => p ?? {}, z.object({ hostName: str, networkFabricId: str, networkRackId: str, secretRotationStatus: secretRotationSchema }).passthrough()),
}).passthrough();
const rackSchema = z.object({ id: z.string(), properties: z.preprocess((p) => p ?? {}, z.object({ networkFabricId: str }).passthrough()) }).passthrough();

const errorSchema = z.object({
  code: str, message: str,
  details: z.array(z.object({ code: str, message: str, target: str }).passthrough()).nullish().transform((v) => v ?? []),
}).passthrough();
const finalSchema = z.object({
  error: errorSchema.nullish(),
  operations: z.array(z.object({ resourceId: str, status: str, error: errorSchema.nullish() }).passthrough()).nullish().transform((v) => v ?? []),
}).passthrough();

export interface DeviceRotationResult {
  /** ARM id, or the target as Azure named it ("TerminalServer"). */
  id: string;
  name: string;
  ok: boolean;
  /** Azure's reason, for a failed device. */
  reason?: string;
}

export interface RotationOutcome {
  fabricId: string;
  /** Succeeded, or Failed / Canceled. */
  status: string;
  error?: { code: string; message: string };
  devices: DeviceRotationResult[];
}

const reasonOf = (e: { code: string; message: string } | null | undefined): string | undefined => (e ? [e.code, e.message].filter(Boolean).join(': ') : undefined);

/** Per-device results from the final status document of rotatePasswords. */
export function rotationResults(body: OperationStatus | undefined): Pick<RotationOutcome, 'error' | 'devices'> {
  const parsed = finalSchema.safeParse(body ?? {});
  if (!parsed.success) return { devices: [] };
  const { error, operations } = parsed.data;
  const devices: DeviceRotationResult[] = operations.length
    ? operations.map((o) => ({ id: o.resourceId, name: lastSegment(o.resourceId), ok: o.status.toLowerCase() === 'succeeded', ...(reasonOf(o.error) ? { reason: reasonOf(o.error)! } : {}) }))
    : (error?.details ?? []).map((d) => ({ id: d.target, name: d.target.includes('/') ? lastSegment(d.target) : d.target, ok: false, reason: reasonOf(d)! }));
  return { ...(error ? { error: { code: error.code, message: error.message } } : {}), devices };
}

export class FabricPasswords {
  constructor(
    private readonly http: AzureHttp,
    private readonly endpoints: CloudEndpoints,
    private readonly poller: LongRunningPoller,
    /** Overall budget of reading the state; the rotation's polling is bounded by PollLimits instead. */
    private readonly readDeadlineMs?: number,
  ) {}

  private url(path: string): string {
    return `${this.endpoints.armEndpoint}${path}?api-version=${FABRIC_PASSWORDS_API}`;
  }

  /** Where the fabric's password rotation stands, device by device. */
  state(fabricId: string): Promise<PasswordRotationView> {
    const read = async (): Promise<PasswordRotationView> => {
      const sub = subscriptionOf(fabricId);
      if (!sub) throw new AzureReplyError('read password rotation', `"${fabricId}" is not a fabric ARM id`);
      const base = `/subscriptions/${sub}/providers/Microsoft.ManagedNetworkFabric`;
      const [fabric, devices, racks] = await Promise.all([
        this.http.get(`read fabric ${lastSegment(fabricId)}`, 'arm', this.url(fabricId), fabricSchema),
        this.http.listAll(`list devices in ${sub}`, 'arm', this.url(`${base}/networkDevices`), deviceSchema),
        this.http.listAll(`list racks in ${sub}`, 'arm', this.url(`${base}/networkRacks`), rackSchema),
      ]);
      // A device names its fabric, or only its rack (older devices): the inventory's rule (inventory.ts).
      const rackFabric = new Map(racks.map((r) => [armIdKey(r.id), r.properties.networkFabricId] as const));
      const fabricOf = (d: z.infer<typeof deviceSchema>): string => d.properties.networkFabricId || rackFabric.get(armIdKey(d.properties.networkRackId)) || '';
      const mine: DeviceSecrets[] = devices.filter((d) => sameArmId(fabricOf(d), fabricId))
        .map((d) => ({ id: d.id, name: d.name, hostName: d.properties.hostName, secrets: d.properties.secretRotationStatus }));
      const ts = fabric.properties.terminalServerConfiguration?.secretRotationStatus ?? [];
      if (ts.length) mine.push({ id: `${fabric.id}#terminalServer`, name: 'terminal server', hostName: '', secrets: ts });
      return rotationView(mine, { activePasswordSetCount: fabric.properties.secretRotationSummary?.activePasswordSetCount ?? null });
    };
    return this.readDeadlineMs ? withDeadline(this.readDeadlineMs, read) : read();
  }

  /** POST rotatePasswords and follow it to the end; a Failed end still reports which devices rotated. Audited. */
  async rotate(fabricId: string, audit?: AuditSink): Promise<RotationOutcome> {
    const op = `rotate passwords of ${lastSegment(fabricId)}`;
    try {
      const r = await this.http.send({ operation: op, resource: 'arm', method: 'POST', url: this.url(`${fabricId}/rotatePasswords`), body: {} });
      const end = await this.poller.settle(op, r.headers);
      const outcome: RotationOutcome = { fabricId, status: end.status, ...rotationResults(end.body) };
      await audit?.append({
        type: 'password-rotation', fabric: fabricId, outcome: end.failed ? 'failed' : 'ok',
        devicesRotated: outcome.devices.filter((d) => d.ok).map((d) => d.name),
        devicesFailed: outcome.devices.filter((d) => !d.ok).map((d) => d.name),
        ...(end.failed ? { error: { code: outcome.error?.code || end.status, message: outcome.error?.message || `the rotation ended ${end.status}` } } : {}),
      });
      return outcome;
    } catch (err) {
      await audit?.append({ type: 'password-rotation', fabric: fabricId, outcome: 'failed', devicesRotated: [], devicesFailed: [], error: auditFailure(err) }).catch(() => undefined);
      throw err;
    }
  }
}

