// `nbg admin preflight`, the built bundle as a process, against the fake ARM and Graph: one
// subscription per situation, each check's pass and its failure with the fix: the
// Microsoft.NexusIdentity provider (registered, registering, not registered), NexusIdentityRP's
// Reader (over all fabrics, over some, none), the fabric runtime (4.x, 3.x, the spec example's
// unreadable "version1"), and who holds the Nexus roles (direct users, group members, a nested
// group, nobody, 201 users), plus a subscription that cannot be read.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PreflightCheck, PreflightReport } from '../../../electron/shared/admin';
import { FakeAzure } from '../../support/fake-azure/server';
import { fabricFromSpec, FakeNexusAdmin } from '../../support/fake-azure/nexus-admin';
import { assignment, READER_ROLE_ID as NF_READER, roleDefinitions, WRITER_ROLE_ID as NF_WRITER } from '../../support/fake-azure/tenants';
import { runBuiltNbg } from '../../support/built-nbg';

const RP = '71949d44-2def-42f7-b10b-993a3f952347';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const SUB = { ok: '0a000000-0000-4000-8000-0000000000a1', bad: '0b000000-0000-4000-8000-0000000000b2', reg: '0c000000-0000-4000-8000-0000000000c3', locked: '0d000000-0000-4000-8000-0000000000d4', empty: '0e000000-0000-4000-8000-0000000000e5' };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const U1 = id(101);
const U2 = id(102);
const U3 = id(103);
const U4 = id(104);
const U5 = id(105);
const G1 = id(201);
const G2 = id(202);
const G3 = id(203);
const G4 = id(204);


