// Fleet runs for the app: plans each chosen device as a session would (jump host, user name,
// backup address), runs the FleetRun, and keeps the latest results for export.
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import type { CommandCheck, FleetEvent, FleetReport, FleetRequest, FleetRunResult } from '../../shared/fleet';
import type { AuditSink } from '../audit/audit-log';
import type { ConnectPlanner } from '../ssh/sessions/connect-plan';
import type { SessionManager } from '../ssh/sessions/index';
import { configSessionOptions, routeOf } from '../ssh/sessions/sessions-service';
import { FleetRun, type FleetTarget } from './fleet-run';
import { readOnlyRefusal } from './read-only';
import { htmlReport } from './report';

/** Runs kept for export; older ones are forgotten. */
const KEPT_RUNS = 10;

export interface FleetService {
  check(commands: string[]): CommandCheck;
  run(request: FleetRequest, onEvent: (e: FleetEvent) => void): Promise<FleetRunResult>;
  skip(runId: string, device: string): void;
  stop(runId: string): void;
  report(runId: string, format: 'json' | 'html'): FleetReport;
}

export class FleetRunNotFoundError extends NbgError {
  constructor() {
    super(ErrorCode.FLEET_RUN_NOT_FOUND, 'That fleet run is no longer kept; run it again to export it.');
  }
}

export function fleetService(deps: {
  manager: SessionManager; planner: ConnectPlanner; audit?: AuditSink; recording: () => Promise<boolean>;
}): FleetService {
  const running = new Map<string, FleetRun>();
  const kept = new Map<string, FleetRunResult>();
  return {
    check: (commands) => ({
      refusals: commands.flatMap((command) => {
        const reason = readOnlyRefusal(command);
        return reason ? [{ command: command.slice(0, 256), reason }] : [];
      }),
    }),
    async run(request, onEvent) {
      const targets: FleetTarget[] = [];
      for (const d of request.devices) {
        const plan = await deps.planner.plan({ fabricId: d.fabricId, deviceId: d.deviceId, path: 'primary', method: 'v2.0' });
        targets.push({ name: plan.target.label, fabric: d.fabricId.split('/').pop() ?? d.fabricId, route: routeOf(plan), options: configSessionOptions(plan) });
      }
      const fleet: FleetRun = new FleetRun(targets, request.commands, {
        manager: deps.manager, ...(deps.audit ? { audit: deps.audit } : {}), record: await deps.recording(),
        ...(request.perJump ? { perJump: request.perJump } : {}),
        onProgress: (p) => onEvent(p.kind === 'login' ? { runId: fleet.id, ...p } : { runId: fleet.id, kind: 'device-done', result: p.result }),
      });
      running.set(fleet.id, fleet);
      onEvent({ runId: fleet.id, kind: 'started', devices: targets.map((t) => t.name) });
      try {
        const result = await fleet.run();
        kept.set(result.runId, result);
        for (const id of [...kept.keys()].slice(0, Math.max(0, kept.size - KEPT_RUNS))) kept.delete(id);
        return result;
      } finally {
        running.delete(fleet.id);
      }
    },
    skip: (runId, device) => running.get(runId)?.skip(device),
    stop: (runId) => running.get(runId)?.stop(),
    report(runId, format) {
      const result = kept.get(runId);
      if (!result) throw new FleetRunNotFoundError();
      const stamp = new Date(result.startedAt).toISOString().replace(/[:.]/g, '-');
      return format === 'json'
        ? { fileName: `fleet-run-${stamp}.json`, mimeType: 'application/json', text: `${JSON.stringify(result, null, 2)}\n` }
        : { fileName: `fleet-run-${stamp}.html`, mimeType: 'text/html', text: htmlReport(result) };
    },
  };
}
