// The desktop app's elevated step under Node with the CTAPHID simulator: the step core (what the
// elevated copy's core host runs) imports into the operator's folders named by its environment and
// sets or changes the PIN through the usual prompts; the operator's app, whose raw HID is refused,
// hands the step over and picks up the result.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Authenticator } from '../../../native/authenticator/authenticator';
import { HidAccessDeniedError } from '../../../native/hid/errors';
import type { KeySource } from '../../../native/authenticator/key-source';
import type { Core } from '../../../electron/app/dispatcher';
import type { AuditEventInput } from '../../../electron/core/audit/events';
import { composeElevatedStepCore } from '../../../electron/app/elevated-step';
import { keysService } from '../../../electron/core/keys/keys-service';
import { authenticatorFromEnv } from '../../../electron/core/keys/authenticator-factory';
import { desktopRelaunch } from '../../../electron/core/keys/elevate';
import { runElevatedStep } from '../../../electron/core/keys/elevated-step';
import { KeyStore } from '../../../electron/core/keys/store';
import type { Progress } from '../../../electron/shared/contract';
import type { Prompt, PromptAnswer } from '../../../electron/shared/prompts';
import { nbg } from '../../support/nbg';
import { ScriptedInteraction } from '../../support/scripted-interaction';

const PIN = '482916';
const NEW_PIN = '739251';
const PROMPT_WAIT_MS = 10_000;

/** Answers the step core's prompts through the contract, as the elevated window does; records them. */
function answerPrompts(core: Core, answer: (prompt: Prompt) => PromptAnswer | 'cancel'): Prompt[] {
  const seen: Prompt[] = [];
  core.onEvent((event, payload) => {
    const prompt = (payload as { prompt: Prompt | null }).prompt;
    if (event !== 'ui:prompt' || !prompt || seen.some((p) => p.id === prompt.id)) return;
    seen.push(prompt);
    if (prompt.kind === 'touch') return;
    const a = answer(prompt);
    void (a === 'cancel' ? core.invoke('core:prompt.cancel', { id: prompt.id }) : core.invoke('core:prompt.answer', { id: prompt.id, answer: a }));
  });
  return seen;
}

async function runStep(core: Core) {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      core.invoke('core:step.run', undefined),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the step did not end in time')), PROMPT_WAIT_MS); }),
    ]);
  } finally {
    clearTimeout(timer);
    await core.dispose();
  }
}

