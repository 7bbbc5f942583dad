// `nbg audit verify|export|list`: the audit log under appHome (NBG_HOME overrides).
import { AuditOutcome, type AuditFilter } from '../../shared/audit';
import { inertText } from '../../shared/inert-text';
import { describeAuditEntry, auditLogPath, exportAuditLog, renderAuditExport, verifyAuditLog } from '../../core/audit/index';
import { appHome } from '../../core/paths';
import { ExitCode, UsageError, type CommandSpec } from '../command';
import { jsonOption, printJson, servicesFor } from '../runtime';
import type { AuditVerification } from '../../core/audit/index';
import { AUDIT_WEBHOOK_SECRET } from '../../services/services';

const logFile = (env: NodeJS.ProcessEnv) => auditLogPath(appHome(env));

const verify: CommandSpec = {
  path: ['audit', 'verify'],
  options: { remote: { type: 'boolean' }, ...jsonOption },
  async run({ values, io }) {
    const file = logFile(io.env);
    const { services } = servicesFor(io, values);
    const remote = values.remote ? await services.remoteCheckpoint() : undefined;
    if (values.remote && !remote) io.stderr.write('nbg: Azure Monitor holds no checkpoint from this computer yet: nothing to compare with\n');
    const r = await verifyAuditLog(file, { anchors: await services.auditAnchors(), ...(remote ? { remote } : {}) });
    if (values.json) {
      printJson(io, { file, ok: r.ok, entries: r.entries.length, fresh: r.fresh, keyed: r.keyed ?? null, unkeyed: r.unkeyed, remote: remote ?? null, problems: r.problems, repairs: r.repairs, alerts: r.alerts });
    } else {
      io.stdout.write(`${file}: ${r.fresh ? 'no audit log has been written on this machine yet' : `${r.entries.length} entries, ${r.ok ? 'chain intact' : `${r.problems.length} problem(s)`}`}\n`);
      io.stdout.write(`  ${keyingLine(r)}\n`);
      if (remote) io.stdout.write(`  compared with the checkpoint at entry ${remote.seq} in ${remote.where}\n`);
      for (const a of r.alerts) io.stdout.write(`  ALERT entry ${a.seq}: ${a.detail}\n`);
      for (const p of r.repairs) io.stdout.write(`  note: line ${p.line} is an append cut short by a crash, recorded by entry ${p.recordedBy}\n`);
      for (const p of r.problems) {
        const where = p.seq !== undefined ? `entry ${p.seq}` : p.line !== undefined ? `line ${p.line}` : 'log';
        io.stdout.write(`  ${p.kind.toUpperCase()} ${where}: ${inertText(p.detail)}\n`);
      }
    }
    return r.ok ? ExitCode.Ok : ExitCode.Failed;
  },
};

/** How far the result can be trusted: keyed by the key store, or only hash-chained. */
function keyingLine(r: AuditVerification): string {
  if (!r.keyed) {
    return r.unkeyed > 0
      ? `not keyed: no audit key in the OS key store, so the ${r.unkeyed} entries are only hash-chained (a rewrite of the whole file would not show)`
      : 'not keyed: no audit key in the OS key store';
  }
  const old = r.unkeyed > 0 ? `; ${r.unkeyed} older entries from before keying are only hash-chained` : '';
  return `keyed: MACs checked with the key in ${r.keyed.store}, which records entry ${r.keyed.anchorSeq} as the last written${old}`;
}

