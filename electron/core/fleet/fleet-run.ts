// A fleet run: the same read-only commands on many devices, for "which ToRs still answer?" in an
// outage. The commands are checked before anything is dialled. One PIN serves the whole run (one
// ConnectScope), each jump host is logged in to once (its connection stays pinned until its
// devices are done), device logins go one at a time through a touch queue ("touch 3 of 12 —
// ToR2 via jump-1"), and the commands run on at most `perJump` devices per jump at once. Every
// device tries its backup path when the management address does not answer, as in a session.
import { createHash, randomUUID } from 'node:crypto';
import { errorCode, errorMessage } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import type { AuditSink } from '../audit/audit-log';
import { FLEET_OUTPUT_CHARS } from '../audit/events';
import { ConnectScope } from '../ssh/sessions/connect-scope';
import { hopLabel } from '../ssh/sessions/hop';
import type { Session, SessionManager } from '../ssh/sessions/index';
import type { Hop, SessionOptions, Target } from '../ssh/sessions/types';
import { assertReadOnly } from './read-only';

export const DEFAULT_PER_JUMP = 4;
export const MAX_PER_JUMP = 16;

export interface FleetTarget {
  /** The inventory name the operator knows ("ToR2"). */
  name: string;
  fabric: string;
  route: { target: Target; chain: Hop[] };
  /** This device's own host-key rules and timeout (an ssh_config host). */
  options?: Pick<SessionOptions, 'hostKeys' | 'phaseMs'>;
}

export interface FleetCommandResult {
  command: string;
  exitCode?: number;
  output: string;
  stderr: string;
  durationMs: number;
  truncated: boolean;
}

export type FleetDeviceStatus = 'ok' | 'failed' | 'skipped' | 'stopped';

export interface FleetDeviceResult {
  name: string;
  fabric: string;
  via: string;
  status: FleetDeviceStatus;
  /** Which address answered. */
  path?: 'primary' | 'backup';
  error?: { code: string; message: string };
  durationMs: number;
  commands: FleetCommandResult[];
}

export interface FleetRunResult {
  runId: string;
  startedAt: number;
  durationMs: number;
  commands: string[];
  devices: FleetDeviceResult[];
  /**
   * Signatures the security key made for the run (a touch each): jump and device logins. Logins
   * signed through another agent (nbg run --agent) are not counted here.
   */
  signatures: number;
}

export type FleetProgress =
  | { kind: 'login'; index: number; total: number; device: string; via: string }
  | { kind: 'device-done'; result: FleetDeviceResult };

/** The touch queue's line: "touch 3 of 12 — ToR2 via jump-1". */
export function touchLabel(p: Extract<FleetProgress, { kind: 'login' }>): string {
  return `touch ${p.index} of ${p.total} — ${p.device} via ${p.via}`;
}

export interface FleetRunOptions {
  manager: SessionManager;
  audit?: AuditSink;
  perJump?: number;
  /** Record every device's output as asciicast, like a session. */
  record?: boolean;
  onProgress?: (p: FleetProgress) => void;
}

