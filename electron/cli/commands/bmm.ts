// `nbg bmm list` and `nbg keysets ...`: bare metal machines of a Nexus cluster and their keysets.
import { inertText } from '../../shared/inert-text';
import { promises as fs } from 'node:fs';
import type { AzureContext } from '../../core/azure/context';
import { AzureValidationError } from '../../core/azure/errors';
import type { KeysetUser, PrivilegeLevel } from '../../core/azure/keyset-validation';
import { keysetDiff, type ConflictQuestion, type KeysetInfo } from '../../core/azure/networkcloud';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption as json, printJson, table } from '../runtime';
import { azureContext, confirm, defaultAzureCliDeps, tokenSourceOption, type AzureCliDeps } from './azure-support';

/** `NAME:UPN:PUBFILE` (the file path may itself contain ':'). */
async function parseUsers(values: OptionValues): Promise<KeysetUser[] | undefined> {
  const raw = values.user;
  if (raw === undefined) return undefined;
  const list = (Array.isArray(raw) ? raw : [raw]).map(String);
  return Promise.all(list.map(async (spec) => {
    const m = /^([^:]+):([^:]*):(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--user must be NAME:UPN:PUBFILE, not '${spec}'`);
    let key: string;
    try {
      key = (await fs.readFile(m[3]!, 'utf8')).trim();
    } catch {
      throw new UsageError(`--user ${m[1]}: cannot read ${m[3]}`);
    }
    return { azureUserName: m[1]!, userPrincipalName: m[2]!, sshPublicKey: key };
  }));
}

const listOf = (v: OptionValues[string]): string[] | undefined => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String));

function printKeyset(io: CliIo, k: KeysetInfo): void {
  io.stdout.write(`${inertText(`${k.name}  ${k.provisioningState}  ${k.detailedStatus}${k.detailedStatusMessage ? ` (${k.detailedStatusMessage})` : ''}`)}\n`);
  io.stdout.write(`  ${inertText(`privilege ${k.privilegeLevel}${k.privilegeLevelName ? ` (${k.privilegeLevelName})` : ''}${k.osGroupName ? `, OS group ${k.osGroupName}` : ''}, group ${k.azureGroupId}`)}\n`);
  io.stdout.write(`  ${inertText(`expires ${k.expiration}${Date.parse(k.expiration) < Date.now() ? ' (EXPIRED: every user is invalid)' : ''}; jump hosts ${k.jumpHostsAllowed.join(', ')}`)}\n`);
  io.stdout.write(table([['USER', 'UPN', 'STATUS', 'MESSAGE'], ...k.users.map((u) => [u.azureUserName, u.userPrincipalName || '(none)', u.status, u.statusMessage])]).replace(/^/gm, '  '));
}

function outputKeyset(io: CliIo, values: OptionValues, k: KeysetInfo): void {
  if (values.json) printJson(io, k);
  else printKeyset(io, k);
}

/**
 * After a 412: someone else changed the keyset. Shows their change and what ours does to the
 * latest version, and asks again; --yes does not answer this question (it was about another version).
 */
function askAfterConflict(io: CliIo, verb: string): ConflictQuestion {
  return async ({ latest, theirs, ours }) => {
    io.stderr.write(`Keyset ${latest.name} was changed by someone else since you read it:\n${theirs.lines.map((l) => `  ${l}\n`).join('') || '  (status only)\n'}`);
    io.stderr.write(`${verb} it now would, on top of that:\n${ours.lines.map((l) => `  ${l}\n`).join('') || '  (nothing)\n'}`);
    return confirm(io, {}, `${verb} the latest version?`);
  };
}

export function createBmmCommands(deps: AzureCliDeps = defaultAzureCliDeps): CommandSpec[] {
  const ctx = (io: CliIo, values: OptionValues): Promise<AzureContext> => azureContext(io, values, deps);
  /** NetworkCloud and the cluster named on the command line (by name or ARM id). */
  const clusterOf = async (io: CliIo, values: OptionValues, nameOrId: string) => {
    const nc = (await ctx(io, values)).networkCloud;
    return { nc, cluster: await nc.cluster(nameOrId) };
  };

  return [
    {
      path: ['bmm', 'list'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one cluster (its name or ARM id)');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const machines = await nc.bareMetalMachines(cluster);
        if (values.json) printJson(io, machines);
        else io.stdout.write(table([['NAME', 'MACHINE', 'OAM IPV4', 'OAM IPV6', 'POWER', 'READY', 'STATUS'], ...machines.map((m) => [
          m.name, m.machineName, m.oamIpv4 ?? '-', m.oamIpv6 ?? '-', m.powerState, m.readyState, m.detailedStatus,
        ])]));
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'list'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one cluster');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const list = await nc.keysets(cluster);
        if (values.json) printJson(io, list);
        else io.stdout.write(table([['NAME', 'PRIVILEGE', 'EXPIRES', 'USERS', 'STATUS'], ...list.map((k) => [
          k.name, k.privilegeLevel, k.expiration, String(k.users.length), k.detailedStatus,
        ])]));
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'show'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.keyset(cluster, positionals[1]!);
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'create'], options: {
        group: { type: 'string' }, expires: { type: 'string' }, 'jump-host': { type: 'string', multiple: true }, user: { type: 'string', multiple: true },
        privilege: { type: 'string', default: 'Standard' }, 'privilege-name': { type: 'string' }, 'os-group': { type: 'string' }, ...json, ...tokenSourceOption,
      },
      positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the new keyset');
        const users = await parseUsers(values);
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.createKeyset(cluster, {
          name: positionals[1]!, azureGroupId: String(values.group ?? ''), expiration: String(values.expires ?? ''),
          jumpHostsAllowed: listOf(values['jump-host']) ?? [], privilegeLevel: String(values.privilege) as PrivilegeLevel,
          ...(typeof values['privilege-name'] === 'string' ? { privilegeLevelName: values['privilege-name'] } : {}),
          ...(typeof values['os-group'] === 'string' ? { osGroupName: values['os-group'] } : {}),
          users: users ?? [],
        });
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'update'], options: { expires: { type: 'string' }, 'jump-host': { type: 'string', multiple: true }, user: { type: 'string', multiple: true }, yes: { type: 'boolean' }, ...json, ...tokenSourceOption },
      positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const users = await parseUsers(values);
        const hosts = listOf(values['jump-host']);
        const update = {
          ...(typeof values.expires === 'string' ? { expiration: values.expires } : {}),
          ...(hosts ? { jumpHostsAllowed: hosts } : {}),
          ...(users ? { users } : {}),
        };
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const current = await nc.keyset(cluster, positionals[1]!);
        const diff = keysetDiff(current, update);
        if (diff.lines.length === 0) throw new AzureValidationError(['nothing would change']);
        io.stderr.write(`Changes to ${inertText(current.name)}${users ? ' (the user list is replaced as a whole)' : ''}:\n${diff.lines.map((l) => `  ${inertText(l)}\n`).join('')}`);
        if (!(await confirm(io, values, 'Apply?'))) {
          io.stderr.write('Nothing changed.\n');
          return ExitCode.Failed;
        }
        const k = await nc.updateKeyset(cluster, current.name, update, { basis: current, ask: askAfterConflict(io, 'Updating') });
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'delete'], options: { yes: { type: 'boolean' }, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.keyset(cluster, positionals[1]!);
        if (!(await confirm(io, values, `Delete keyset ${k.name} (${k.users.length} users lose access to the machines)?`))) {
          io.stderr.write('Nothing changed.\n');
          return ExitCode.Failed;
        }
        await nc.deleteKeyset(cluster, k.name, { basis: k, ask: askAfterConflict(io, 'Deleting') });
        io.stdout.write(`Deleted keyset ${k.name}.\n`);
        return ExitCode.Ok;
      },
    },
  ];
}
