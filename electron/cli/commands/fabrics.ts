// `nbg fabrics` and `nbg devices`: the fabrics the operator holds a role on, and their devices.
import { NbgError } from '../../../native/errors';
import type { AzureContext } from '../../core/azure/context';
import { devicesOf, findFabric } from '../../core/azure/inventory';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption as json, printJson, table } from '../runtime';
import { ErrorCode } from '../../shared/error-codes';
import { azureContext, defaultAzureCliDeps, offlineNote, tokenSourceOption, type AzureCliDeps } from './azure-support';

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
        const f = findFabric(inv, positionals[0]!);
        if (!f) throw new NbgError(ErrorCode.UNKNOWN_FABRIC, `no fabric '${positionals[0]}' in the inventory; run 'nbg fabrics'`);
        if ('ambiguous' in f) throw new NbgError(ErrorCode.AMBIGUOUS_FABRIC, `several fabrics are named '${positionals[0]}'; pass the ARM id: ${f.ambiguous.map((x) => x.id).join(', ')}`);
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
  ];
}
