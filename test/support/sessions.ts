// Shared pieces of the session tests: the shared scripted prompts with session defaults, a temp
// directory removed after the test, a jump + device sshd pair, and trust-on-first-use host keys.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostKeyDecision } from '../../electron/core/prompts/interaction';
import { KnownHostsStore } from '../../electron/core/ssh/known-hosts-store';
import type { SessionDeps } from '../../electron/core/ssh/sessions/index';
import { ScriptedInteraction } from './scripted-interaction';
import { SoftSk } from './soft-sk';
import { startSshd, type Sshd } from './sshd';

export const TEST_PIN = '246810';

/** Prompts answered like a careful operator in a test: PIN given, unknown host keys per test. */
export function sessionInteraction(hostKeyAnswer: HostKeyDecision = 'trust-once'): ScriptedInteraction {
  return new ScriptedInteraction({ defaultPin: TEST_PIN, hostKeyAnswer });
}

export function tempDir(t: { after(fn: () => void): void }, prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One soft key, a jump sshd on 127.0.0.2 and a device sshd on `deviceAddress` both accepting it; stopped after the test. */
export async function jumpAndDevice(t: { after(fn: () => unknown): void }, deviceAddress: string): Promise<{ key: SoftSk; jump: Sshd; device: Sshd }> {
  const key = new SoftSk();
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: '127.0.0.2' });
  t.after(() => jump.stop());
  const device = await startSshd({ authorizedKeys: [key.publicKeyLine], listen: deviceAddress });
  t.after(() => device.stop());
  return { key, jump, device };
}

/** Unknown host keys trusted for good into a fresh app file in `dir`. */
export function acceptNewHostKeys(dir: string): SessionDeps['hostKeys'] {
  return { store: new KnownHostsStore({ readOnly: [], managed: path.join(dir, 'known_hosts') }), policy: 'accept-new' };
}