const exportCmd: CommandSpec = {
  path: ['audit', 'export'],
  options: {
    format: { type: 'string', default: 'jsonl' }, out: { type: 'string' },
    device: { type: 'string' }, operator: { type: 'string' }, outcome: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
  },
  async run({ values, io }) {
    const format = values.format;
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format must be jsonl or csv, not '${String(format)}'`);
    const filter = exportFilter(values, new Date());
    const file = logFile(io.env);
    const opts = { format, ...(filter ? { filter } : {}) } as const;
    if (typeof values.out === 'string') {
      const { entries } = await exportAuditLog(file, values.out, opts);
      io.stderr.write(`wrote ${entries} entries to ${values.out}\n`);
    } else {
      io.stdout.write((await renderAuditExport(file, opts)).text);
    }
    return ExitCode.Ok;
  },
};

const RELATIVE = /^(\d{1,6})(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "24h", "7d", "30m" back from now, or a date and time (without a zone: local time). */
function instant(option: string, value: string, now: Date): string {
  const rel = RELATIVE.exec(value);
  const ms = rel ? now.getTime() - Number(rel[1]) * UNIT_MS[rel[2] as keyof typeof UNIT_MS] : Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`--${option} must be like 24h, 7d, 30m or a date and time such as 2026-12-03T08:00, not '${value}'`);
  return new Date(ms).toISOString();
}

function exportFilter(values: Record<string, unknown>, now: Date): AuditFilter | undefined {
  const text = (k: string) => (typeof values[k] === 'string' && values[k] !== '' ? values[k] : undefined);
  const [device, operator, outcome, since, until] = ['device', 'operator', 'outcome', 'since', 'until'].map(text);
  const ended = outcome === undefined ? undefined : AuditOutcome.safeParse(outcome);
  if (ended && !ended.success) throw new UsageError(`--outcome must be success, refused or failed, not '${String(outcome)}'`);
  const filter: AuditFilter = {
    ...(device ? { device } : {}), ...(operator ? { operator } : {}), ...(ended?.success ? { outcome: ended.data } : {}),
    ...(since ? { from: instant('since', since, now) } : {}), ...(until ? { to: instant('until', until, now) } : {}),
  };
  return Object.keys(filter).length ? filter : undefined;
}

const list: CommandSpec = {
  path: ['audit', 'list'],
  options: { limit: { type: 'string', default: '20' }, ...jsonOption },
  async run({ values, io }) {
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, not '${String(values.limit)}'`);
    const { entries } = await verifyAuditLog(logFile(io.env));
    const shown = entries.slice(-limit);
    if (values.json) printJson(io, shown);
    else for (const e of shown) io.stdout.write(`${String(e.seq).padStart(6)}  ${e.ts}  ${e.type.padEnd(15)}  ${inertText(describeAuditEntry(e))}\n`);
    return ExitCode.Ok;
  },
};

const forward: CommandSpec = {
  path: ['audit', 'forward'],
  options: { status: { type: 'boolean' }, 'webhook-secret-stdin': { type: 'boolean' }, ...jsonOption },
  async run({ values, io }) {
    const { services } = servicesFor(io, values);
    if (values['webhook-secret-stdin']) {
      const secret = (await readAll(io.stdin)).trim();
      if (secret.length < MIN_WEBHOOK_SECRET) throw new UsageError(`the webhook secret must be at least ${MIN_WEBHOOK_SECRET} characters`);
      await (await services.secretStore(AUDIT_WEBHOOK_SECRET)).save(Buffer.from(secret, 'utf8').toString('base64'));
      io.stderr.write('Webhook secret stored in the OS key store.\n');
    }
    const forwarder = await services.auditForwarder();
    if (!forwarder) {
      io.stderr.write('No audit forwarding is configured: set auditForward in settings.json (see the README).\n');
      return ExitCode.Failed;
    }
    const statuses = values.status ? await forwarder.status() : await forwarder.deliver();
    if (values.json) printJson(io, statuses);
    else {
      for (const s of statuses) {
        const line = `${s.sink}: ${values.status ? '' : `sent ${s.delivered}, `}${s.pending} waiting, has up to entry ${s.deliveredSeq}`;
        io.stdout.write(`${line}${s.lastError ? ` — last attempt failed: ${s.lastError}` : ''}\n`);
        if (s.diverged) io.stdout.write(`  WARNING ${s.diverged}\n`);
      }
    }
    return statuses.some((s) => s.lastError || s.diverged) ? ExitCode.Failed : ExitCode.Ok;
  },
};

const MIN_WEBHOOK_SECRET = 16;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

export const auditCommands: CommandSpec[] = [verify, exportCmd, list, forward];
