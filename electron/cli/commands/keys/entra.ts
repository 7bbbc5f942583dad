// `nbg keys upload` and `nbg keys check`: the public key in Entra and the readiness check the app shows.
import type { AzureContext } from '../../../core/azure/context';
import { entraReadiness } from '../../../core/azure/key-readiness';
import { uploadKey } from '../../../core/azure/audited';
import { ExitCode, type CliIo, type CommandSpec, type OptionValues } from '../../command';
import { jsonOption as json, openAudit, printJson } from '../../runtime';
import { azureContext, defaultAzureCliDeps, readPubLine, tokenSourceOption, type AzureCliDeps } from '../azure-support';

export function createKeysEntraCommands(deps: AzureCliDeps = defaultAzureCliDeps): CommandSpec[] {
  const ctx = (io: CliIo, values: OptionValues): Promise<AzureContext> => azureContext(io, values, deps);

  return [
    {
      path: ['keys', 'upload'], options: { pub: { type: 'string' }, ...tokenSourceOption },
      async run({ values, io }) {
        const pub = await readPubLine(values);
        const c = await ctx(io, values);
        const audit = await openAudit(io);
        const r = await uploadKey(c, pub.line, audit).finally(() => audit?.close());
        io.stdout.write(`${r.message}\n  key ${pub.fingerprint} from ${pub.file}\n`);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keys', 'check'], options: { pub: { type: 'string' }, ...json, ...tokenSourceOption },
      async run({ values, io }) {
        const c = await ctx(io, values);
        const local = await readPubLine(values).then((p) => ({ pubLine: p.line, fingerprint: p.fingerprint }), () => null);
        const report = await entraReadiness(c, { localKey: async () => local, securityKey: () => deps.securityKey(io.env) }).check();
        if (values.json) printJson(io, report);
        else for (const ch of report.checks) io.stdout.write(`${ch.state.toUpperCase().padEnd(4)}  ${ch.id.padEnd(12)}  ${ch.message}\n`);
        return report.ready ? ExitCode.Ok : ExitCode.Failed;
      },
    },
  ];
}
