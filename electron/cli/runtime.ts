// What most `nbg` commands need, built the same way everywhere: prompts, key store, the
// security keys (USB or NBG_SIMULATOR), and the audit log under NBG_HOME.
import { AuditLog, type AuditSink } from '../core/audit/audit-log';
import { auditLogPath } from '../core/audit/head-file';
import { authenticatorFromEnv } from '../core/keys/authenticator-factory';
import { currentElevatedContext, relaunchCommandElevated } from '../core/keys/elevate';
import { KeyStore } from '../core/keys/store';
import { appHome, sshDir } from '../core/paths';
import type { CliIo, OptionValues } from './command';
import { TerminalInteraction } from './terminal-interaction';

export const keyDirOption = { dir: { type: 'string' as const } };
export const pinStdinOption = { 'pin-stdin': { type: 'boolean' as const } };
export const jsonOption = { json: { type: 'boolean' as const } };

export function interactionFor(io: CliIo, values: OptionValues): TerminalInteraction {
  return new TerminalInteraction(io, { pinFromStdin: values['pin-stdin'] === true });
}

export function keyStoreFor(io: CliIo, values: OptionValues, interaction: TerminalInteraction): KeyStore {
  const dir = typeof values.dir === 'string' ? values.dir : sshDir(io.env);
  return new KeyStore(dir, (file) => interaction.password({ context: { purpose: 'unlock the key file' }, user: '', host: '', prompt: `Passphrase for ${file}` }));
}

/**
 * `beforeElevating` runs before the command is handed to an elevated copy of itself (it releases
 * what that copy needs, such as the audit log's single-writer lock).
 */
export async function keysFor(io: CliIo, values: OptionValues, options: { beforeElevating?: () => Promise<void> } = {}) {
  const interaction = interactionFor(io, values);
  // On non-elevated Windows, resident import and PIN changes re-run this command through UAC,
  // told where this operator's folders are.
  const { authenticator, transport } = await authenticatorFromEnv(io.env, interaction, {
    relaunchElevated: async () => {
      await options.beforeElevating?.();
      await relaunchCommandElevated(currentElevatedContext(io.env));
    },
  });
  return { interaction, authenticator, transport, store: keyStoreFor(io, values, interaction) };
}

/**
 * The audit log, or none with a warning when another process (the desktop app) holds it: a
 * break-glass command must not fail because the log is busy, but the operator is told.
 */
export async function openAudit(io: CliIo): Promise<(AuditSink & { close(): Promise<void> }) | undefined> {
  try {
    return await AuditLog.open({ file: auditLogPath(appHome(io.env)) });
  } catch (err) {
    io.stderr.write(`nbg: warning: audit log not written (${(err as Error).message.split('\n')[0]})\n`);
    return undefined;
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}
