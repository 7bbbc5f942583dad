// What `nbg` commands share: the core services built for a terminal (prompts on the terminal, the
// key folder from --dir, the audit log skipped with a warning when the desktop app holds it), and
// output helpers.
import { inertText } from '../shared/inert-text';
import type { AuditLog } from '../core/audit/index';
import type { KeyStore } from '../core/keys/store';
import { appHome } from '../core/paths';
import { CoreServices, type ServiceOptions } from '../services/services';
import type { CliIo, OptionValues } from './command';
import { TerminalInteraction } from './terminal-interaction';

export const keyDirOption = { dir: { type: 'string' as const } };
export const pinStdinOption = { 'pin-stdin': { type: 'boolean' as const } };
export const jsonOption = { json: { type: 'boolean' as const } };

function interactionFor(io: CliIo, values: OptionValues): TerminalInteraction {
  return new TerminalInteraction(io, { pinFromStdin: values['pin-stdin'] === true });
}

/** The services of one command, asking on this terminal. */
export function servicesFor(io: CliIo, values: OptionValues, extra: Partial<ServiceOptions> = {}): { services: CoreServices; interaction: TerminalInteraction } {
  const interaction = interactionFor(io, values);
  const services = new CoreServices({
    home: appHome(io.env),
    env: io.env,
    interaction,
    warn: (m) => io.stderr.write(`nbg: warning: ${m}\n`),
    // A break-glass command must not fail because the log is busy, but the operator is told.
    audit: 'optional',
    ...(typeof values.dir === 'string' ? { keyDir: values.dir } : {}),
    passphrase: (file) => interaction.password({ context: { purpose: 'unlock the key file' }, user: '', host: '', prompt: `Passphrase for ${file}` }),
    ...extra,
  });
  return { services, interaction };
}

export function keyStoreFor(io: CliIo, values: OptionValues): KeyStore {
  return servicesFor(io, values).services.keyStore();
}

/**
 * The security keys and the key folder. `beforeElevating` runs before the command is handed to an
 * elevated copy of itself (it releases what that copy needs, such as the audit log's lock).
 */
export async function keysFor(io: CliIo, values: OptionValues, options: { beforeElevating?: () => Promise<void> } = {}) {
  // On non-elevated Windows, resident import and PIN changes re-run this command through UAC,
  // told where this operator's folders are.
  const { services, interaction } = servicesFor(io, values, {
    windows: {
      relaunchElevated: async () => {
        await options.beforeElevating?.();
        const { currentElevatedContext, relaunchCommandElevated } = await import('../core/keys/elevate');
        await relaunchCommandElevated(currentElevatedContext(io.env));
      },
    },
  });
  const { authenticator, transport } = await services.authenticator();
  return { interaction, authenticator, transport, store: services.keyStore() };
}

/** The audit log, or none with a warning when another process (the desktop app) holds it. */
export async function openAudit(io: CliIo) {
  return servicesFor(io, {}).services.audit();
}

/** Runs `work` with the audit log open (or none, with a warning), and closes it after. */
export async function withAudit<T>(io: CliIo, work: (audit: AuditLog | undefined) => Promise<T>): Promise<T> {
  const audit = await openAudit(io);
  try {
    return await work(audit);
  } finally {
    await audit?.close();
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Columns padded to their widest cell; the last column is not padded. */
/** Cells are Azure's and devices' words: each is printed inert (one line, controls escaped). */
export function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map((c) => inertText(c)));
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}
