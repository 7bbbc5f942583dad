import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drillReadiness } from '../../../../electron/drill/mode';
import { firmwareText } from '../../../../electron/core/keys/keys-service';
import { uiState } from '../../../../electron/core/ssh/sessions/sessions-service';
import type { KeyState } from '../../../../electron/shared/keys';

const LINE = 'sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t NexusIdentitySSHKey';

test('CTAP firmware versions read as YubiKey firmware', () => {
  assert.equal(firmwareText(0x050403), '5.4.3');
  assert.equal(firmwareText(0x050701), '5.7.1');
});

test('drill readiness: every check green only when key, firmware, PIN, file and registration all hold', () => {
  const state: KeyState = {
    devices: [{ id: 'sim', label: 'Simulated key', transport: 'simulator', firmware: '5.7.1', pinSet: true, pinRetries: 8 }],
    key: { path: '/h/drill/ssh/id_ed25519_sk', type: 'sk-ssh-ed25519@openssh.com', publicKey: LINE, fingerprint: 'SHA256:x', resident: true, verifyRequired: true },
  };
  const green = drillReadiness(state, `${LINE.split(' ').slice(0, 2).join(' ')} other-comment\n`);
  assert.deepEqual(green.checks.map((c) => c.status), ['ok', 'ok', 'ok', 'ok', 'ok'], 'the comment does not matter');

  const old = drillReadiness({ ...state, devices: [{ ...state.devices[0]!, firmware: '5.1.2', pinRetries: 2 }] }, LINE);
  assert.equal(old.checks.find((c) => c.id === 'firmware')?.status, 'fail');
  assert.equal(old.checks.find((c) => c.id === 'pin')?.status, 'warn');
  const none = drillReadiness({ devices: [], key: null }, undefined);
  assert.deepEqual(none.checks.map((c) => c.status), ['fail', 'unknown', 'fail', 'fail', 'fail']);
  assert.equal(drillReadiness(state, undefined).checks.find((c) => c.id === 'registered')?.status, 'fail');
});

test('session states map to what the UI shows, with operator-readable details', () => {
  assert.deepEqual(uiState({ kind: 'connecting', hop: 'jump', index: 0, total: 2, reused: false }), { state: 'connecting', detail: 'connecting jump (1/2)' });
  assert.deepEqual(uiState({ kind: 'open', route: 'backup' }), { state: 'open', detail: 'over the backup path' });
  assert.deepEqual(uiState({ kind: 'open', route: 'primary' }), { state: 'open' });
  assert.deepEqual(uiState({ kind: 'closed', reason: 'connect-failed', message: 'PATH_UNREACHABLE' }), { state: 'failed', detail: 'PATH_UNREACHABLE' });
  assert.deepEqual(uiState({ kind: 'closed', reason: 'remote-exit' }), { state: 'closed' });
});
