// Change PIN on Windows without admin rights: the route decision (a key behind Windows Security has
// no PIN-change call) and `nbg keys change-pin`'s offer of Windows' own settings page.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { offerWindowsPinSettings } from '../../../../../../electron/cli/commands/keys/device';
import { systemOpenCommand } from '../../../../../../electron/cli/system-open';
import { pinChangeRoute, WINDOWS_KEY_SETTINGS_URI } from '../../../../../../electron/shared/pin-change';
import { captureIo } from '../../../../../support/nbg';

describe('pin change route', () => {
  it('sends a key behind Windows Security to Windows settings, every other key changes its PIN here', () => {
    assert.equal(pinChangeRoute('webauthn'), 'windows-settings');
    assert.equal(pinChangeRoute('hid'), 'on-key');
    assert.equal(pinChangeRoute('simulator'), 'on-key');
    assert.equal(WINDOWS_KEY_SETTINGS_URI, 'ms-settings:signinoptions');
  });

  it('opens system pages the way a double-click would', () => {
    assert.deepEqual(systemOpenCommand(WINDOWS_KEY_SETTINGS_URI, 'win32'), ['rundll32', ['url.dll,FileProtocolHandler', 'ms-settings:signinoptions']]);
    assert.deepEqual(systemOpenCommand('https://example.test/', 'linux'), ['xdg-open', ['https://example.test/']]);
  });
});

describe('nbg keys change-pin on the Windows Security route', () => {
  const asked: string[] = [];
  const answering = (yes: boolean) => ({ confirm: async (q: { message: string }) => { asked.push(q.message); return yes; } });

  it('says why, and opens Windows settings when the operator agrees', async () => {
    const io = captureIo({});
    const opened: string[] = [];
    assert.equal(await offerWindowsPinSettings(io.io, answering(true), async (t) => { opened.push(t); }), true);
    assert.deepEqual(opened, ['ms-settings:signinoptions']);
    assert.match(io.err(), /WebAuthn\) has no call to change a PIN/);
    assert.match(io.err(), /Opened Windows Settings → Sign-in options/);
    assert.match(asked.at(-1) ?? '', /Open Windows security key settings now\?/);
  });

  it('opens nothing when declined (the command goes on to the Administrator route)', async () => {
    const io = captureIo({});
    const opened: string[] = [];
    assert.equal(await offerWindowsPinSettings(io.io, answering(false), async (t) => { opened.push(t); }), false);
    assert.deepEqual(opened, []);
  });

  it('names the page to open by hand when the opener fails', async () => {
    const io = captureIo({});
    assert.equal(await offerWindowsPinSettings(io.io, answering(true), async () => { throw new Error('rundll32: ENOENT\u001b[2J'); }), true);
    assert.match(io.err(), /did not open \(rundll32: ENOENT.*\); run: start ms-settings:signinoptions/);
    assert.doesNotMatch(io.err(), /\u001b/);
  });
});
