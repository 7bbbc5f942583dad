// What the Azure commands (auth, keys upload/check, fabrics, bmm) share: the injected browser
// opener and key probe, the command's Azure services, and small terminal helpers.
import { inertText } from '../../shared/inert-text';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UserInteraction } from '../../../native/interaction';
import { fingerprintSha256, parsePublicKeyLine } from '../../../native/sk/publickey';
import { errorMessage, NbgError } from '../../../native/errors';
import { BrowserUnavailableError } from '../../core/auth/azure-auth';
import type { AzureContext } from '../../core/azure/context';
import { type InventoryView } from '../../core/azure/inventory';
import { type SecurityKeyFacts } from '../../core/azure/key-readiness';
import { appHome } from '../../core/paths';
import { type CliIo, type OptionValues } from '../command';
import { authenticatorFromEnv } from '../../core/keys/authenticator-factory';
import { servicesFor } from '../runtime';
import { systemOpen } from '../system-open';
import { securityKeyFacts } from '../../core/keys/keys-service';
import { ErrorCode } from '../../shared/error-codes';

export interface AzureCliDeps {
  /** Opens the sign-in page in the system browser. */
  openBrowser(url: string, io: CliIo): Promise<void>;
  /** Presence and PIN retries of the security key, for `keys check`. */
  securityKey(env: NodeJS.ProcessEnv): Promise<SecurityKeyFacts>;
}

const DEFAULT_PUB = (): string => path.join(os.homedir(), '.ssh', 'id_ed25519_sk.pub');

function systemOpener(url: string, io: CliIo): Promise<void> {
  io.stderr.write(`Opening the sign-in page in your browser. If it does not open, visit:\n  ${url}\nor run 'nbg login --device-code'.\n`);
  return systemOpen(url).catch((e: unknown) => { throw new BrowserUnavailableError(errorMessage(e)); });
}

/** Reading key presence must never prompt; any question means "no answer". */
const noPrompts: UserInteraction = {
  selectKey: async () => null,
  pin: async () => null,
  touch: () => () => {},
  confirm: async () => false,
};

async function connectedSecurityKey(env: NodeJS.ProcessEnv): Promise<SecurityKeyFacts> {
  return securityKeyFacts((await authenticatorFromEnv(env, noPrompts)).authenticator);
}

export const defaultAzureCliDeps: AzureCliDeps = { openBrowser: systemOpener, securityKey: connectedSecurityKey };

export const tokenSourceOption = { 'token-source': { type: 'string' as const } };

/** The command's services, signing in to Azure as --token-source says. */
export function azureServicesFor(io: CliIo, values: OptionValues, deps: Pick<AzureCliDeps, 'openBrowser'>) {
  return servicesFor(io, values, {
    ...(typeof values['token-source'] === 'string' ? { tokenSource: values['token-source'] } : {}),
    openBrowser: (url) => deps.openBrowser(url, io),
  }).services;
}

/** The Azure context of one command (creates the app folder first: the token cache lives there). */
export async function azureContext(io: CliIo, values: OptionValues, deps: Pick<AzureCliDeps, 'openBrowser'>): Promise<AzureContext> {
  await fs.mkdir(appHome(io.env), { recursive: true, mode: 0o700 });
  return azureServicesFor(io, values, deps).azure();
}

function ageText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

export function offlineNote(io: CliIo, inv: InventoryView): void {
  if (inv.fromCache) io.stderr.write(`nbg: Azure unreachable (${inertText(inv.offlineReason ?? 'offline')}); showing the inventory cached ${ageText(inv.ageSeconds)} ago\n`);
  for (const w of inv.warnings) io.stderr.write(`nbg: warning: ${inertText(w)}\n`);
}

export async function readPubLine(values: OptionValues): Promise<{ file: string; line: string; fingerprint: string }> {
  const file = typeof values.pub === 'string' ? values.pub : DEFAULT_PUB();
  let line: string;
  try {
    line = await fs.readFile(file, 'utf8');
  } catch {
    throw new NbgError(ErrorCode.NO_PUBLIC_KEY, `cannot read ${file}; create a key first or pass --pub FILE`);
  }
  const parsed = parsePublicKeyLine(line);
  return { file, line, fingerprint: fingerprintSha256(parsed.key.blob) };
}

export async function confirm(io: CliIo, values: OptionValues, question: string): Promise<boolean> {
  if (values.yes) return true;
  io.stderr.write(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      if (buf.includes('\n')) done();
    };
    const done = (): void => {
      io.stdin.off('data', onData);
      io.stdin.off('end', done);
      io.stdin.pause();
      resolve(buf.split('\n')[0]!.trim());
    };
    io.stdin.on('data', onData);
    io.stdin.on('end', done);
    io.stdin.resume();
  });
  return /^y(es)?$/i.test(answer);
}
