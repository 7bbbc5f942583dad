// Shared pieces of the session tests: the shared scripted prompts with session defaults, and a
// temp directory removed after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostKeyDecision } from '../../../electron/core/prompts/interaction';
import { ScriptedInteraction } from '../../support/scripted-interaction';

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