/** At most `size` holders at once; the rest wait in order. */
class Gate {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async enter(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

interface JumpGroup { gate: Gate; pinned?: Session; via: string }

export class FleetRun {
  readonly id = randomUUID();
  private readonly commands: string[];
  private readonly perJump: number;
  private readonly scope = new ConnectScope();
  private readonly loginLane = new Gate(1);
  private readonly live = new Map<string, Session>();
  private readonly skipped = new Set<string>();
  private stopped = false;
  private logins = 0;

  /** Throws CommandRefusedError, before anything is dialled, when a command breaks the read-only rules. */
  constructor(private readonly targets: readonly FleetTarget[], commands: readonly string[], private readonly options: FleetRunOptions) {
    assertReadOnly(commands);
    this.commands = commands.map((c) => c.trim().replace(/\s+/g, ' '));
    this.perJump = Math.min(MAX_PER_JUMP, Math.max(1, Math.floor(options.perJump ?? DEFAULT_PER_JUMP)));
  }

  /** Leaves one device out: not started yet, or its login or commands are cut short. */
  skip(name: string): void {
    this.skipped.add(name);
    this.live.get(name)?.close();
  }

  /** Ends the run: devices not done are marked stopped, and their sessions close. */
  stop(): void {
    this.stopped = true;
    for (const s of this.live.values()) s.close();
  }

  async run(): Promise<FleetRunResult> {
    const startedAt = Date.now();
    const { audit } = this.options;
    await audit?.append({ type: 'fleet-run', runId: this.id, phase: 'start', commands: this.commands, devices: this.targets.length });
    const groups = new Map<string, JumpGroup>();
    for (const t of this.targets) {
      const key = t.route.chain.map((h) => `${h.user}@${h.host}:${h.port}`).join(',');
      if (!groups.has(key)) groups.set(key, { gate: new Gate(this.perJump), via: t.route.chain.map(hopLabel).join(' → ') || 'direct' });
    }
    const groupOf = (t: FleetTarget) => groups.get(t.route.chain.map((h) => `${h.user}@${h.host}:${h.port}`).join(','))!;
    let signatures = 0;
    const results = await Promise.all(this.targets.map(async (t) => {
      const r = await this.runOne(t, groupOf(t), (n) => { signatures += n; });
      this.options.onProgress?.({ kind: 'device-done', result: r });
      return r;
    }));
    for (const g of groups.values()) g.pinned?.close();
    this.scope.dispose();
    const count = (s: FleetDeviceStatus[]) => results.filter((r) => s.includes(r.status)).length;
    await audit?.append({
      type: 'fleet-run', runId: this.id, phase: 'end', commands: this.commands, devices: this.targets.length,
      ok: count(['ok']), failed: count(['failed']), skipped: count(['skipped', 'stopped']),
    });
    return { runId: this.id, startedAt, durationMs: Date.now() - startedAt, commands: this.commands, devices: results, signatures };
  }

  private cutShort(name: string): FleetDeviceStatus | null {
    if (this.skipped.has(name)) return 'skipped';
    return this.stopped ? 'stopped' : null;
  }

  private async runOne(t: FleetTarget, group: JumpGroup, countSignatures: (n: number) => void): Promise<FleetDeviceResult> {
    const base = { name: t.name, fabric: t.fabric, via: group.via };
    const leaveGroup = await group.gate.enter();
    const started = Date.now();
    const commands: FleetCommandResult[] = [];
    const result = (status: FleetDeviceStatus, extra: Partial<FleetDeviceResult> = {}): FleetDeviceResult =>
      ({ ...base, status, durationMs: Date.now() - started, commands, ...extra });
    let session: Session | undefined;
    try {
      const early = this.cutShort(t.name);
      if (early) return result(early);
      const leaveLane = await this.loginLane.enter();
      try {
        const late = this.cutShort(t.name);
        if (late) return result(late);
        this.options.onProgress?.({ kind: 'login', index: ++this.logins, total: this.targets.length, device: t.name, via: group.via });
        session = this.options.manager.open(t.route.target, t.route.chain, {
          ...t.options, pty: false, scope: this.scope, ...(this.options.record ? { record: true } : {}),
        });
        this.live.set(t.name, session);
        await session.connect();
      } finally {
        leaveLane();
      }
      const path = session.info.route ?? 'primary';
      for (const command of this.commands) {
        const cut = this.cutShort(t.name);
        if (cut) return result(cut, { path });
        const t0 = Date.now();
        const r = await session.exec(command);
        const output = r.stdout.toString('utf8');
        const entry = { command, ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}), output, stderr: r.stderr.toString('utf8'), durationMs: Date.now() - t0, truncated: r.truncated };
        commands.push(entry);
        await this.options.audit?.append({
          type: 'fleet-output', runId: this.id, target: session.info.target, command, ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
          durationMs: entry.durationMs, bytes: r.stdout.length + r.stderr.length,
          sha256: createHash('sha256').update(r.stdout).update(r.stderr).digest('hex'),
          output: (output + entry.stderr).slice(0, FLEET_OUTPUT_CHARS), truncated: r.truncated || output.length + entry.stderr.length > FLEET_OUTPUT_CHARS,
        });
      }
      const failedCommand = commands.some((c) => c.exitCode !== 0);
      return result(failedCommand ? 'failed' : 'ok', {
        path, ...(failedCommand ? { error: { code: ErrorCode.FLEET_COMMAND_FAILED, message: 'a command did not exit with status 0' } } : {}),
      });
    } catch (err) {
      const cut = this.cutShort(t.name);
      if (cut) return result(cut);
      return result('failed', { error: { code: errorCode(err) ?? ErrorCode.UNEXPECTED, message: errorMessage(err).slice(0, 500) } });
    } finally {
      this.live.delete(t.name);
      if (session) {
        countSignatures(session.info.signatures);
        // The first device of each jump keeps its login open, so the jump connection (pooled,
        // closed with its last user) stays up for the devices after it: one jump login per run.
        if (session.state.kind === 'open' && !group.pinned && !this.cutShort(t.name)) group.pinned = session;
        else session.close();
      }
      leaveGroup();
    }
  }
}
