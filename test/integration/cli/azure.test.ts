// `nbg` Azure commands in-process against the fake Azure (fixture tenant): device-code login,
// whoami, keys upload/check, fabrics, devices, offline cache, bmm, keysets, logout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { BrowserUnavailableError } from '../../../electron/core/auth/azure-auth';
import type { AzureCliDeps } from '../../../electron/cli/commands/azure-support';
import { createAuthCommands } from '../../../electron/cli/commands/auth';
import { createBmmCommands } from '../../../electron/cli/commands/bmm';
import { createFabricCommands } from '../../../electron/cli/commands/fabrics';
import { createKeysEntraCommands } from '../../../electron/cli/commands/keys/entra';
import { runCli } from '../../../electron/cli/main';
import { FakeAzure } from '../../support/fake-azure/server';
import { FIXTURE, loadFixtureTenant } from '../../support/fake-azure/tenants';
import { skPubLine } from '../../support/fake-azure/keys';
import { json } from '../../support/fake-azure/http-util';
import { playBrowser } from '../../support/fake-azure/browser';

interface Run { code: number; stdout: string; stderr: string }

describe('nbg Azure commands against the fake Azure', () => {
  let fake: FakeAzure;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let pubFile: string;

  const nbg = async (args: string[], opts: { stdin?: string; onStderr?: (text: string) => void } = {}): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const stdin = new PassThrough();
    if (opts.stdin !== undefined) stdin.end(opts.stdin);
    const code = await runCli(args, {
      stdin,
      stdout: new Writable({ write(c, _e, cb) { stdout += String(c); cb(); } }),
      stderr: new Writable({ write(c, _e, cb) { stderr += String(c); opts.onStderr?.(String(c)); cb(); } }),
      env,
    });
    return { code, stdout, stderr };
  };

  before(async () => {
    fake = await FakeAzure.start();
    loadFixtureTenant(fake);
    home = mkdtempSync(path.join(os.tmpdir(), 'nbg-cli-azure-'));
    env = { ...fake.env(), NBG_HOME: home, NBG_TOKEN_CACHE: 'plaintext', PATH: process.env.PATH };
    pubFile = path.join(home, 'id_ed25519_sk.pub');
    writeFileSync(pubFile, skPubLine());
  });
  after(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('logs in with a device code and says who is signed in', async () => {
    const login = await nbg(['login', '--device-code'], {
      onStderr: (t) => { const code = /enter the code ([0-9A-F]+)/.exec(t)?.[1]; if (code) fake.idp.approveDeviceCode(code); },
    });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Signed in as operator@contoso.com/);
    assert.match(login.stderr, /UNENCRYPTED/, 'plaintext cache is announced');
    const who = await nbg(['whoami', '--json']);
    assert.equal(who.code, 0, who.stderr);
    assert.deepEqual({ ...JSON.parse(who.stdout), source: undefined }, { objectId: fake.idp.user.oid, tenantId: fake.idp.user.tid, username: fake.idp.user.upn, name: fake.idp.user.name, source: undefined });
    assert.ok(!who.stdout.includes('eyJ'), 'no token in the output');
  });

  it('uploads the .pub line verbatim and reports readiness', async () => {
    const up = await nbg(['keys', 'upload', '--pub', pubFile]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /uploaded.*within 4 hours/s);
    const ext = fake.graph.extensions.find((e) => e.id === 'com.nexusidentity.keys');
    assert.equal(ext?.publicKey, readFileSync(pubFile, 'utf8'), 'comment and trailing newline included');
    const again = await nbg(['keys', 'upload', '--pub', pubFile]);
    assert.match(again.stdout, /already up to date/);
    assert.equal(fake.graph.writes.length, 1, 'no second write for the same key');

    // The sign-in (previous test) and both uploads are on record, with the key's fingerprint, no token.
    const audit = await nbg(['audit', 'list', '--json']);
    const entries = JSON.parse(audit.stdout) as Array<{ type: string; outcome?: string; account?: string; keyFingerprint?: string }>;
    assert.deepEqual(entries.filter((e) => e.type === 'sign-in').map((e) => [e.account, e.outcome]), [['operator@contoso.com', 'ok']]);
    const uploads = entries.filter((e) => e.type === 'upload');
    assert.equal(uploads.length, 2);
    assert.ok(uploads.every((e) => e.outcome === 'ok' && /^SHA256:/.test(e.keyFingerprint ?? '')));
    assert.ok(!audit.stdout.includes('eyJ'), 'no token in the audit log');
    assert.equal((await nbg(['audit', 'verify'])).code, 0);

    const check = await nbg(['keys', 'check', '--pub', pubFile, '--json']);
    const report = JSON.parse(check.stdout) as { ready: boolean; checks: Array<{ id: string; state: string; message: string }>; sync?: { uploadedAt: number; expectBy: number } };
    const state = Object.fromEntries(report.checks.map((c) => [c.id, c.state]));
    assert.equal(state['local-key'], 'ok');
    assert.equal(state['entra-key'], 'ok');
    assert.equal(state.sync, 'warn', 'just uploaded: the 4-hour sync has not run');
    // Time since the upload against the sync, as a sentence and as the fact behind it.
    assert.match(report.checks.find((c) => c.id === 'sync')?.message ?? '', /^uploaded less than a minute ago — devices pick it up within 4 hours; expect it by (\d{1,2} \w{3} )?\d\d:\d\d$/);
    assert.ok(report.sync && report.sync.expectBy - report.sync.uploadedAt === 4 * 3_600_000 && Date.now() - report.sync.uploadedAt < 600_000);
    // No security key is attached to this machine.
    assert.equal(state['security-key'], 'fail');
    // The Azure half: roles held directly or one group deep, and the keysets (this operator is in none).
    assert.equal(state['fabric-role'], 'ok');
    assert.equal(state['bmm-keysets'], 'ok');
    const text = await nbg(['keys', 'check', '--pub', pubFile]);
    assert.match(text.stdout, /^OK +fabric-role +a Nexus role, held directly or through a group you are directly in, on all 2 fabrics$/m);
    assert.match(text.stdout, /^OK +bmm-keysets +you are in no bare metal machine keyset/m);
    assert.equal(check.code, 1);
  });

  it('lists fabrics with roles, skipping a forbidden subscription', async () => {
    const r = await nbg(['fabrics', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { fromCache: boolean; warnings: string[]; fabrics: Array<{ name: string; role: string | null; viaGroup: boolean; deviceCount: number }> };
    assert.equal(out.fromCache, false);
    assert.deepEqual(out.fabrics.map((f) => [f.name, f.role, f.viaGroup, f.deviceCount]), [
      ['example-fabric', 'Writer', false, 2],
      ['fabric-b', 'Reader', true, 0],
    ]);
    assert.ok(!out.fabrics.some((f) => f.name === 'fabric-locked'), 'a subscription we may not read contributes nothing');
    const text = await nbg(['fabrics']);
    assert.match(text.stdout, /^NAME\s+SUBSCRIPTION\s+ROLE\s+VIA GROUP\s+DEVICES$/m);
    assert.match(text.stdout, /^fabric-b\s+Example Subscription\s+Reader\s+yes\s+0$/m);
  });

  it('lists a fabric\'s devices with IPv6 prefix lengths stripped', async () => {
    const r = await nbg(['devices', 'EXAMPLE-FABRIC', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { devices: Array<{ name: string; managementIpv4: string; managementIpv6: string; role: string }> };
    assert.deepEqual(out.devices.map((d) => [d.name, d.role, d.managementIpv4, d.managementIpv6]), [
      ['example-device', 'CE', '10.10.10.10', '2F::1'],
      ['example-device-2', 'CE', '10.10.10.11', '2F::2'],
    ]);
    const missing = await nbg(['devices', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no fabric 'nope'/);
  });

  it('serves the cached inventory with its age when Azure is unreachable', async () => {
    fake.faults.push({ service: 'arm', times: 1000, reply: { status: 503, headers: { 'retry-after-ms': '1' }, body: { error: { code: 'ServiceUnavailable', message: 'down' } } } });
    try {
      const r = await nbg(['fabrics', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { fromCache: boolean; ageSeconds: number; fabrics: unknown[] };
      assert.equal(out.fromCache, true);
      assert.ok(out.ageSeconds >= 0 && out.ageSeconds < 600);
      assert.equal(out.fabrics.length, 2);
      assert.match(r.stderr, /Azure unreachable .* showing the inventory cached \d+ s ago/);
      const d = await nbg(['devices', 'example-fabric']);
      assert.match(d.stdout, /example-device-2\s+CE\s+NFA-Device-2\s+10\.10\.10\.11\s+2F::2/);
    } finally {
      fake.faults = [];
    }
    const offline = await nbg(['fabrics', '--offline', '--json']);
    assert.equal(JSON.parse(offline.stdout).fromCache, true);
  });

  it('lists bare metal machines of a cluster by name', async () => {
    const r = await nbg(['bmm', 'list', 'clusterName', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const machines = JSON.parse(r.stdout) as Array<{ machineName: string; oamIpv4: string; powerState: string; readyState: string }>;
    assert.deepEqual(machines.map((m) => [m.machineName, m.oamIpv4, m.powerState, m.readyState]), [['r01c001', '192.0.2.1', 'On', 'True'], ['r01c002', '192.0.2.2', 'Off', 'False']]);
  });

  it('manages keysets: create, show, update with a diff and confirmation, delete', async () => {
    const keyA = path.join(home, 'a.pub');
    const keyB = path.join(home, 'b.pub');
    writeFileSync(keyA, skPubLine('alice'));
    writeFileSync(keyB, skPubLine('bob'));
    const expires = new Date(Date.now() + 30 * 86400_000).toISOString();
    const bad = await nbg(['keysets', 'create', 'clusterName', 'x', '--group', 'not-a-guid', '--expires', '2001-01-01T00:00:00Z', '--jump-host', '10.0.0.300', '--user', `alice::${keyA}`]);
    assert.equal(bad.code, 1);
    for (const m of [/name "x"/, /azureGroupId/, /in the past/, /10\.0\.0\.300/, /userPrincipalName is required/]) assert.match(bad.stderr, m);
    assert.equal(fake.arm.keysets.writes.length, 0, 'nothing sent when the input is invalid');

    const created = await nbg(['keysets', 'create', FIXTURE.clusterId, 'breakglass-ops', '--group', '0a1b2c3d-0000-4000-8000-00000000b001', '--expires', expires,
      '--jump-host', '192.0.2.10', '--jump-host', '2001:db8::10', '--user', `alice:alice@contoso.com:${keyA}`, '--user', `bob:bob@fabrikam.com:${keyB}`, '--os-group', 'nexusOps', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const k = JSON.parse(created.stdout) as { provisioningState: string; detailedStatus: string; users: Array<{ azureUserName: string; status: string }> };
    assert.equal(k.provisioningState, 'Succeeded');
    assert.equal(k.detailedStatus, 'SomeInvalid');
    assert.deepEqual(k.users.map((u) => [u.azureUserName, u.status]), [['alice', 'Active'], ['bob', 'Invalid']]);

    const list = await nbg(['keysets', 'list', 'clusterName']);
    assert.match(list.stdout, /^breakglass-ops\s+Standard\s+/m);
    assert.match(list.stdout, /^bareMetalMachineKeySetName\s+Standard\s+2022-12-31/m);

    const declined = await nbg(['keysets', 'update', 'clusterName', 'breakglass-ops', '--user', `alice:alice@contoso.com:${keyB}`], { stdin: 'n\n' });
    assert.equal(declined.code, 1);
    assert.match(declined.stderr, /- user bob \(loses access\)/);
    assert.match(declined.stderr, /~ user alice: new SSH key/);
    assert.ok(!fake.arm.keysets.writes.some((w) => w.method === 'PATCH'), 'declined: no PATCH');

    const updated = await nbg(['keysets', 'update', 'clusterName', 'breakglass-ops', '--user', `alice:alice@contoso.com:${keyB}`], { stdin: 'y\n' });
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /AllActive/);
    const show = await nbg(['keysets', 'show', 'clusterName', 'breakglass-ops', '--json']);
    const shown = JSON.parse(show.stdout) as { users: Array<{ azureUserName: string; sshPublicKey: string }>; osGroupName: string };
    assert.deepEqual(shown.users.map((u) => [u.azureUserName, u.sshPublicKey]), [['alice', readFileSync(keyB, 'utf8').trim()]]);
    assert.equal(shown.osGroupName, 'nexusOps', 'create-only field untouched by PATCH');

    // Another operator changes the keyset right after this command has read it: the DELETE's
    // If-Match meets 412, the command shows their change and asks again (--yes does not answer it).
    const stored = fake.arm.resources.get(`${FIXTURE.clusterId}/bareMetalMachineKeySets/breakglass-ops`.toLowerCase())!;
    fake.faults.push({ service: 'arm', method: 'GET', path: '/bareMetalMachineKeySets/breakglass-ops?', times: 1, respond: () => {
      const seen = json(200, structuredClone(stored));
      stored.etag = '"changed-elsewhere"';
      stored.properties = { ...stored.properties, userList: [...(stored.properties!.userList as unknown[]), { azureUserName: 'erin', userPrincipalName: 'erin@contoso.com', sshPublicKey: { keyData: skPubLine('erin') } }] };
      return seen;
    } });
    const raced = await nbg(['keysets', 'delete', 'clusterName', 'breakglass-ops', '--yes'], { stdin: 'n\n' });
    assert.equal(raced.code, 1);
    assert.match(raced.stderr, /was changed by someone else since you read it:\n  \+ user erin\n/);
    assert.match(raced.stderr, /Deleting the latest version\?/);
    assert.match(raced.stderr, /changed by someone else since it was read; nothing was changed/);
    assert.ok(fake.arm.resources.has(stored.id.toLowerCase()), 'declined: the keyset stays');

    const del = await nbg(['keysets', 'delete', 'clusterName', 'breakglass-ops', '--yes']);
    assert.equal(del.code, 0, del.stderr);
    const gone = await nbg(['keysets', 'show', 'clusterName', 'breakglass-ops']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /HTTP 404 ResourceNotFound/);
  });

  it('manages BMC keysets with the same command shape: list, create, show, update with a diff, delete', async () => {
    const keyA = path.join(home, 'bmc-a.pub');
    writeFileSync(keyA, skPubLine('alice'));
    const before = fake.arm.keysets.writes.length;
    const list = await nbg(['bmc-keysets', 'list', 'clusterName']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^bmcKeySetName\s+Administrator\s+2022-12-31/m);
    assert.doesNotMatch(list.stdout, /bareMetalMachineKeySetName/);
    const expires = new Date(Date.now() + 30 * 86400_000).toISOString();
    const refused = await nbg(['bmc-keysets', 'create', 'clusterName', 'bmc-ops', '--group', '0a1b2c3d-0000-4000-8000-00000000b001', '--expires', expires,
      '--user', `alice:alice@contoso.com:${keyA}`, '--privilege', 'Superuser']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /privilegeLevel of a BMC keyset must be one of ReadOnly, Administrator/);
    const jump = await nbg(['bmc-keysets', 'create', 'clusterName', 'bmc-ops', '--jump-host', '192.0.2.1']);
    assert.equal(jump.code, 2, 'BMC keysets take no jump hosts: the option does not exist');
    assert.equal(fake.arm.keysets.writes.length, before, 'nothing sent for refused input');

    const created = await nbg(['bmc-keysets', 'create', 'clusterName', 'bmc-ops', '--group', '0a1b2c3d-0000-4000-8000-00000000b001', '--expires', expires,
      '--user', `alice:alice@contoso.com:${keyA}`, '--privilege', 'Administrator', '--json']);
    assert.equal(created.code, 0, created.stderr);
    assert.deepEqual((({ kind, privilegeLevel, provisioningState }) => ({ kind, privilegeLevel, provisioningState }))(JSON.parse(created.stdout) as Record<string, unknown>),
      { kind: 'bmc', privilegeLevel: 'Administrator', provisioningState: 'Succeeded' });
    const show = await nbg(['bmc-keysets', 'show', 'clusterName', 'bmc-ops']);
    assert.match(show.stdout, /privilege Administrator, group 0a1b2c3d/);
    assert.doesNotMatch(show.stdout, /jump hosts/);

    const later = new Date(Date.now() + 60 * 86400_000).toISOString();
    const updated = await nbg(['bmc-keysets', 'update', 'clusterName', 'bmc-ops', '--expires', later], { stdin: 'y\n' });
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stderr, /Changes to BMC keyset bmc-ops:\n  ~ expiration /);
    const patch = fake.arm.keysets.writes.filter((w) => w.method === 'PATCH' && w.id.includes('/bmcKeySets/')).at(-1)!;
    assert.deepEqual(Object.keys((JSON.parse(patch.body) as { properties: object }).properties), ['expiration']);

    const del = await nbg(['bmc-keysets', 'delete', 'clusterName', 'bmc-ops'], { stdin: 'y\n' });
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stderr, /Delete BMC keyset bmc-ops \(1 users lose access to the baseboard management controllers\)\?/);
    assert.match(del.stdout, /Deleted BMC keyset bmc-ops\./);
  });

  it('shows the fabric\'s v1.5 password split, warns before a v1.5 login, and rotates with per-device results on record', async () => {
    const state = await nbg(['fabric', 'passwords', 'example-fabric']);
    assert.equal(state.code, 0, state.stderr);
    assert.match(state.stdout, /passwords are split: a v1\.5 password may work on some devices and not on others\. Affected: example-device\./);
    assert.match(state.stdout, /^example-device\s+NFA-Device\s+OUT OF SYNC\s+has not been given the latest password/m);

    const login = await nbg(['connect', 'NFA-Device', '--v15', '--fabric', 'example-fabric']);
    assert.match(login.stderr, /nbg: WARNING: The fabric's passwords are split/);
    assert.match(login.stderr, /nbg: WARNING: example-device has not been given the latest password \(AzureOperatorRW user password\): the password from Key Vault may be refused\./);
    // A state that cannot be read is said, and the login goes on (break-glass is when Azure fails).
    fake.faults.push({ service: 'arm', method: 'GET', path: '/networkFabrics/example-fabric?api-version=2025-07-15', times: 1,
      reply: { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no read access to the fabric' } } } });
    const unread = await nbg(['connect', 'NFA-Device', '--v15', '--fabric', 'example-fabric']);
    assert.match(unread.stderr, /nbg: the fabric's password rotation state could not be read \(.*AuthorizationFailed.*\); a v1\.5 password may not match/);
    assert.match(unread.stderr, /no jump host/i, 'then the connect goes on to planning the route');
    const keyLogin = await nbg(['connect', 'NFA-Device', '--fabric', 'example-fabric']);
    assert.doesNotMatch(keyLogin.stderr, /passwords are split/, 'a security-key login is not warned about passwords');

    const declined = await nbg(['fabric', 'rotate-passwords', 'example-fabric'], { stdin: 'n\n' });
    assert.equal(declined.code, 1);
    assert.equal(fake.arm.fabricPasswords.calls.length, 0, 'declined: nothing sent');

    fake.arm.fabricPasswords.failDevices.add('example-device');
    const rotated = await nbg(['fabric', 'rotate-passwords', 'example-fabric', '--yes']);
    fake.arm.fabricPasswords.failDevices.clear();
    assert.equal(rotated.code, 1, 'a partial rotation is not a success');
    assert.match(rotated.stdout, /The rotation ended Failed: PartialSuccess: Rotation succeeded for only some devices/);
    assert.match(rotated.stdout, /^example-device\s+NO\s+DeviceDisabled: /m);
    assert.match(rotated.stdout, /^example-device-2\s+yes/m);
    const after = await nbg(['fabric', 'passwords', 'example-fabric', '--json']);
    assert.equal((JSON.parse(after.stdout) as { activePasswordSets: number }).activePasswordSets, 2);
    const audit = await nbg(['audit', 'list', '--json']);
    const entries = JSON.parse(audit.stdout) as Array<{ type: string; fabric?: string; devicesFailed?: string[] }>;
    const entry = entries.find((e) => e.type === 'password-rotation');
    assert.deepEqual(entry && [entry.fabric, entry.devicesFailed], [FIXTURE.fabricId, ['example-device']], audit.stdout);
    assert.match((await nbg(['audit', 'list'])).stdout,
      /password-rotation\s+Password rotation of fabric .*example-fabric failed; rotated on example-fabric, example-device-2; NOT rotated on example-device: Rotation succeeded for only some devices/);
  });

  it('logs out', async () => {
    assert.equal((await nbg(['logout'])).code, 0);
    const who = await nbg(['whoami']);
    assert.equal(who.code, 1);
    assert.match(who.stdout, /Not signed in/);
  });
});

describe('nbg login with an injected browser', () => {
  let fake: FakeAzure;
  let home: string;
  before(async () => {
    fake = await FakeAzure.start();
    home = mkdtempSync(path.join(os.tmpdir(), 'nbg-cli-login-'));
  });
  after(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  const run = async (deps: AzureCliDeps, args: string[]): Promise<Run> => {
    const spec = [...createAuthCommands(deps), ...createKeysEntraCommands(deps), ...createFabricCommands(deps), ...createBmmCommands(deps)].find((c) => c.path.join(' ') === args[0])!;
    const { values, positionals } = parseArgs({ args: args.slice(1), options: spec.options ?? {}, allowPositionals: true });
    let stdout = '';
    let stderr = '';
    const code = await spec.run({
      values, positionals,
      io: {
        stdin: new PassThrough(),
        stdout: new Writable({ write(c, _e, cb) { stdout += String(c); cb(); } }),
        stderr: new Writable({ write(c, _e, cb) { stderr += String(c); const m = /enter the code ([0-9A-F]+)/.exec(String(c)); if (m) fake.idp.approveDeviceCode(m[1]!); cb(); } }),
        env: { ...fake.env(), NBG_HOME: home, NBG_TOKEN_CACHE: 'plaintext' },
      },
    });
    return { code, stdout, stderr };
  };
  const noKey = async () => ({ present: false });

  it('signs in through the browser, and falls back to device code when there is none', async () => {
    const viaBrowser = await run({ openBrowser: (u) => playBrowser(fake, u), securityKey: noKey }, ['login']);
    assert.equal(viaBrowser.code, 0, viaBrowser.stderr);
    assert.equal(fake.idp.grants.authorization_code, 1);
    const fallback = await run({ openBrowser: async () => { throw new BrowserUnavailableError('xdg-open: ENOENT'); }, securityKey: noKey }, ['login']);
    assert.equal(fallback.code, 0, fallback.stderr);
    assert.match(fallback.stderr, /cannot open a browser here \(xdg-open: ENOENT\).*falling back to device code/);
    assert.equal(fake.idp.grants.device_code, 1);
  });

  it('switches to a cached account without a browser', async () => {
    const r = await run({ openBrowser: async () => assert.fail('no browser'), securityKey: noKey }, ['login', '--account', fake.idp.user.upn.toUpperCase()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Signed in as operator@contoso.com/);
  });
});

describe('nbg as its own process', () => {
  let fake: FakeAzure;
  let home: string;
  before(async () => {
    fake = await FakeAzure.start();
    loadFixtureTenant(fake);
    home = mkdtempSync(path.join(os.tmpdir(), 'nbg-cli-spawn-'));
  });
  after(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('trusts the CA from NODE_EXTRA_CA_CERTS and uses tokens from the environment', async () => {
    const env = { ...process.env, ...fake.env(), NBG_HOME: home, NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm') };
    // Asynchronous: the fake answers from this very process.
    const nbgProcess = (args: string[]) => new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', ...args], { env, encoding: 'utf8', timeout: 60_000 },
        (err, stdout, stderr) => resolve({ status: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }));
    });
    const r = await nbgProcess(['fabrics', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { fabrics: Array<{ name: string }> }).fabrics.map((f) => f.name), ['example-fabric', 'fabric-b']);
    const bad = await nbgProcess(['fabrics', '--token-source', 'magic']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--token-source must be one of msal, az, env/);
  });
});
