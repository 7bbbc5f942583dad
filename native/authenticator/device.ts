// One open security key for the length of one operation: channel, CTAP2 client, getInfo, and the
// glue that turns KEEPALIVE UPNEEDED into exactly one "touch your key" prompt with a real cancel.
import { Ctap2Client, type CallOptions } from '../ctap2/client';
import type { AuthenticatorInfo } from '../ctap2/getinfo';
import { CtapHidChannel } from '../ctaphid/channel';
import { KeepaliveStatus } from '../ctaphid/constants';
import type { HidDeviceInfo } from '../hid/connection';
import type { PromptContext, UserInteraction } from '../interaction';
import type { KeySource } from './key-source';
import { NoSecurityKeyError, CancelledError } from './errors';

export interface OpenKey {
  info: HidDeviceInfo;
  client: Ctap2Client;
  ctap: AuthenticatorInfo;
  close(): Promise<void>;
}

export function keyLabel(info: HidDeviceInfo): string {
  const name = info.product ?? `FIDO key ${info.vendorId.toString(16)}:${info.productId.toString(16)}`;
  return info.serialNumber ? `${name} (${info.serialNumber})` : name;
}

/** Picks the key to use: the only one, the one asked for, or the one the person chooses. */
export async function chooseKey(source: KeySource, interaction: UserInteraction, context: PromptContext, keyId?: string): Promise<HidDeviceInfo> {
  const keys = await source.list();
  if (keyId !== undefined) {
    const k = keys.find((d) => d.path === keyId);
    if (!k) throw new NoSecurityKeyError();
    return k;
  }
  if (keys.length === 0) throw new NoSecurityKeyError();
  if (keys.length === 1) return keys[0] as HidDeviceInfo;
  const id = await interaction.selectKey(keys.map((k) => ({ id: k.path, label: keyLabel(k) })), context);
  if (id === null) throw new CancelledError('Choosing a security key');
  const chosen = keys.find((k) => k.path === id);
  if (!chosen) throw new NoSecurityKeyError();
  return chosen;
}

export async function openKey(source: KeySource, info: HidDeviceInfo): Promise<OpenKey> {
  const connection = await source.open(info);
  try {
    const channel = await CtapHidChannel.open(connection);
    const client = new Ctap2Client(channel);
    const ctap = await client.getInfo();
    return { info, client, ctap, close: () => connection.close() };
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Call options for one operation that may wait for a touch: the first UPNEEDED keepalive opens
 * the touch prompt (once), its cancel aborts the request (CTAPHID_CANCEL), and `done()` closes it.
 */
export function touchAware(interaction: UserInteraction, context: PromptContext, outer?: AbortSignal): { opts: CallOptions; done: () => void } {
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let close: (() => void) | undefined;
  const opts: CallOptions = {
    signal: abort.signal,
    onKeepalive: (status) => {
      if (status === KeepaliveStatus.UPNEEDED && !close) close = interaction.touch(context, () => abort.abort());
    },
  };
  return {
    opts,
    done: () => {
      outer?.removeEventListener('abort', onOuterAbort);
      close?.();
      close = undefined;
    },
  };
}
