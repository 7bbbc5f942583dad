// The "Security key (through Windows Security)" route as a Windows program: the win32 `nbg` under
// Wine with no raw HID at all (node-hid's win32 build cannot start under Wine 8: its cfgmgr32 lacks
// CM_Get_Device_Interface_PropertyW) loads the stand-in webauthn.dll from System32 through koffi,
// which checks every structure and asks a software authenticator on the Linux side
// (test/support/webauthn-win). Enroll → key files stock ssh-keygen reads → sign → a login to a
// verify-required Linux sshd; Windows' failure HRESULTs and the app's cancels map as in the unit
// tests; requests that break webauthn.h's rules are refused by the DLL.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { CoseAlg } from '../../native/ctap2/cose';
import { AuthenticatorAttachment, AttestationConveyance, HResult, UserVerificationRequirement } from '../../native/webauthn-win/constants';
import { startSshd } from '../support/sshd';
import { startWebAuthnBridge, type BridgeGetAssertion, type BridgeMakeCredential } from '../support/webauthn-win/dll-bridge';
import { WINE_DLL_OVERRIDES, windowsHost, type WindowsProcess } from '../support/wine';

/** ssh-keygen's enrollment challenge: 32 random bytes, handed to Windows as the client data. */
const OPENSSH_CHALLENGE_BYTES = 32;
/** Struct versions the app writes (native/webauthn-win/constants.ts StructVersion), read back by the DLL. */
const MAKE_CREDENTIAL_OPTIONS_VERSION = 2;
const GET_ASSERTION_OPTIONS_VERSION = 3;
const CRED_PROTECT_REQUIRED = 3;
const WINDOWS_SECURITY_LABEL = 'Security key (through Windows Security)';

// The window an operator's console would be (clients/desktop-window.ts), for the whole file.
let desktopWindow: WindowsProcess | undefined;
before(async () => {
  const win = await windowsHost();
  desktopWindow = await win.spawnNode(await win.bundle(path.join(import.meta.dirname, 'clients', 'desktop-window.ts'), 'desktop-window'), []);
  await desktopWindow.waitFor(/^window 0x[0-9a-f]+$/m);
});
after(() => desktopWindow?.stop());

async function setup(t: { after(fn: () => unknown): void }, name: string) {
  const win = await windowsHost();
  const work = await fs.mkdtemp(path.join(win.profile, `${name} `));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const bridge = await startWebAuthnBridge();
  t.after(() => bridge.close());
  // No NBG_SIMULATOR: the CLI takes the USB route, which on Windows adds Windows Security.
  const env = { NBG_TEST_WEBAUTHN_PORT: String(bridge.port), NBG_HOME: win.toWindows(path.join(work, 'home')) };
  return { win, work, bridge, env };
}

