import { createHash, randomBytes } from 'node:crypto';
import { CtapHidChannel } from '../../native/ctaphid/channel';
import { Ctap2Client } from '../../native/ctap2/client';
import type { MakeCredentialRequest } from '../../native/ctap2/make-credential';
import { type OpenSimulatorOptions, type Simulator, openSimulator } from '../../native/simulator/index';

export const PIN = '246810';

export interface Rig {
  sim: Simulator;
  channel: CtapHidChannel;
  client: Ctap2Client;
}

export async function rig(opts: OpenSimulatorOptions): Promise<Rig> {
  return reopen({ sim: await openSimulator(opts) });
}

/** A fresh channel and client on the simulator; also re-opens after a replug (old handles are dead, like real hidraw handles). */
export async function reopen(r: Pick<Rig, 'sim'>): Promise<Rig> {
  const channel = await CtapHidChannel.open(r.sim.connection());
  const client = new Ctap2Client(channel);
  await client.getInfo();
  return { sim: r.sim, channel, client };
}

export function cdh(): Buffer {
  return createHash('sha256').update(randomBytes(32)).digest();
}

/** What `ssh-keygen -t ed25519-sk -O resident -O verify-required` asks for. */
export function sshEnroll(alg: -7 | -8, userId: Buffer = Buffer.alloc(32)): MakeCredentialRequest {
  return { clientDataHash: cdh(), rpId: 'ssh:', user: { id: userId, name: 'openssh', displayName: 'openssh' }, alg, credProtect: 3, residentKey: true };
}
