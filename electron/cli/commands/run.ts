// `nbg run`: the same read-only commands on many fabric devices at once — "what does show bgp
// summary say on every CE?" — through each fabric's jump host, planned as `nbg connect` plans one
// device. The commands are checked against the read-only rules before anything is dialled.
import path from 'node:path';
import { NbgError } from '../../../native/errors';
import type { InventoryService } from '../../core/azure/inventory-service';
import { FleetRun, touchLabel, type FleetRunResult, type FleetTarget } from '../../core/fleet/fleet-run';
import { assertReadOnly } from '../../core/fleet/read-only';
import { KnownHostsStore } from '../../core/ssh/known-hosts-store';
import { routeOf } from '../../core/ssh/sessions/sessions-service';
import { ErrorCode } from '../../shared/error-codes';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption, keyDirOption, pinStdinOption, printJson } from '../runtime';
import { azureServicesFor, defaultAzureCliDeps } from './azure-support';

const strings = (v: OptionValues[string]): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

interface Chosen { fabricId: string; fabricName: string; deviceId: string; name: string }

/** The devices named by --fabric, --role and --device (each a name, host name or ARM id). */
async function chooseDevices(io: CliIo, inventory: InventoryService, values: OptionValues): Promise<Chosen[]> {
  const fabricsWanted = strings(values.fabric).map((f) => f.toLowerCase());
  const roles = strings(values.role).map((r) => r.toLowerCase());
  const devicesWanted = strings(values.device).map((d) => d.toLowerCase());
  const fabrics = (await inventory.fabrics(false)).filter((f) => !fabricsWanted.length
    || fabricsWanted.includes(f.name.toLowerCase()) || fabricsWanted.includes(f.id.toLowerCase()));
  if (fabricsWanted.length && !fabrics.length) throw new NbgError(ErrorCode.UNKNOWN_FABRIC, `no fabric ${strings(values.fabric).join(', ')} in the inventory; run 'nbg fabrics'`);
  const chosen: Chosen[] = [];
  const found = new Set<string>();
  for (const f of fabrics) {
    if (f.offline) io.stderr.write(`nbg: Azure is unreachable; ${f.name}'s devices are from the inventory cached ${new Date(f.lastSynced).toISOString()}\n`);
    for (const d of await inventory.devices(f.id)) {
      const names = [d.id, d.name, d.hostName].map((n) => n.toLowerCase());
      const named = names.find((n) => devicesWanted.includes(n));
      if (devicesWanted.length && !named) continue;
      if (roles.length && !roles.includes(d.role.toLowerCase())) continue;
      if (named) found.add(named);
      chosen.push({ fabricId: f.id, fabricName: f.name, deviceId: d.id, name: d.name });
    }
  }
  const missing = devicesWanted.filter((d) => !found.has(d));
  if (missing.length) throw new NbgError(ErrorCode.UNKNOWN_DEVICE, `no device ${missing.join(', ')} in the chosen fabrics; run 'nbg devices FABRIC'`);
  if (!chosen.length) throw new NbgError(ErrorCode.FLEET_NO_DEVICES, 'no device matches --fabric, --role and --device');
  return chosen;
}

function printResults(io: CliIo, r: FleetRunResult): void {
  for (const d of r.devices) {
    io.stdout.write(`=== ${d.name} (${d.fabric}, via ${d.via}${d.path === 'backup' ? ', backup path' : ''}): ${d.status}, ${(d.durationMs / 1000).toFixed(1)} s${d.error ? ` — ${d.error.message}` : ''}\n`);
    for (const c of d.commands) {
      io.stdout.write(`--- ${c.command} (exit ${c.exitCode ?? '?'})\n${c.output}${c.output.endsWith('\n') || !c.output ? '' : '\n'}${c.stderr}`);
    }
  }
}

const run: CommandSpec = {
  path: ['run'],
  options: {
    ...keyDirOption, ...pinStdinOption, ...jsonOption,
    fabric: { type: 'string', multiple: true },
    role: { type: 'string', multiple: true },
    device: { type: 'string', multiple: true },
    'per-jump': { type: 'string' },
    agent: { type: 'string' },
    record: { type: 'boolean' },
    'known-hosts': { type: 'string' },
    'accept-new': { type: 'boolean' },
    'token-source': { type: 'string' },
  },
  positionals: true,
  async run({ values, positionals, io }) {
    if (!positionals.length) throw new UsageError('give the commands after --, e.g. nbg run --role ToR -- "show version"');
    // Before the inventory, before any login: a refused command costs nothing.
    assertReadOnly(positionals);
    const perJump = values['per-jump'] === undefined ? undefined : Number(values['per-jump']);
    if (perJump !== undefined && !(Number.isInteger(perJump) && perJump >= 1 && perJump <= 16)) throw new UsageError('--per-jump: a whole number from 1 to 16');
    const services = azureServicesFor(io, values, defaultAzureCliDeps);
    try {
      const inventory = await services.inventory();
      const chosen = await chooseDevices(io, inventory, values);
      const planner = await services.planner();
      const agentSock = typeof values.agent === 'string' ? values.agent : undefined;
      const agent = agentSock ? { securityKey: false, systemAgent: agentSock } : undefined;
      const targets: FleetTarget[] = [];
      for (const c of chosen) {
        const plan = await planner.plan({ fabricId: c.fabricId, deviceId: c.deviceId, path: 'primary', method: 'v2.0' });
        if (!plan.target.user) throw new UsageError('no device user name: sign in (nbg login) or set a user name template without {…}');
        const { target, chain } = routeOf(plan);
        targets.push({ name: c.name, fabric: c.fabricName, route: agent ? { target: { ...target, auth: agent }, chain: chain.map((h) => ({ ...h, auth: agent })) } : { target, chain } });
      }
      const knownHosts = typeof values['known-hosts'] === 'string' ? values['known-hosts'] : undefined;
      const manager = await services.sessionManager({
        policy: values['accept-new'] ? 'accept-new' : 'ask',
        ...(agent ? {} : { signer: await services.signer() }),
        ...(knownHosts ? { knownHosts: new KnownHostsStore({ readOnly: [], managed: path.resolve(knownHosts) }) } : {}),
      });
      const audit = await services.audit();
      const fleet = new FleetRun(targets, positionals, {
        manager, ...(audit ? { audit } : {}), ...(perJump ? { perJump } : {}), record: values.record === true,
        onProgress: (p) => {
          if (p.kind === 'login') io.stderr.write(`nbg: ${touchLabel(p)}\n`);
          else io.stderr.write(`nbg: ${p.result.name}: ${p.result.status}${p.result.path === 'backup' ? ' (backup path)' : ''}\n`);
        },
      });
      const stop = () => { io.stderr.write('nbg: stopping the run\n'); fleet.stop(); };
      process.once('SIGINT', stop);
      let result: FleetRunResult;
      try {
        result = await fleet.run();
      } finally {
        process.off('SIGINT', stop);
        manager.closeAll();
      }
      if (values.json) printJson(io, result);
      else printResults(io, result);
      return result.devices.every((d) => d.status === 'ok') ? ExitCode.Ok : ExitCode.Failed;
    } finally {
      await services.close();
    }
  },
};

export const runCommands: CommandSpec[] = [run];