test('Windows Security route end to end: enroll, key files, sign, login to a verify-required sshd', async (t) => {
  const { win, work, bridge, env } = await setup(t, 'webauthn route');
  const keyDir = path.join(work, 'keys');

  // The USB HID stack cannot start here; that is reported, and Windows Security is still offered.
  const devices = await win.nbg(['keys', 'devices', '--json'], { env });
  assert.equal(devices.code, 0, devices.stderr);
  const listed = JSON.parse(devices.stdout) as { keys: { label: string; windowsSecurity?: boolean; pin: string }[]; problems: { id: string; label: string; error: { code: string; message: string } }[] };
  assert.deepEqual(listed.keys.map((k) => [k.label, k.windowsSecurity, k.pin]), [[WINDOWS_SECURITY_LABEL, true, 'windows']]);
  assert.deepEqual(listed.problems.map((p) => [p.id, p.label, p.error.code]), [['usb://hid', 'USB keys unavailable', 'HID_UNAVAILABLE']]);
  assert.match(listed.problems[0]!.error.message, /hid_init failed/);
  const text = await win.nbg(['keys', 'devices'], { env });
  assert.match(text.stdout, /^Security key \(through Windows Security\): Windows Security asks for its PIN and touch$/m);
  assert.match(text.stdout, /^USB keys unavailable: Security keys cannot be listed: the USB HID layer failed/m);
  assert.equal(bridge.calls.length, 0, 'listing asks Windows nothing');

  // Enroll: ssh-keygen -t ed25519-sk -O resident -O verify-required, as webauthn.h structures.
  const enrolled = await win.nbg(['keys', 'enroll', '--dir', win.toWindows(keyDir), '--json'], { env });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  assert.match(enrolled.stderr, /Windows Security will ask for your PIN and touch/);
  const { file, publicKeyLine, flags } = JSON.parse(enrolled.stdout) as { file: string; publicKeyLine: string; flags: number };
  assert.equal(file, `${win.toWindows(keyDir)}\\id_ed25519_sk`);
  assert.equal(flags, 0x25, 'user presence + verify-required + resident');
  const make = bridge.calls[0] as BridgeMakeCredential;
  assert.equal(make.op, 'makeCredential');
  assert.equal(make.window, true, 'the dialog is parented to a real window (the console has none: the foreground one)');
  assert.deepEqual([make.rpId, make.rpName, make.userName, make.userDisplayName], ['ssh:', null, 'openssh', 'openssh']);
  assert.equal(make.userId.length, 32);
  assert.deepEqual(make.algs, [CoseAlg.EdDSA]);
  assert.equal(make.clientData.length, OPENSSH_CHALLENGE_BYTES, 'the raw challenge, as OpenSSH passes it, for Windows to hash');
  assert.equal(make.optionsVersion, MAKE_CREDENTIAL_OPTIONS_VERSION);
  assert.deepEqual(make.credProtect, [{ level: CRED_PROTECT_REQUIRED, require: true }]);
  assert.deepEqual([make.residentKey, make.uv, make.attachment, make.attestation, make.exclude.length, make.cancellable],
    [true, UserVerificationRequirement.Required, AuthenticatorAttachment.CrossPlatform, AttestationConveyance.Direct, 0, true]);

  // The key files: stock ssh-keygen reads them, and the public key is the authenticator's.
  const keyFile = path.join(keyDir, 'id_ed25519_sk');
  assert.match(execFileSync('ssh-keygen', ['-l', '-f', keyFile], { encoding: 'utf8' }), /ED25519-SK/);
  assert.equal(publicKeyLine.split(' ')[1], bridge.keys[0]!.blob.toString('base64'));
  assert.equal((await fs.readFile(`${keyFile}.pub`, 'utf8')).trim(), publicKeyLine);

  // Sign: a login to a verify-required sshd, the signature made by the key behind webauthn.dll.
  const sshd = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.14' });
  t.after(() => sshd.stop());
  const knownHosts = win.toWindows(path.join(work, 'known_hosts'));
  const login = await win.nbg(['ssh', '--dir', win.toWindows(keyDir), '--known-hosts', knownHosts, '--accept-new',
    `${sshd.user}@${sshd.host}:${sshd.port}`, '--', 'echo', 'from-$((6*7))'], { env });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /from-42/);
  await sshd.waitForLog(/sk_flags = 0x05/);
  const sign = bridge.calls.find((c): c is BridgeGetAssertion => c.op === 'getAssertion');
  assert.ok(sign, 'the login signed through webauthn.dll');
  assert.deepEqual([sign.rpId, sign.optionsVersion, sign.uv, sign.attachment, sign.u2fAppId, sign.cancellable, sign.window],
    ['ssh:', GET_ASSERTION_OPTIONS_VERSION, UserVerificationRequirement.Required, AuthenticatorAttachment.CrossPlatform, null, true, true]);
  assert.deepEqual(sign.allow, [bridge.keys[0]!.handle.keyHandle]);
  // The client data is the SSH userauth request itself (RFC 4252 §7), unhashed: Windows hashes it.
  const sessionIdLength = sign.clientData.readUInt32BE(0);
  assert.equal(sessionIdLength, 32, 'string session identifier (SHA-256 exchange hash)');
  for (const part of ['ssh-connection', 'publickey', 'sk-ssh-ed25519@openssh.com']) assert.ok(sign.clientData.includes(part), part);

  // ecdsa-sk without resident / verify-required: ES256, no extension, no PIN asked.
  const ecdsa = await win.nbg(['keys', 'enroll', '--type', 'ecdsa-sk', '--no-resident', '--no-verify-required', '--dir', win.toWindows(keyDir), '--json'], { env });
  assert.equal(ecdsa.code, 0, ecdsa.stderr);
  assert.equal((JSON.parse(ecdsa.stdout) as { flags: number }).flags, 0x01);
  const ecMake = bridge.calls.at(-1) as BridgeMakeCredential;
  assert.deepEqual([ecMake.algs, ecMake.credProtect, ecMake.residentKey, ecMake.uv],
    [[CoseAlg.ES256], [], false, UserVerificationRequirement.Discouraged]);
  assert.match(execFileSync('ssh-keygen', ['-l', '-f', path.join(keyDir, 'id_ecdsa_sk')], { encoding: 'utf8' }), /ECDSA-SK/);
});

