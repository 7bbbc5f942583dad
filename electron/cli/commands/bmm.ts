// `nbg bmm list`, and the keyset commands of a Nexus cluster: `nbg keysets ...` (BMM keysets)
// and `nbg bmc-keysets ...` (BMC keysets), both from keysets.ts.
import type { AzureContext } from '../../core/azure/context';
import { BMC_KEYSETS, BMM_KEYSETS } from '../../core/azure/keyset-kinds';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption as json, printJson, table } from '../runtime';
import { azureContext, defaultAzureCliDeps, tokenSourceOption, type AzureCliDeps } from './azure-support';
import { keysetCommands } from './keysets';

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
    ...keysetCommands(BMM_KEYSETS, clusterOf),
    ...keysetCommands(BMC_KEYSETS, clusterOf),
  ];
}