describe('nbg admin preflight against the fake Azure', () => {
  let fake: FakeAzure;
  let admin: FakeNexusAdmin;
  let home: string;
  let env: NodeJS.ProcessEnv;

  const preflight = async (subs: string[]): Promise<{ code: number; report: PreflightReport; stderr: string }> => {
    const r = await runBuiltNbg(['admin', 'preflight', '--json', ...subs.flatMap((s) => ['--subscription', s])], { env });
    return { code: r.code, report: JSON.parse(r.stdout) as PreflightReport, stderr: r.stderr };
  };
  const check = (r: PreflightReport, kind: PreflightCheck['kind'], subject: string): PreflightCheck => {
    const c = r.checks.find((x) => x.kind === kind && x.subject.endsWith(subject));
    assert.ok(c, `${kind} ${subject} in ${JSON.stringify(r.checks.map((x) => [x.kind, x.subject]))}`);
    return c;
  };

  before(async () => {
    fake = await FakeAzure.start();
    admin = FakeNexusAdmin.install(fake);
    const tid = fake.idp.user.tid;
    fake.arm.subscriptions = Object.entries(SUB).map(([k, s]) => ({ subscriptionId: s, displayName: `Fabric ${k}`, state: 'Enabled', tenantId: tid }));
    fake.arm.roleDefinitions = roleDefinitions();
    fake.arm.forbiddenSubscriptions.add(SUB.locked);
    const fabrics = {
      ok: fabricFromSpec(SUB.ok, 'fab-ok', '4.0.1'), old: fabricFromSpec(SUB.bad, 'fab-old', '3.2.0'), spec: fabricFromSpec(SUB.bad, 'fab-spec', 'version1'),
      big: fabricFromSpec(SUB.bad, 'fab-big', '4.1.0'), reg: fabricFromSpec(SUB.reg, 'fab-reg', '4.2.0'),
    };
    fake.arm.add(...Object.values(fabrics), fabricFromSpec(SUB.locked, 'fab-locked', '4.0.0'));
    admin.setProvider(SUB.ok, 'Microsoft.NexusIdentity', 'Registered');
    admin.setProvider(SUB.reg, 'Microsoft.NexusIdentity', 'Registering');
    const users = [[U1, 'Ada Admin'], [U2, 'Bo Reader'], [U3, 'Cy Reader'], [U4, 'Di Writer'], [U5, 'Ed Nested']] as const;
    for (const [u, name] of users) admin.addObject({ kind: 'user', id: u, displayName: name, userPrincipalName: `${name.split(' ')[0]!.toLowerCase()}@contoso.com` });
    admin.addObject({ kind: 'group', id: G1, displayName: 'nf-readers' });
    admin.addObject({ kind: 'group', id: G2, displayName: 'nf-writers' });
    admin.addObject({ kind: 'group', id: G3, displayName: 'nf-contractors' }, [G2]);
    admin.addObject({ kind: 'group', id: G4, displayName: 'nf-everyone' });
    admin.addObject({ ...admin.directory.get(U2)!, id: U2 }, [G1]);
    admin.addObject({ ...admin.directory.get(U3)!, id: U3 }, [G1]);
    admin.addObject({ ...admin.directory.get(U4)!, id: U4 }, [G2]);
    admin.addObject({ ...admin.directory.get(U5)!, id: U5 }, [G3]);
    for (let i = 0; i < 201; i++) admin.addObject({ kind: 'user', id: id(1000 + i), displayName: `User ${i}`, userPrincipalName: `u${i}@contoso.com` }, [G4]);
    let n = 0;
    fake.arm.roleAssignments = [
      assignment(`/subscriptions/${SUB.ok}`, READER, RP, 'ServicePrincipal', ++n),
      assignment(fabrics.ok.id, NF_WRITER, U1, 'User', ++n),
      assignment(`/subscriptions/${SUB.ok}`, NF_READER, G1, 'Group', ++n),
      assignment(fabrics.big.id, READER, RP, 'ServicePrincipal', ++n),
      assignment(fabrics.spec.id, NF_WRITER, G2, 'Group', ++n),
      assignment(fabrics.big.id, NF_READER, G4, 'Group', ++n),
      assignment(`/subscriptions/${SUB.reg}`, READER, RP, 'ServicePrincipal', ++n),
      assignment(`/subscriptions/${SUB.reg}/resourceGroups/rg-nf`, NF_WRITER, U1, 'User', ++n),
    ];
    home = mkdtempSync(path.join(os.tmpdir(), 'nbg-admin-preflight-'));
    env = { ...fake.env(), NBG_HOME: home, PATH: process.env.PATH, NBG_ARM_TOKEN: fake.idp.mint('arm'), NBG_GRAPH_TOKEN: fake.idp.mint('graph') };
  });
  after(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('passes a subscription that is ready, naming who holds which role and how', async () => {
    const { code, report } = await preflight([SUB.ok]);
    assert.equal(code, 0);
    assert.equal(report.ok, true);
    assert.deepEqual(report.checks.map((c) => [c.kind, c.status]), [['provider', 'pass'], ['rp-reader', 'pass'], ['fabric-version', 'pass'], ['role-holders', 'pass']]);
    assert.ok(report.checks.every((c) => c.fix === undefined), 'nothing to fix');
    const [f] = report.fabrics;
    assert.equal(f?.users, 3);
    assert.deepEqual(f?.holders.map((h) => [h.name, h.role, h.how.join(';')]), [
      ['Ada Admin', 'Writer', 'directly'], ['Bo Reader', 'Reader', 'through group nf-readers'], ['Cy Reader', 'Reader', 'through group nf-readers'],
    ]);
    // The text form an admin reads.
    const text = await runBuiltNbg(['admin', 'preflight', '--subscription', SUB.ok], { env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /PASS {2}subscription 0a000000-0000-4000-8000-0000000000a1: Microsoft\.NexusIdentity resource provider registered/);
    assert.match(text.stdout, /Role holders on fab-ok: 3 of at most 200 users/);
    assert.match(text.stdout, /Writer {2}Ada Admin <ada@contoso\.com> {2}directly/);
    assert.match(text.stdout, /No check failed\./);
  });

  it('fails each unready part with its fix: provider, RP Reader, old and unreadable runtimes, nobody, nested groups, over 200 users', async () => {
    // Group members come in pages of 100 here: the 201 users of nf-everyone take three.
    admin.membersPageCap = 100;
    const pages = () => fake.log.filter((l) => l.service === 'graph' && l.path.startsWith(`/v1.0/groups/${G4}/members`)).length;
    const before = pages();
    const { code, report } = await preflight([SUB.bad]);
    admin.membersPageCap = 999;
    assert.equal(pages() - before, 3, 'every @odata.nextLink followed');
    assert.equal(code, 1);
    assert.equal(report.ok, false);
    const provider = check(report, 'provider', SUB.bad);
    assert.equal(provider.status, 'fail');
    assert.equal(provider.fix, `az provider register --namespace Microsoft.NexusIdentity --subscription ${SUB.bad}`);
    const rp = check(report, 'rp-reader', SUB.bad);
    assert.equal(rp.status, 'fail');
    assert.match(rp.detail, /Reader does not reach fab-old, fab-spec\./, 'Reader on fab-big alone does not cover the others');
    assert.match(rp.fix ?? '', new RegExp(`az role assignment create --assignee-object-id ${RP} --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/${SUB.bad}`));
    const old = check(report, 'fabric-version', 'fab-old');
    assert.equal(old.status, 'fail');
    assert.match(old.detail, /Runtime 3\.2\.0 is older than 4\.0\.0/);
    assert.match(old.fix ?? '', /az networkfabric fabric upgrade/);
    const spec = check(report, 'fabric-version', 'fab-spec');
    assert.equal(spec.status, 'unknown', 'the spec example says "version1": no number to compare');
    assert.match(spec.detail, /"version1", which is not a version number/);
    assert.equal(check(report, 'fabric-version', 'fab-big').status, 'pass');
    const nobody = check(report, 'role-holders', 'fab-old');
    assert.equal(nobody.status, 'fail');
    assert.match(nobody.detail, /Nobody holds either role/);
    const nested = check(report, 'role-holders', 'fab-spec');
    assert.equal(nested.status, 'warn');
    assert.match(nested.detail, /group nf-contractors inside nf-writers: nested groups are not supported/);
    assert.match(nested.fix ?? '', /direct members of the assigned group/);
    const specHolders = report.fabrics.find((f) => f.fabricName === 'fab-spec');
    assert.deepEqual(specHolders?.holders.map((h) => h.name), ['Di Writer'], 'the nested group\'s member is not a holder');
    assert.deepEqual(specHolders?.nestedGroups, [{ name: 'nf-contractors', parent: 'nf-writers' }]);
    const big = check(report, 'role-holders', 'fab-big');
    assert.equal(big.status, 'fail');
    assert.match(big.detail, /201 users .*more than the 200 users a fabric takes/);
    assert.equal(report.fabrics.find((f) => f.fabricName === 'fab-big')?.users, 201);
  });

  it('warns while the provider is still registering, and says when a subscription cannot be read', async () => {
    const { code, report } = await preflight([SUB.reg, SUB.locked]);
    assert.equal(code, 0, 'a warning or an unknown is not a failure');
    const reg = check(report, 'provider', SUB.reg);
    assert.equal(reg.status, 'warn');
    assert.match(reg.fix ?? '', /az provider show --namespace Microsoft\.NexusIdentity/);
    assert.equal(check(report, 'role-holders', 'fab-reg').status, 'pass', 'a Writer grant at the resource group reaches the fabric');
    const locked = check(report, 'access', SUB.locked);
    assert.equal(locked.status, 'unknown');
    assert.match(locked.detail, /AuthorizationFailed/);
  });

  it('a group whose members the token may not read is a warning that says so, not an empty group', async () => {
    admin.unreadableGroups.add(G1.toLowerCase());
    try {
      const { code, report } = await preflight([SUB.ok]);
      assert.equal(code, 0);
      const holders = check(report, 'role-holders', 'fab-ok');
      assert.equal(holders.status, 'warn');
      assert.match(holders.detail, /1 user .*the members of 1 assigned group\(s\) could not be read/);
      assert.match(holders.fix ?? '', /GroupMember\.Read\.All/);
    } finally {
      admin.unreadableGroups.clear();
    }
  });

  it('without --subscription checks every enabled subscription that holds a fabric', async () => {
    const { code, report } = await preflight([]);
    assert.equal(code, 1, 'the bad subscription fails the run');
    const subjects = new Set(report.checks.map((c) => c.subject));
    for (const name of ['Fabric ok', 'Fabric bad', 'Fabric reg', 'Fabric locked']) assert.ok(subjects.has(`subscription ${name}`), name);
    assert.equal(subjects.has('subscription Fabric empty'), false, 'no fabric, no checks');
    assert.equal(report.fabrics.length, 5);
  });
});