test('Windows Security route: the dialog closed by the operator or a missing credential, under the CLI; no webauthn.dll, no route', async (t) => {
  const { win, work, bridge, env } = await setup(t, 'webauthn errors');
  const keyDir = path.join(work, 'keys');

  bridge.outcomes.push({ hr: HResult.E_CANCELLED });
  const cancelled = await win.nbg(['keys', 'enroll', '--dir', win.toWindows(keyDir)], { env });
  assert.equal(cancelled.code, 1);
  assert.match(cancelled.stderr, /Creating the SSH key was cancelled in the Windows Security dialog\. Nothing was changed\. \(Windows: NotAllowedError, 0x800704c7\)/);
  assert.equal(existsSync(keyDir) ? (await fs.readdir(keyDir)).length : 0, 0, 'no key file from a cancelled enrollment');

  // A key file whose credential this key does not hold: Windows answers NTE_NOT_FOUND.
  const enrolled = await win.nbg(['keys', 'enroll', '--dir', win.toWindows(keyDir), '--json'], { env });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const { publicKeyLine } = JSON.parse(enrolled.stdout) as { publicKeyLine: string };
  bridge.keys.length = 0;
  const sshd = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.15' });
  t.after(() => sshd.stop());
  const login = await win.nbg(['ssh', '--dir', win.toWindows(keyDir), '--known-hosts', win.toWindows(path.join(work, 'known_hosts')), '--accept-new',
    `${sshd.user}@${sshd.host}:${sshd.port}`, '--', 'true'], { env });
  assert.notEqual(login.code, 0);
  assert.match(login.stderr, /this security key does not hold the SSH key.*\(Windows: NotAllowedError, 0x80090011\)/);

  // Without webauthn.dll (Wine told not to load it) there is no Windows route: the HID failure is the error.
  const calls = bridge.calls.length;
  const noDll = await win.nbg(['keys', 'devices'], { env: { ...env, WINEDLLOVERRIDES: WINE_DLL_OVERRIDES.replace('webauthn=n', 'webauthn=') } });
  assert.equal(noDll.code, 1, noDll.stdout);
  assert.doesNotMatch(noDll.stdout, /Windows Security/);
  assert.match(noDll.stderr, /Security keys cannot be listed: the USB HID layer failed \(.*hid_init failed.*\)\. Windows could not start its HID device services/);
  assert.equal(bridge.calls.length, calls);
});

