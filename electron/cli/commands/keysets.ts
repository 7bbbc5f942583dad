// `nbg keysets ...` (BMM keysets) and `nbg bmc-keysets ...` (BMC keysets): one set of commands,
// built per keyset kind, so both kinds list, show, create, update (with the diff) and delete the
// same way, with the same re-read-and-ask when someone else changed the keyset meanwhile.
import { promises as fs } from 'node:fs';
import { inertText } from '../../shared/inert-text';
import { AzureValidationError } from '../../core/azure/errors';
import type { KeysetKind } from '../../core/azure/keyset-kinds';
import type { KeysetUser } from '../../core/azure/keyset-validation';
import { keysetDiff, type ClusterInfo, type ConflictQuestion, type KeysetInfo, type NetworkCloud } from '../../core/azure/networkcloud';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption as json, printJson, table } from '../runtime';
import { confirm, tokenSourceOption } from './azure-support';

/** The command word of a kind: `keysets` for BMM keysets, `bmc-keysets` for BMC keysets. */
export const keysetCommandWord = (kind: KeysetKind): string => (kind.id === 'bmm' ? 'keysets' : 'bmc-keysets');

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
  const access = k.kind === 'bmm' ? `; jump hosts ${k.jumpHostsAllowed.join(', ')}` : '';
  io.stdout.write(`${inertText(`${k.name}  ${k.provisioningState}  ${k.detailedStatus}${k.detailedStatusMessage ? ` (${k.detailedStatusMessage})` : ''}`)}\n`);
  io.stdout.write(`  ${inertText(`privilege ${k.privilegeLevel}${k.privilegeLevelName ? ` (${k.privilegeLevelName})` : ''}${k.osGroupName ? `, OS group ${k.osGroupName}` : ''}, group ${k.azureGroupId}`)}\n`);
  io.stdout.write(`  ${inertText(`expires ${k.expiration}${Date.parse(k.expiration) < Date.now() ? ' (EXPIRED: every user is invalid)' : ''}${access}`)}\n`);
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
function askAfterConflict(io: CliIo, kind: KeysetKind, verb: string): ConflictQuestion {
  return async ({ latest, theirs, ours }) => {
    io.stderr.write(`${kind.noun} ${inertText(latest.name)} was changed by someone else since you read it:\n${theirs.lines.map((l) => `  ${inertText(l)}\n`).join('') || '  (status only)\n'}`);
    io.stderr.write(`${verb} it now would, on top of that:\n${ours.lines.map((l) => `  ${inertText(l)}\n`).join('') || '  (nothing)\n'}`);
    return confirm(io, {}, `${verb} the latest version?`);
  };
}

type ClusterOf = (io: CliIo, values: OptionValues, nameOrId: string) => Promise<{ nc: NetworkCloud; cluster: ClusterInfo }>;

/** list, show, create, update and delete for one keyset kind. */
export function keysetCommands(kind: KeysetKind, clusterOf: ClusterOf): CommandSpec[] {
  const word = keysetCommandWord(kind);
  type Options = NonNullable<CommandSpec['options']>;
  // BMC keysets take no jump hosts, OS group or privilege name: the options are not offered.
  const machineOptions: Options = kind.machineAccess ? { 'jump-host': { type: 'string', multiple: true } } : {};
  const createOptions: Options = kind.machineAccess ? { 'privilege-name': { type: 'string' }, 'os-group': { type: 'string' } } : {};
  return [
    {
      path: [word, 'list'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one cluster');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const list = await nc.keysets(cluster, kind);
        if (values.json) printJson(io, list);
        else io.stdout.write(table([['NAME', 'PRIVILEGE', 'EXPIRES', 'USERS', 'STATUS'], ...list.map((k) => [
          k.name, k.privilegeLevel, k.expiration, String(k.users.length), k.detailedStatus,
        ])]));
        return ExitCode.Ok;
      },
    },
    {
      path: [word, 'show'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        outputKeyset(io, values, await nc.keyset(cluster, positionals[1]!, kind));
        return ExitCode.Ok;
      },
    },
    {
      path: [word, 'create'], options: {
        group: { type: 'string' }, expires: { type: 'string' }, user: { type: 'string', multiple: true },
        privilege: { type: 'string', default: kind.defaultPrivilege }, ...machineOptions, ...createOptions, ...json, ...tokenSourceOption,
      },
      positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the new keyset');
        const users = await parseUsers(values);
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.createKeyset(cluster, {
          name: positionals[1]!, azureGroupId: String(values.group ?? ''), expiration: String(values.expires ?? ''),
          jumpHostsAllowed: listOf(values['jump-host']) ?? [], privilegeLevel: String(values.privilege),
          ...(typeof values['privilege-name'] === 'string' ? { privilegeLevelName: values['privilege-name'] } : {}),
          ...(typeof values['os-group'] === 'string' ? { osGroupName: values['os-group'] } : {}),
          users: users ?? [],
        }, kind);
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: [word, 'update'], options: { expires: { type: 'string' }, user: { type: 'string', multiple: true }, ...machineOptions, yes: { type: 'boolean' }, ...json, ...tokenSourceOption },
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
        const current = await nc.keyset(cluster, positionals[1]!, kind);
        const diff = keysetDiff(current, update);
        if (diff.lines.length === 0) throw new AzureValidationError(['nothing would change']);
        io.stderr.write(`Changes to ${kind.noun} ${inertText(current.name)}${users ? ' (the user list is replaced as a whole)' : ''}:\n${diff.lines.map((l) => `  ${inertText(l)}\n`).join('')}`);
        if (!(await confirm(io, values, 'Apply?'))) {
          io.stderr.write('Nothing changed.\n');
          return ExitCode.Failed;
        }
        const k = await nc.updateKeyset(cluster, current.name, update, { basis: current, ask: askAfterConflict(io, kind, 'Updating'), kind });
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: [word, 'delete'], options: { yes: { type: 'boolean' }, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.keyset(cluster, positionals[1]!, kind);
        if (!(await confirm(io, values, `Delete ${kind.noun} ${inertText(k.name)} (${k.users.length} users lose access to ${kind.reach})?`))) {
          io.stderr.write('Nothing changed.\n');
          return ExitCode.Failed;
        }
        await nc.deleteKeyset(cluster, k.name, { basis: k, ask: askAfterConflict(io, kind, 'Deleting'), kind });
        io.stdout.write(`Deleted ${kind.noun} ${inertText(k.name)}.\n`);
        return ExitCode.Ok;
      },
    },
  ];
}
