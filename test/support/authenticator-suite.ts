// The authenticator suite: one list of assertions run against every key we can reach without
// hardware - solo1 (an authenticator we did not write) and both simulator profiles - through the
// real CTAPHID channel, CTAP2 client and facade. What a key does differently is a named trait of
// that key, with the reason the difference is acceptable; nothing else may differ.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Authenticator } from '../../native/authenticator/authenticator';
import { openKey, type OpenKey } from '../../native/authenticator/device';
import type { KeySource } from '../../native/authenticator/key-source';
import { AuthDataFlag } from '../../native/ctap2/authdata';
import { CredentialManagement } from '../../native/ctap2/client';
import { CoseAlg } from '../../native/ctap2/cose';
import type { CredMgmtCommand } from '../../native/ctap2/getinfo';
import { CredProtect, type MakeCredentialResult } from '../../native/ctap2/make-credential';
import { PinPermission, type PinToken } from '../../native/ctap2/pin-protocol';
import { CtapStatus, Ctap2StatusError } from '../../native/ctap2/status';
import type { HidDeviceInfo } from '../../native/hid/connection';
import { writeSkKeyPair } from '../../native/sk/keyfile';
import { encodeSkPublicKeyBlob, formatPublicKeyLine } from '../../native/sk/publickey';
import { signSshsig } from '../../native/sk/sshsig';
import type { SkKeyHandle } from '../../native/sk/types';
import type { NbgAgent } from './nbg-agent';
import { ScriptedInteraction } from './scripted-interaction';
import { runSsh, writeSshConfig } from './ssh-client';
import { startSshd } from './sshd';

/** What a key does differently from the others, each with why that is acceptable. */
export interface KeyTraits {
  /** PIN/UV auth protocols the key answers. */
  pinProtocols: (1 | 2)[];
  /** Credential management command bytes it answers. */
  credMgmtCommands: CredMgmtCommand[];
  /** getInfo lists `algorithms` (CTAP 2.1); without it the facade probes. */
  algorithmsListed: boolean;
  /** Credential management reports credProtect 3 for credentials made with level 3. */
  reportsCredProtect: boolean;
  /** Why each of the above is as it is for this key (shown in the test names). */
  why: Partial<Record<Exclude<keyof KeyTraits, 'why'>, string>>;
}

/** A kind of key: its traits are known before it starts, so test names can carry them. */
export interface KeyKind {
  name: string;
  traits: KeyTraits;
  start(): Promise<KeyUnderTest>;
}

export interface KeyUnderTest {
  source: KeySource;
  info(): HidDeviceInfo;
  /** Power cycle: lifts PIN_AUTH_BLOCKED (and, for solo1, gives it a new port). */
  powerCycle(): Promise<void>;
  /** `nbg agent` serving keyDir with this key, PIN from stdin. */
  startAgent(opts: { socket: string; pin: string; keyDir: string; home: string }): Promise<NbgAgent>;
  stop(): Promise<void>;
}

const PIN = '135790';
const NEW_PIN = '864201';
const WRONG_PIN = '000000';
const MAX_RETRIES = 8;
const CONSECUTIVE_WRONG_BEFORE_BLOCK = 3;
const RP = 'ssh:suite';

const cdh = (): Buffer => createHash('sha256').update(randomBytes(32)).digest();

/** For test names: " - differs on this key: why", or nothing where it behaves like the others. */
function traitNote(t: KeyTraits, k: Exclude<keyof KeyTraits, 'why'>): string {
  const why = t.why[k];
  return why ? ` - differs on this key: ${why}` : '';
}

async function rejectsWith(p: Promise<unknown>, status: number): Promise<Ctap2StatusError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Ctap2StatusError, `expected a CTAP status, got ${String(err)}`);
    assert.equal(err.statusName, Object.entries(CtapStatus).find(([, v]) => v === status)?.[0]);
    return err;
  }
  assert.fail(`expected status 0x${status.toString(16)}`);
}

export function authenticatorSuite(kind: KeyKind): void {
  describe(`authenticator suite: ${kind.name}`, () => suite(kind));
}