describe('the elevated step (desktop, Windows without admin rights)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nbg-step-'));
  const withPin = path.join(root, 'with-pin.json');
  /** The operator's variables, as main applies them from the context before forking the core host. */
  const operatorEnv = (sim: string, home = path.join(root, 'operator')) => ({ HOME: home, USERPROFILE: home, NBG_HOME: path.join(home, 'nbg'), NBG_SIMULATOR: sim });

  before(async () => {
    const env = { NBG_SIMULATOR: withPin, NBG_HOME: path.join(root, 'setup-home') };
    assert.equal((await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
    assert.equal((await nbg(['keys', 'enroll', '--dir', path.join(root, 'setup-keys'), '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('import: the banner names the step, the PIN is asked in the window, the keys land in the operator\'s .ssh', async () => {
    const env = operatorEnv(withPin);
    const core = await composeElevatedStepCore({ action: 'import-resident', env });
    const state = await core.invoke('core:app.state', undefined);
    assert.ok(state.ok);
    assert.deepEqual((state.value as { elevatedStep?: unknown }).elevatedStep,
      { action: 'import-resident', text: 'Importing the SSH keys stored on the security key' });
    const prompts = answerPrompts(core, () => ({ kind: 'pin', pin: PIN }));
    const reply = await runStep(core);
    assert.ok(reply.ok, JSON.stringify(reply));
    const file = path.join(env.HOME, '.ssh', 'id_ed25519_sk_rk');
    assert.deepEqual(reply.value, {
      message: `Saved 1 of 1 SSH key into ${path.join(env.HOME, '.ssh')}.`,
      details: [`Saved ${file} (${(await new KeyStore(path.join(env.HOME, '.ssh')).list())[0]?.fingerprint})`],
    });
    assert.deepEqual(prompts.map((p) => p.kind), ['pin']);
    assert.ok(existsSync(`${file}.pub`));
  });

  it('PIN management sets a PIN on a key without one and changes it on a key with one (current PIN first)', async () => {
    const fresh = path.join(root, 'fresh.json');
    const setCore = await composeElevatedStepCore({ action: 'pin-management', env: operatorEnv(fresh) });
    const setPrompts = answerPrompts(setCore, (p) => (p.kind === 'new-pin' ? { kind: 'new-pin', pin: PIN } : 'cancel'));
    const set = await runStep(setCore);
    assert.ok(set.ok, JSON.stringify(set));
    assert.match((set.value as { message: string }).message, /^PIN set on Simulated YubiKey/);
    assert.deepEqual(setPrompts.map((p) => [p.kind, p.purpose]), [['new-pin', 'set the PIN of Simulated YubiKey 5 (fw 5.4.3) (SIM-yubikey5-fw54)']]);

    const changeCore = await composeElevatedStepCore({ action: 'pin-management', env: operatorEnv(fresh) });
    const changePrompts = answerPrompts(changeCore, (p) => (p.kind === 'pin' ? { kind: 'pin', pin: PIN } : p.kind === 'new-pin' ? { kind: 'new-pin', pin: NEW_PIN } : 'cancel'));
    const changed = await runStep(changeCore);
    assert.ok(changed.ok, JSON.stringify(changed));
    assert.match((changed.value as { message: string }).message, /^PIN changed on /);
    assert.deepEqual(changePrompts.map((p) => p.kind), ['pin', 'new-pin']);
    assert.equal((changePrompts[0] as Extract<Prompt, { kind: 'pin' }>).retriesLeft, 8, 'the tries left are read from the key first');

    // The new PIN is the key's PIN now: the old one is refused, and cancelling the new one fails the step.
    const wrongCore = await composeElevatedStepCore({ action: 'pin-management', env: operatorEnv(fresh) });
    answerPrompts(wrongCore, (p) => (p.kind === 'pin' ? { kind: 'pin', pin: PIN } : p.kind === 'new-pin' ? { kind: 'new-pin', pin: '111111' } : 'cancel'));
    const wrong = await runStep(wrongCore);
    assert.ok(!wrong.ok && /Wrong PIN/.test(wrong.error.message), JSON.stringify(wrong));
    const cancelCore = await composeElevatedStepCore({ action: 'pin-management', env: operatorEnv(fresh) });
    answerPrompts(cancelCore, (p) => (p.kind === 'pin' ? { kind: 'pin', pin: NEW_PIN } : 'cancel'));
    const cancelled = await runStep(cancelCore);
    assert.ok(!cancelled.ok && cancelled.error.code === 'CANCELLED', JSON.stringify(cancelled));
  });

  it('the operator\'s app: raw HID refused, the step runs "elevated", the app records and shows the imported key', async () => {
    const keyDir = path.join(root, 'app-operator', '.ssh');
    const denied: KeySource = {
      list: async () => [{ path: '\\\\?\\hid#vid_1050&pid_0407#fido', vendorId: 0x1050, productId: 0x0407, product: 'YubiKey 5' }],
      open: async () => { throw new HidAccessDeniedError(); },
    };
    const ui = new ScriptedInteraction({ confirmQueue: [true, true] });
    const progress: Progress[] = [];
    const audit: AuditEventInput[] = [];
    const steps: string[] = [];
    let newPinInWindow: string | null = null;
    // Stands in for main + the elevated copy: the same step, on the simulator, in the same key folder.
    const elevatedCopy = {
      relaunchElevated: async (action: 'import-resident' | 'pin-management') => {
        steps.push(action);
        const stepUi = Object.assign(new ScriptedInteraction({ defaultPin: PIN }), { newPin: async () => newPinInWindow });
        const { authenticator } = await authenticatorFromEnv({ NBG_SIMULATOR: withPin }, stepUi);
        await runElevatedStep(action, { authenticator, store: new KeyStore(keyDir), interaction: stepUi });
      },
    };
    const port = keysService({
      auth: new Authenticator(denied, ui, { platform: 'win32', webauthn: () => null, relaunchElevated: desktopRelaunch(elevatedCopy, (p) => progress.push(p)) }),
      store: new KeyStore(keyDir), interaction: ui, transport: 'hid',
      audit: { append: async (e) => { audit.push(e); return e as never; } },
      readiness: async () => ({ checks: [], checkedAt: 0 }), upload: async () => undefined,
    });
    const key = await port.importResident();
    assert.equal(key.path, path.join(keyDir, 'id_ed25519_sk_rk'));
    assert.equal(key.resident, true);
    assert.equal(ui.confirms[0]?.kind, 'elevate');
    assert.deepEqual(audit.map((e) => [e.type, (e as { transport?: string }).transport, (e as { keyFingerprint?: string }).keyFingerprint]),
      [['enroll', 'import', key.fingerprint]], 'recorded once, by the app that holds the log');
    assert.deepEqual(progress.map((p) => p.done), [false, true]);

    // PIN management: when the step in the window fails (its new PIN was cancelled there) the app
    // says so; when it succeeds there, setting the PIN succeeds here.
    const keyId = '\\\\?\\hid#vid_1050&pid_0407#fido';
    await assert.rejects(port.setPin(keyId, NEW_PIN), { code: 'ELEVATED_STEP_FAILED' });
    assert.equal(progress.at(-1)?.step, 'The Administrator window did not finish this step.');
    newPinInWindow = NEW_PIN;
    ui.confirmQueue = [true];
    await port.setPin(keyId, NEW_PIN);
    assert.equal(progress.at(-1)?.step, 'Done in the Administrator window.');
    assert.deepEqual(steps, ['import-resident', 'pin-management', 'pin-management']);
    const { authenticator } = await authenticatorFromEnv({ NBG_SIMULATOR: withPin }, new ScriptedInteraction({ defaultPin: NEW_PIN }));
    assert.equal((await authenticator.importResident()).length, 1, 'the key takes the PIN chosen in the window');
  });
});
