// `nbg fabrics` and `nbg devices`: the fabrics the operator holds a role on, and their devices.
// `nbg fabric passwords` and `nbg fabric rotate-passwords`: the fabric's Method D v1.5 password
// rotation, where it stands device by device, and the fabric-wide rotation (audited).
import { NbgError } from '../../../native/errors';
import type { AzureContext } from '../../core/azure/context';
import type { RotationOutcome } from '../../core/azure/fabric-passwords';
import { devicesOf, findFabric, type FabricInfo, type InventoryView } from '../../core/azure/inventory';
import type { PasswordRotationView } from '../../shared/inventory';
import { inertText } from '../../shared/inert-text';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption as json, openAudit, printJson, table } from '../runtime';
import { ErrorCode } from '../../shared/error-codes';
import { azureContext, confirm, defaultAzureCliDeps, offlineNote, tokenSourceOption, type AzureCliDeps } from './azure-support';

function fabricNamed(inv: InventoryView, name: string): FabricInfo {
  const f = findFabric(inv, name);
  if (!f) throw new NbgError(ErrorCode.UNKNOWN_FABRIC, `no fabric '${name}' in the inventory; run 'nbg fabrics'`);
  if ('ambiguous' in f) throw new NbgError(ErrorCode.AMBIGUOUS_FABRIC, `several fabrics are named '${name}'; pass the ARM id: ${f.ambiguous.map((x) => x.id).join(', ')}`);
  return f;
}

const STATE_WORDS: Record<PasswordRotationView['devices'][number]['state'], string> = {
  current: 'latest', older: 'OLDER', synchronizing: 'ROTATING', 'out-of-sync': 'OUT OF SYNC', unknown: 'unknown',
};

export function printRotation(io: CliIo, v: PasswordRotationView): void {
  io.stdout.write(`${inertText(v.summary)}\n`);
  if (v.lastRotationTime) io.stdout.write(`Last rotation: ${inertText(v.lastRotationTime)}${v.activePasswordSets !== undefined ? `; password sets in use: ${v.activePasswordSets}` : ''}\n`);
  io.stdout.write(table([['DEVICE', 'HOST', 'PASSWORD', 'DETAIL'], ...v.devices.map((d) => [d.name, d.hostName ?? '-', STATE_WORDS[d.state], d.detail])]));
}

function printOutcome(io: CliIo, o: RotationOutcome): void {
  if (o.status.toLowerCase() === 'succeeded') io.stdout.write('Passwords rotated on every device.\n');
  else io.stdout.write(`The rotation ended ${inertText(o.status)}${o.error ? `: ${inertText(`${o.error.code}: ${o.error.message}`)}` : ''}\n`);
  if (o.devices.length) io.stdout.write(table([['DEVICE', 'ROTATED', 'REASON'], ...o.devices.map((d) => [d.name, d.ok ? 'yes' : 'NO', d.reason ?? ''])]));
}

export function createFabricCommands(deps: AzureCliDeps = defaultAzureCliDeps): CommandSpec[] {
  const ctx = (io: CliIo, values: OptionValues): Promise<AzureContext> => azureContext(io, values, deps);

  return [
    {
      path: ['fabrics'], options: { ...json, offline: { type: 'boolean' }, ...tokenSourceOption },
      async run({ values, io }) {
        const inv = await (await ctx(io, values)).inventory.load({ offline: Boolean(values.offline) });
        offlineNote(io, inv);
        if (values.json) {
          printJson(io, { fetchedAt: inv.fetchedAt, fromCache: inv.fromCache, ageSeconds: inv.ageSeconds, source: inv.source, warnings: inv.warnings, fabrics: inv.fabrics });
        } else {
          io.stdout.write(table([['NAME', 'SUBSCRIPTION', 'ROLE', 'VIA GROUP', 'DEVICES'], ...inv.fabrics.map((f) => [
            f.name, f.subscriptionName || f.subscriptionId, f.roleUnknown ? 'unknown' : f.role ?? 'none', f.viaGroup ? 'yes' : 'no', String(f.deviceCount),
          ])]));
        }
        return ExitCode.Ok;
      },
    },
    {
      path: ['devices'], options: { ...json, offline: { type: 'boolean' }, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one fabric (its name or ARM id)');
        const inv = await (await ctx(io, values)).inventory.load({ offline: Boolean(values.offline) });
        offlineNote(io, inv);
        const f = fabricNamed(inv, positionals[0]!);
        const devices = devicesOf(inv, f);
        if (values.json) printJson(io, { fabric: f, fromCache: inv.fromCache, ageSeconds: inv.ageSeconds, devices });
        else {
          io.stdout.write(table([['NAME', 'ROLE', 'HOST', 'MGMT IPV4', 'MGMT IPV6', 'ADMIN', 'CONFIG', 'PROVISIONING'], ...devices.map((d) => [
            d.name, d.role, d.hostName, d.managementIpv4 ?? '-', d.managementIpv6 ?? '-', d.administrativeState || '-', d.configurationState || '-', d.provisioningState || '-',
          ])]));
        }
        return ExitCode.Ok;
      },
    },
    {
      path: ['fabric', 'passwords'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one fabric (its name or ARM id)');
        const c = await ctx(io, values);
        const f = fabricNamed(await c.inventory.load(), positionals[0]!);
        const v = await c.fabricPasswords.state(f.id);
        if (values.json) printJson(io, v);
        else printRotation(io, v);
        return ExitCode.Ok;
      },
    },
    {
      path: ['fabric', 'rotate-passwords'], options: { yes: { type: 'boolean' }, ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one fabric (its name or ARM id)');
        const c = await ctx(io, values);
        const f = fabricNamed(await c.inventory.load(), positionals[0]!);
        const before = await c.fabricPasswords.state(f.id);
        if (before.inProgress) io.stderr.write(`nbg: a rotation of ${inertText(f.name)} is already in progress.
`);
        const question = `Rotate the Method D v1.5 passwords of every device of ${inertText(f.name)} and its terminal server? `
          + 'Operators holding the old passwords must fetch the new ones from Key Vault.';
        if (!(await confirm(io, values, question))) {
          io.stderr.write('Nothing changed.\n');
          return ExitCode.Failed;
        }
        io.stderr.write('Rotating; Azure may take many minutes…\n');
        const audit = await openAudit(io);
        const outcome = await c.fabricPasswords.rotate(f.id, audit).finally(() => audit?.close());
        if (values.json) printJson(io, outcome);
        else printOutcome(io, outcome);
        return outcome.status.toLowerCase() === 'succeeded' ? ExitCode.Ok : ExitCode.Failed;
      },
    },
  ];
}