test('webauthn.dll through koffi: failure HRESULTs and cancels map as in the unit tests; malformed structures are refused', async (t) => {
  const { win, bridge, env } = await setup(t, 'webauthn binding');
  // The unit tests' table (test/unit/native/webauthn-win/webauthn-win.test.ts), here through the real ABI.
  const failures: [number, string][] = [
    [HResult.NTE_USER_CANCELLED, 'WEBAUTHN_CANCELLED'],
    [HResult.E_CANCELLED, 'WEBAUTHN_CANCELLED'],
    [HResult.E_TIMEOUT, 'WEBAUTHN_TIMEOUT'],
    [HResult.NTE_NOT_FOUND, 'WEBAUTHN_NOT_ALLOWED'],
    [HResult.NTE_DEVICE_NOT_FOUND, 'WEBAUTHN_NOT_ALLOWED'],
    [HResult.NTE_EXISTS, 'WEBAUTHN_CREDENTIAL_EXCLUDED'],
    [HResult.NTE_TOKEN_KEYSET_STORAGE_FULL, 'WEBAUTHN_KEY_STORAGE_FULL'],
    [HResult.NTE_NOT_SUPPORTED, 'WEBAUTHN_CONSTRAINT'],
    [HResult.E_WIN32_NOT_SUPPORTED, 'WEBAUTHN_CONSTRAINT'],
    [HResult.NTE_INVALID_PARAMETER, 'WEBAUTHN_NOT_SUPPORTED'],
    [0x80004005, 'WEBAUTHN_FAILED'],
  ];
  for (const [hr] of failures) bridge.outcomes.push({ hr }, { hr });
  bridge.outcomes.push('hold', 'hold');
  const client = await win.bundle(path.join(import.meta.dirname, 'clients', 'webauthn-client.ts'), 'webauthn-client');
  const r = await win.node(client, failures.map(([hr]) => hr.toString(16)), { env });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { kind: string });
  assert.equal(lines.at(-1)?.kind, 'done', r.stdout);

  const mapped = lines.filter((l) => l.kind === 'mapping') as unknown as { hr: number; enroll: { code: string; hresult: number; message: string }; sign: { code: string; hresult: number } }[];
  assert.deepEqual(mapped.map((m) => [m.hr, m.enroll.code, m.enroll.hresult, m.sign.code, m.sign.hresult]),
    failures.map(([hr, code]) => [hr, code, hr, code, hr]));
  for (const m of mapped) assert.match(m.enroll.message, new RegExp(`0x${m.hr.toString(16)}\\)$`));

  // Both cancels reached the DLL with the operation's cancellation id: the held call ended with NTE_USER_CANCELLED.
  const cancels = lines.filter((l) => l.kind === 'cancel');
  assert.deepEqual(cancels.map((c) => [c.by, c.code, c.hresult]), [
    ['signal', 'WEBAUTHN_CANCELLED', HResult.NTE_USER_CANCELLED],
    ['prompt', 'WEBAUTHN_CANCELLED', HResult.NTE_USER_CANCELLED],
  ]);
  await waitUntil(() => bridge.abandoned.length === 2);
  assert.deepEqual(bridge.abandoned.map((c) => c.op), ['makeCredential', 'getAssertion']);

  // The intact request reaches the authenticator; every damaged one is refused by the DLL first.
  const malformed = lines.filter((l) => l.kind === 'malformed') as unknown as { call: string; what: string; hr: number }[];
  assert.deepEqual(malformed.find((m) => m.what === 'intact'), { kind: 'malformed', call: 'makeCredential', what: 'intact', hr: HResult.S_OK });
  const refused = malformed.filter((m) => m.what !== 'intact');
  assert.deepEqual(refused.map((m) => `${m.call}: ${m.what}`), [
    'makeCredential: rp version 2', 'makeCredential: user version 0', 'makeCredential: user id of 65 bytes',
    'makeCredential: rp id with a lone surrogate', 'makeCredential: empty rp id', 'makeCredential: user name missing',
    'makeCredential: hash algorithm SHA-1', 'makeCredential: client data version 2', 'makeCredential: client data length 0',
    'makeCredential: options version 3', 'makeCredential: credProtect input of 4 bytes',
    'getAssertion: no window', 'getAssertion: rp id missing', 'getAssertion: options version 4',
    'getAssertion: credential type private-key', 'getAssertion: credential id of 0 bytes',
  ]);
  for (const m of refused) assert.equal(m.hr, HResult.NTE_INVALID_PARAMETER, `${m.call}: ${m.what}`);
  const afterCancels = bridge.calls.slice(failures.length * 2 + 2);
  assert.deepEqual(afterCancels.map((c) => c.op), ['makeCredential', 'makeCredential', 'getAssertion'],
    'only the intact request and the round trip reached the authenticator');

  // A working enroll and sign, and every result went back through its own free call.
  assert.deepEqual(lines.find((l) => l.kind === 'round-trip'), { kind: 'round-trip', flags: 0x01, outstanding: 0, wrongFrees: 0 });
});

/** Bounded wait for the bridge to see the DLL close a held connection. */
async function waitUntil(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
