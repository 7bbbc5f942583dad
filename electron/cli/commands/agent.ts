// `nbg agent`: the security-key SSH keys served to stock OpenSSH as an ssh-agent (Unix socket or
// Windows named pipe), every signature on record.
import { guardProcess } from '../../shared/process-guard';
import { errorMessage } from '../../../native/errors';
import { AgentServer } from '../../core/ssh/agent/server';
import type { ServiceOptions } from '../../services/services';
import { inertText } from '../../shared/inert-text';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { keyDirOption, pinStdinOption, servicesFor } from '../runtime';

/**
 * Runs until SIGINT/SIGTERM (or the signal in tests); prints the ssh-agent style environment line.
 * `extra` is the services' seam for tests (a key source other than USB or NBG_SIMULATOR).
 */
export async function serveAgent(io: CliIo, values: OptionValues, stop: AbortSignal, extra: Partial<ServiceOptions> = {}): Promise<number> {
  const { services, interaction } = servicesFor(io, values, extra);
  const signer = await services.signer();
  if ((await signer.identities()).length === 0) {
    await services.close();
    throw new UsageError(`no security-key SSH keys in ${services.keyDir}; run 'nbg keys enroll' or 'nbg keys import' first`);
  }
  const audit = await services.audit();
  const server = await AgentServer.start({
    signer,
    // Every refusal on record and on screen: a login that failed says why.
    onRefusal: (r) => {
      io.stderr.write(`nbg agent: refused ${r.origin}: ${r.reason}${r.detail ? ` (${inertText(r.detail)})` : ''}\n`);
      audit?.append({ type: 'agent-refusal', ...r }).catch((err: unknown) => io.stderr.write(`nbg agent: audit: ${inertText(errorMessage(err))}\n`));
    },
    // On Windows --socket names the pipe (\\.\pipe\...); elsewhere the socket file.
    ...(typeof values.socket === 'string' ? (process.platform === 'win32' ? { pipeName: values.socket } : { socketPath: values.socket }) : {}),
    ...(values.confirm ? {
      confirmSign: (r) => interaction.confirmSign({ keyFingerprint: r.keyFingerprint, context: r.context, origin: r.requester }),
    } : {}),
  });
  io.stdout.write(`SSH_AUTH_SOCK=${server.path}; export SSH_AUTH_SOCK;\n`);
  io.stderr.write(`nbg agent: serving ${services.keyDir} on ${server.path}; Ctrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    stop.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  await services.close();
  return ExitCode.Ok;
}

const agent: CommandSpec = {
  path: ['agent'],
  options: { ...keyDirOption, ...pinStdinOption, socket: { type: 'string' }, confirm: { type: 'boolean' } },
  async run({ values, io }) {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    // The agent outlives its clients: one client's escaped error must not end it for the others.
    const unguard = guardProcess((line) => io.stderr.write(`nbg agent: ${line}\n`));
    try {
      return await serveAgent(io, values, stop.signal);
    } finally {
      unguard();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

export const agentCommands: CommandSpec[] = [agent];