function suite(kind: KeyKind): void {
  const t = kind.traits;
  let key: KeyUnderTest;
  let open: OpenKey;
  const work = mkdtempSync(path.join(os.tmpdir(), 'nbg-auth-suite-'));
  const reopen = async (): Promise<OpenKey> => {
    await open?.close();
    open = await openKey(key.source, key.info());
    return open;
  };
  const token = (pin: string, protocol?: 1 | 2, permissions?: number): Promise<PinToken> =>
    open.client.getPinToken(pin, {
      ...(protocol ? { protocol } : {}),
      ...(open.ctap.options.pinUvAuthToken ? { permissions: permissions ?? PinPermission.MC | PinPermission.GA, ...(permissions === PinPermission.CM ? {} : { rpId: RP }) } : {}),
    });

  before(async () => {
    key = await kind.start();
    await reopen();
  });
  after(async () => {
    await open?.close();
    await key?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  describe('getInfo', () => {
    it('says FIDO2 with PIN support (no PIN yet), resident keys, credProtect and credential management', async () => {
      const c = open.ctap;
      assert.ok(c.versions.includes('FIDO_2_0'));
      assert.ok(c.extensions.includes('credProtect'));
      assert.equal(c.options.rk, true);
      assert.equal(c.options.clientPin, false);
      assert.ok(c.pinUvAuthProtocols.includes(1));
      assert.equal(c.aaguid.length, 16);
      assert.ok(c.options.credMgmt === true || c.options.credentialMgmtPreview === true);
    });

    it(`the facade lists the key with both sk types${traitNote(t, 'algorithmsListed')}`, async () => {
      assert.equal(open.ctap.algorithms !== undefined, t.algorithmsListed, 'algorithms member');
      const { keys, problems } = await new Authenticator(key.source, new ScriptedInteraction()).listKeys();
      assert.deepEqual(problems, []);
      assert.equal(keys.length, 1);
      assert.deepEqual(keys[0]?.algorithms, ['ed25519-sk', 'ecdsa-sk']);
      assert.equal(keys[0]?.pin, 'unset');
      assert.equal(keys[0]?.residentKeys, true);
      assert.equal(keys[0]?.credentialManagement, true);
    });
  });

  describe('PIN', () => {
    it('set PIN, then the key has one with all retries', async () => {
      await new Authenticator(key.source, new ScriptedInteraction()).setPin(PIN);
      await reopen();
      assert.equal(open.ctap.options.clientPin, true);
      assert.equal((await open.client.getPinRetries()).retries, MAX_RETRIES);
    });

    it('change PIN: the new one gives a token, the old one is wrong', async () => {
      await new Authenticator(key.source, new ScriptedInteraction()).changePin(PIN, NEW_PIN);
      await reopen();
      (await token(NEW_PIN)).wipe();
      const err = await rejectsWith(token(PIN), CtapStatus.PIN_INVALID);
      assert.equal(err.retriesLeft, MAX_RETRIES - 1);
      await new Authenticator(key.source, new ScriptedInteraction()).changePin(NEW_PIN, PIN);
      await reopen();
      assert.equal((await open.client.getPinRetries()).retries, MAX_RETRIES, 'a right PIN restores the retries');
    });

    it('wrong PIN: retries count down, three in a row block until a power cycle, the right one restores them', async () => {
      for (let i = 1; i < CONSECUTIVE_WRONG_BEFORE_BLOCK; i++) {
        const err = await rejectsWith(token(WRONG_PIN), CtapStatus.PIN_INVALID);
        assert.equal(err.retriesLeft, MAX_RETRIES - i);
      }
      await rejectsWith(token(WRONG_PIN), CtapStatus.PIN_AUTH_BLOCKED);
      await rejectsWith(token(PIN), CtapStatus.PIN_AUTH_BLOCKED);
      await open.close();
      await key.powerCycle();
      await reopen();
      assert.equal((await open.client.getPinRetries()).retries, MAX_RETRIES - CONSECUTIVE_WRONG_BEFORE_BLOCK);
      (await token(PIN)).wipe();
      assert.equal((await open.client.getPinRetries()).retries, MAX_RETRIES);
    });

    it(`tokens of each PIN protocol the key has (${t.pinProtocols.join(', ')}) authorise a makeCredential with UV${traitNote(t, 'pinProtocols')}`, async () => {
      assert.deepEqual([...open.ctap.pinUvAuthProtocols].sort(), [...t.pinProtocols].sort(), 'PIN protocols in getInfo');
      for (const protocol of t.pinProtocols) {
        const tok = await token(PIN, protocol);
        try {
          const r = await open.client.makeCredential({ clientDataHash: cdh(), rpId: RP, user: { id: Buffer.from([protocol]) }, alg: CoseAlg.ES256 }, tok);
          assert.ok(r.authDataParsed.flags & AuthDataFlag.UV, `protocol ${protocol}: UV flag`);
        } finally {
          tok.wipe();
        }
      }
    });
  });

  describe('credentials', () => {
    const made: MakeCredentialResult[] = [];

    it('makeCredential EdDSA and ES256, resident, credProtect 3, with UV', async () => {
      for (const [alg, user] of [[CoseAlg.EdDSA, 'ed'], [CoseAlg.ES256, 'ec']] as const) {
        const tok = await token(PIN);
        try {
          const r = await open.client.makeCredential({
            clientDataHash: cdh(), rpId: RP, user: { id: Buffer.from(user), name: user }, alg, credProtect: CredProtect.Required, residentKey: true,
          }, tok);
          assert.equal(r.alg, alg);
          assert.equal(r.credProtect, CredProtect.Required, 'the key echoes credProtect 3 in authData');
          assert.ok(r.authDataParsed.flags & AuthDataFlag.UP);
          assert.ok(r.authDataParsed.flags & AuthDataFlag.UV);
          made.push(r);
        } finally {
          tok.wipe();
        }
      }
    });

    it('credProtect 3 hides them without UV, even named in the allow list', async () => {
      await rejectsWith(open.client.getAssertion({ rpId: RP, clientDataHash: cdh() }), CtapStatus.NO_CREDENTIALS);
      for (const c of made) {
        await rejectsWith(open.client.getAssertion({ rpId: RP, clientDataHash: cdh(), allowList: [c.credentialId], userPresence: false }), CtapStatus.NO_CREDENTIALS);
      }
    });

    it('getAssertion with UV finds both, getNextAssertion gives the other; signatures verify', async () => {
      const tok = await token(PIN, undefined, PinPermission.GA);
      try {
        const first = await open.client.getAssertion({ rpId: RP, clientDataHash: cdh() }, tok);
        assert.equal(first.numberOfCredentials, 2);
        assert.ok(first.flags & AuthDataFlag.UV);
        const next = await open.client.getNextAssertion();
        const ids = [first.credentialId, next.credentialId].map((b) => b.toString('hex')).sort();
        assert.deepEqual(ids, made.map((c) => c.credentialId.toString('hex')).sort());
        for (const c of made) {
          const req = { rpId: RP, clientDataHash: cdh(), allowList: [c.credentialId] };
          const single = await token(PIN, undefined, PinPermission.GA);
          try {
            const a = await open.client.getAssertion(req, single, c);
            assert.ok(a.credentialId.equals(c.credentialId));
          } finally {
            single.wipe();
          }
        }
      } finally {
        tok.wipe();
      }
    });

    it(`credential management on every command byte the key answers (${t.credMgmtCommands.map((c) => `0x${c.toString(16)}`).join(', ')}): metadata, enumerate, delete, empty${traitNote(t, 'credMgmtCommands')}${traitNote(t, 'reportsCredProtect')}`, async () => {
      assert.equal((await (await cm()).getMetadata()).existingResidentCredentialsCount, made.length);
      for (const command of t.credMgmtCommands) {
        const m = await cm(command);
        const rps = await m.enumerateRps();
        assert.deepEqual(rps.map((r) => r.rpId), [RP], `0x${command.toString(16)}: enumerate RPs`);
        const creds = await m.enumerateCredentials(createHash('sha256').update(RP).digest());
        assert.deepEqual(creds.map((c) => c.credentialId.toString('hex')).sort(), made.map((c) => c.credentialId.toString('hex')).sort());
        for (const c of creds) {
          const reported = c.credProtect;
          if (t.reportsCredProtect || c.alg !== CoseAlg.EdDSA) assert.equal(reported, CredProtect.Required, `0x${command.toString(16)}: credProtect of ${c.alg}`);
          else assert.notEqual(reported, CredProtect.Required, 'the credProtect this key is known to misreport');
        }
      }
      // Delete one through the first command byte, the other through the last.
      const [firstCmd, lastCmd] = [t.credMgmtCommands[0] as CredMgmtCommand, t.credMgmtCommands.at(-1) as CredMgmtCommand];
      await (await cm(firstCmd)).deleteCredential((made[0] as MakeCredentialResult).credentialId);
      assert.equal((await (await cm(lastCmd)).getMetadata()).existingResidentCredentialsCount, made.length - 1);
      await (await cm(lastCmd)).deleteCredential((made[1] as MakeCredentialResult).credentialId);
      for (const command of t.credMgmtCommands) {
        const m = await cm(command);
        assert.equal((await m.getMetadata()).existingResidentCredentialsCount, 0);
        assert.deepEqual(await m.enumerateRps(), [], `0x${command.toString(16)}: no RPs left`);
        assert.deepEqual(await m.enumerateCredentials(createHash('sha256').update(RP).digest()), []);
      }
    });

    /** A management session on `command` (default: the one the client picks) with a fresh token. */
    async function cm(command?: CredMgmtCommand): Promise<CredentialManagement> {
      const tok = await token(PIN, undefined, PinPermission.CM);
      if (command === undefined) return open.client.credentialManagement(tok);
      return new CredentialManagement(open.client, tok, command);
    }
  });

  describe('facade and stock OpenSSH', () => {
    const keyDir = path.join(work, 'ssh');
    const enrolled: SkKeyHandle[] = [];

    it('enroll ed25519-sk and ecdsa-sk: files that ssh-keygen -y and -l read', async () => {
      mkdirSync(keyDir, { mode: 0o700 });
      const ui = new ScriptedInteraction({ defaultPin: PIN });
      const auth = new Authenticator(key.source, ui);
      for (const [type, file, user] of [['ed25519-sk', 'id_ed25519_sk', undefined], ['ecdsa-sk', 'id_ecdsa_sk', Buffer.from('ops')]] as const) {
        const r = await auth.enroll({ type, ...(user ? { userId: user } : {}) });
        assert.equal(r.handle.flags, 0x25);
        assert.equal(r.credential.credProtect, CredProtect.Required);
        const f = path.join(keyDir, file);
        await writeSkKeyPair(f, r.handle);
        const pub = readFileSync(`${f}.pub`, 'utf8');
        assert.equal(execFileSync('ssh-keygen', ['-y', '-f', f], { encoding: 'utf8' }).split(' ').slice(0, 2).join(' '), pub.split(' ').slice(0, 2).join(' '));
        const label = type === 'ed25519-sk' ? 'ED25519-SK' : 'ECDSA-SK';
        assert.match(execFileSync('ssh-keygen', ['-l', '-f', f], { encoding: 'utf8' }), new RegExp(`^256 SHA256:\\S+ .*\\(${label}\\)\\n$`));
        enrolled.push(r.handle);
      }
      assert.equal(ui.touches.length, 2, 'KEEPALIVE UPNEEDED opened one touch prompt per enroll');
    });

    it('importResident finds both with the flags ssh-keygen -K writes (0x25: credProtect 3 needs the PIN)', async () => {
      const auth = new Authenticator(key.source, new ScriptedInteraction({ defaultPin: PIN }));
      const found = await auth.importResident();
      const byKey = (h: SkKeyHandle) => h.publicKey.toString('hex');
      assert.deepEqual(found.map((k) => byKey(k.handle)).sort(), enrolled.map(byKey).sort());
      for (const k of found) {
        assert.equal(k.handle.flags, 0x25, `${k.handle.type}: flags`);
        assert.equal(k.handle.application, 'ssh:');
      }
    });

    it('signs SSHSIG that ssh-keygen -Y verify accepts', async () => {
      const auth = new Authenticator(key.source, new ScriptedInteraction({ defaultPin: PIN }));
      for (const handle of enrolled) {
        const message = Buffer.from(`suite message for ${handle.type}`);
        const sig = await signSshsig({
          publicKey: handle, namespace: 'file', message,
          signer: async (data) => (await auth.sign(handle, data, { context: { purpose: 'sign a test message' } })).assertion,
        });
        const signers = path.join(work, 'allowed_signers');
        writeFileSync(signers, `suite@nbg ${formatPublicKeyLine(encodeSkPublicKeyBlob(handle), 'x')}\n`);
        const sigFile = path.join(work, 'msg.sig');
        writeFileSync(sigFile, sig);
        const out = execFileSync('ssh-keygen', ['-Y', 'verify', '-f', signers, '-I', 'suite@nbg', '-n', 'file', '-s', sigFile], { input: message, encoding: 'utf8' });
        assert.match(out, /Good "file" signature for suite@nbg/);
      }
    });

    it('logs in to a verify-required sshd through nbg agent', async () => {
      await open.close();
      const line = readFileSync(path.join(keyDir, 'id_ed25519_sk.pub'), 'utf8').trim();
      const sshd = await startSshd({ authorizedKeys: [line], verifyRequired: true });
      const agent = await key.startAgent({ socket: path.join(work, 'agent.sock'), pin: PIN, keyDir, home: path.join(work, 'home') });
      try {
        const config = await writeSshConfig(work, agent.socket);
        const r = await runSsh(config, ['-p', String(sshd.port), `${sshd.user}@${sshd.host}`, 'echo logged-in-by-$USER']);
        assert.equal(r.code, 0, `${r.stderr}\nagent: ${agent.stderr()}`);
        assert.equal(r.stdout.trim(), `logged-in-by-${sshd.user}`);
      } finally {
        await agent.stop();
        await sshd.stop();
        await reopen();
      }
    });
  });
}
