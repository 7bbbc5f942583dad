// `nbg drill`: start the simulated fabric, brief the operator, and run the break-glass flow against
// it with the operator's key (the signer is injected: the authenticator facade, or the simulator
// with NBG_SIMULATOR). Without a signer the fabric runs for stock OpenSSH with the operator's own key.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NbgError } from '../../../native/errors';
import { formatPublicKeyLine } from '../../../native/sk/publickey';
import { AuditLog, AuditLogBusyError, auditLogPath } from '../../core/audit/index';
import { drillBriefing } from '../../drill/briefing';
import { drillDir, writeDrillClientFiles } from '../../drill/client-files';
import { loadDrillConfig, type DrillConfig } from '../../drill/config';
import type { DrillEvent } from '../../drill/events';
import { startDrillFabric } from '../../drill/fabric';
import { runDrillFlow } from '../../drill/flow';
import { DRILL_DEFAULT_PORT } from '../../drill/topology';
import { appHome, sshDir } from '../../core/paths';
import { AgentServer } from '../../core/ssh/agent/server';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { drillKey, type DrillKey } from '../drill-key';
import { pinStdinOption } from '../runtime';
import { ErrorCode } from '../../shared/error-codes';

export interface DrillCommandDeps {
  /** The operator's key; undefined when none is available in this process. */
  key(io: CliIo, values: OptionValues): Promise<DrillKey | undefined>;
  /** Resolves when a running drill should stop (default: Ctrl-C / SIGTERM). */
  untilStopped?(io: CliIo): Promise<void>;
}

export class DrillNoKeyError extends NbgError {
  constructor(looked: string[]) {
    super(ErrorCode.DRILL_NO_KEY, `no security key public key found (looked at ${looked.join(', ')}); plug in your key, or pass --key FILE.pub`);
  }
}

const SK_PUB_FILES = ['id_ed25519_sk.pub', 'id_ecdsa_sk.pub'];

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function publicKeyLines(key: DrillKey | undefined, keyFile: string | undefined): Promise<string[]> {
  if (key) return (await key.signer.identities()).map((id) => formatPublicKeyLine(id.publicKeyBlob, id.comment).trimEnd());
  const candidates = keyFile ? [keyFile] : SK_PUB_FILES.map((f) => path.join(sshDir(), f));
  for (const file of candidates) {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text) return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  }
  throw new DrillNoKeyError(candidates);
}

function portOption(value: unknown): number {
  const port = value === undefined ? DRILL_DEFAULT_PORT : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not '${String(value)}'`);
  return port;
}

export function createDrillCommands(deps: DrillCommandDeps): CommandSpec[] {
  const drill: CommandSpec = {
    path: ['drill'],
    options: {
      'keep-running': { type: 'boolean' },
      /** Print the drill servers' sshd-style log (logins, refusals and why, forwards, commands) to stderr. */
      log: { type: 'boolean' },
      user: { type: 'string' },
      role: { type: 'string', default: 'writer' },
      port: { type: 'string' },
      key: { type: 'string' },
      config: { type: 'string' },
      'dead-primary': { type: 'string', default: 'refused' },
      ...pinStdinOption,
    },
    async run({ values, io }) {
      const role = values.role;
      if (role !== 'reader' && role !== 'writer') throw new UsageError(`--role must be reader or writer, not '${String(role)}'`);
      const deadPrimary = values['dead-primary'];
      if (deadPrimary !== 'refused' && deadPrimary !== 'silent') throw new UsageError(`--dead-primary must be refused or silent`);
      const port = portOption(values.port);
      const user = typeof values.user === 'string' ? values.user : (io.env.USER ?? os.userInfo().username);
      const home = appHome(io.env);
      const say = (line: string) => io.stdout.write(`${line}\n`);

      const key = await deps.key(io, values);
      let config: DrillConfig;
      if (typeof values.config === 'string') {
        config = await loadDrillConfig(values.config);
        if (!config.users.some((u) => u.name === user)) throw new UsageError(`user '${user}' is not in ${values.config}; pass --user`);
      } else {
        config = { users: [{ name: user, role, keys: await publicKeyLines(key, typeof values.key === 'string' ? values.key : undefined) }] };
      }

      const fabric = await startDrillFabric({
        config, home, port, deadPrimary,
        ...(values.log ? { onEvent: (e: DrillEvent) => io.stderr.write(`[drill ${e.server}] ${e.message}\n`) } : {}),
      });
      let agent: AgentServer | undefined;
      let audit: AuditLog | undefined;
      try {
        if (key) agent = await AgentServer.start({ signer: key.signer });
        const files = await writeDrillClientFiles(fabric, drillDir(home), { user, ...(agent ? { agentSocket: agent.path } : {}) });
        io.stdout.write(drillBriefing(fabric, { sshConfigFile: files.sshConfig }));

        let failed = 0;
        if (key) {
          try {
            audit = await AuditLog.open({ file: auditLogPath(home) });
          } catch (err) {
            if (!(err instanceof AuditLogBusyError)) throw err;
            say(`\nnote: ${err.message}; this drill is not written to the audit log`);
          }
          const results = await runDrillFlow({
            fabric, signer: key.signer, interaction: key.interaction, user, knownHostsFile: files.knownHosts, report: say, ...(audit ? { audit } : {}),
          });
          failed = results.filter((r) => !r.ok).length;
          say(`\nDrill flow: ${results.length - failed} of ${results.length} steps as expected.`);
        } else {
          say('\nNo security key signer is available in this process: use stock OpenSSH with your own key (commands above).');
        }
        if (values['keep-running'] || !key) {
          say(`The drill keeps running${agent ? ` (agent socket ${agent.path})` : ''}. Press Ctrl-C to stop it.`);
          await (deps.untilStopped ?? waitForSignal)(io);
        }
        return failed ? ExitCode.Failed : ExitCode.Ok;
      } finally {
        await audit?.close();
        await agent?.close();
        await fabric.stop();
      }
    },
  };
  return [drill];
}

/** The operator's security key if one is plugged in, else the simulated drill key. */
export const drillCommands = createDrillCommands({ key: drillKey });
