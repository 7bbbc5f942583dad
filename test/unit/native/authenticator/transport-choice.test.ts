// HID vs Windows WebAuthn vs "run this step elevated", from injected facts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HidAccessDeniedError, HidOpenError } from '../../../../native/hid/errors';
import type { UserInteraction } from '../../../../native/interaction';
import { chooseTransport, decideTransport, type KeyAction, type TransportFacts } from '../../../../native/authenticator/transport-choice';

const denied = { error: new HidAccessDeniedError() };
const win = { platform: 'win32' as const, webAuthnAvailable: true };

function interaction(answer: boolean, asked: string[]): UserInteraction {
  return {
    selectKey: async () => null, pin: async () => null, touch: () => () => undefined,
    confirm: async (q) => { asked.push(`${q.kind}: ${q.message}`); return answer; },
  };
}

function facts(over: Partial<TransportFacts<string>>): TransportFacts<string> {
  return { platform: 'win32', openHid: async () => { throw new HidAccessDeniedError(); }, webAuthnAvailable: () => true, ...over };
}

describe('decideTransport', () => {
  it('uses raw HID whenever it opens, for every action', () => {
    for (const action of ['enroll', 'sign', 'import-resident', 'pin-management'] as KeyAction[]) {
      assert.deepEqual(decideTransport(action, { opened: 'hid-1' }, win), { kind: 'hid', connection: 'hid-1' });
    }
  });

  it('falls back to webauthn.dll for enroll and sign when Windows denies HID', () => {
    assert.deepEqual(decideTransport('enroll', denied, win), { kind: 'webauthn-win' });
    assert.deepEqual(decideTransport('sign', denied, win), { kind: 'webauthn-win' });
  });

  it('asks for elevation for resident-key import and PIN management, which webauthn.dll cannot do', () => {
    for (const action of ['import-resident', 'pin-management'] as KeyAction[]) {
      const d = decideTransport(action, denied, win);
      assert.equal(d.kind, 'needs-elevation');
      assert.match((d as { reason: string }).reason, /Administrator/);
    }
  });

  it('asks for elevation for sign when webauthn.dll is not usable', () => {
    assert.equal(decideTransport('sign', denied, { platform: 'win32', webAuthnAvailable: false }).kind, 'needs-elevation');
  });

  it('surfaces other HID errors, and access denied off Windows (udev rules), unchanged', () => {
    const other = new HidOpenError();
    assert.deepEqual(decideTransport('sign', { error: other }, win), { kind: 'fail', error: other });
    assert.deepEqual(decideTransport('sign', denied, { platform: 'linux', webAuthnAvailable: false }), { kind: 'fail', error: denied.error });
  });
});

describe('chooseTransport', () => {
  it('returns the opened HID connection without consulting webauthn.dll', async () => {
    let probed = false;
    const choice = await chooseTransport('sign', facts({ openHid: async () => 'hid-7', webAuthnAvailable: () => { probed = true; return true; } }));
    assert.deepEqual(choice, { kind: 'hid', connection: 'hid-7' });
    assert.equal(probed, false);
  });

  it('chooses webauthn.dll on non-elevated Windows', async () => {
    assert.deepEqual(await chooseTransport('enroll', facts({})), { kind: 'webauthn-win' });
  });

  it('never probes webauthn.dll off Windows', async () => {
    const err = new HidAccessDeniedError();
    await assert.rejects(chooseTransport('sign', facts({ platform: 'linux', openHid: async () => { throw err; }, webAuthnAvailable: () => { throw new Error('probed'); } })),
      (e) => e === err);
  });

  it('offers to run only the raw-HID action elevated and relaunches on yes', async () => {
    const asked: string[] = [];
    const relaunched: KeyAction[] = [];
    const choice = await chooseTransport('import-resident', facts({
      interaction: interaction(true, asked),
      relaunchElevated: async (a) => { relaunched.push(a); },
      context: { purpose: 'Import keys from the YubiKey' },
    }));
    assert.deepEqual(choice, { kind: 'done-elevated', action: 'import-resident' });
    assert.deepEqual(relaunched, ['import-resident']);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /^elevate: Importing the SSH keys stored on the security key needs direct access .* Run just this step as Administrator\?/);
  });

  it('reports NEEDS_ELEVATION when the operator declines or no relaunch is possible', async () => {
    const relaunched: KeyAction[] = [];
    await assert.rejects(chooseTransport('pin-management', facts({ interaction: interaction(false, []), relaunchElevated: async (a) => { relaunched.push(a); } })),
      { code: 'NEEDS_ELEVATION', action: 'pin-management' });
    assert.deepEqual(relaunched, []);
    await assert.rejects(chooseTransport('pin-management', facts({})), { code: 'NEEDS_ELEVATION' });
  });
});
