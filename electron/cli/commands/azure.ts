// `nbg login|logout|whoami`, `nbg keys upload|check`, `nbg fabrics`, `nbg devices`, `nbg bmm list`
// and `nbg keysets ...`: Entra sign-in and Azure over the same core services as the app.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UserInteraction } from '../../../native/interaction';
import { fingerprintSha256, parsePublicKeyLine } from '../../../native/sk/publickey';
import { NbgError } from '../../../native/errors';
import { BrowserUnavailableError, SignInRequiredError, type AzureAuth, type DeviceCodePrompt } from '../../core/auth/azure-auth';
import type { AzureContext } from '../../core/azure/context';
import { AzureValidationError } from '../../core/azure/errors';
import { devicesOf, findFabric, type InventoryView } from '../../core/azure/inventory';
import { entraReadiness, type SecurityKeyFacts } from '../../core/azure/key-readiness';
import type { KeysetUser, PrivilegeLevel } from '../../core/azure/keyset-validation';
import { keysetDiff, type KeysetInfo } from '../../core/azure/networkcloud';
import { auditedSignIn, uploadKey } from '../../core/azure/audited';
import { appHome } from '../../core/paths';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { authenticatorFromEnv } from '../../core/keys/authenticator-factory';
import { jsonOption as json, openAudit, printJson, servicesFor, table } from '../runtime';
import { securityKeyFacts } from '../../core/keys/keys-service';
import { ErrorCode } from '../../shared/error-codes';

export interface AzureCliDeps {
  /** Opens the sign-in page in the system browser. */
  openBrowser(url: string, io: CliIo): Promise<void>;
  /** Presence and PIN retries of the security key, for `keys check`. */
  securityKey(env: NodeJS.ProcessEnv): Promise<SecurityKeyFacts>;
}

const DEFAULT_PUB = (): string => path.join(os.homedir(), '.ssh', 'id_ed25519_sk.pub');

function systemOpener(url: string, io: CliIo): Promise<void> {
  io.stderr.write(`Opening the sign-in page in your browser. If it does not open, visit:\n  ${url}\nor run 'nbg login --device-code'.\n`);
  const [cmd, args] = process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]]
    : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', (e) => reject(new BrowserUnavailableError(`${cmd}: ${e.message}`)));
    child.on('spawn', () => { child.unref(); resolve(); });
  });
}

/** Reading key presence must never prompt; any question means "no answer". */
const noPrompts: UserInteraction = {
  selectKey: async () => null,
  pin: async () => null,
  touch: () => () => {},
  confirm: async () => false,
};

async function connectedSecurityKey(env: NodeJS.ProcessEnv): Promise<SecurityKeyFacts> {
  return securityKeyFacts((await authenticatorFromEnv(env, noPrompts)).authenticator);
}

export const defaultAzureCliDeps: AzureCliDeps = { openBrowser: systemOpener, securityKey: connectedSecurityKey };

const tokenSourceOption = { 'token-source': { type: 'string' as const } };

/** The command's services, signing in to Azure as --token-source says. */
export function azureServicesFor(io: CliIo, values: OptionValues, deps: Pick<AzureCliDeps, 'openBrowser'>) {
  return servicesFor(io, values, {
    ...(typeof values['token-source'] === 'string' ? { tokenSource: values['token-source'] } : {}),
    openBrowser: (url) => deps.openBrowser(url, io),
  }).services;
}

async function context(io: CliIo, values: OptionValues, deps: AzureCliDeps): Promise<AzureContext> {
  await fs.mkdir(appHome(io.env), { recursive: true, mode: 0o700 });
  return azureServicesFor(io, values, deps).azure();
}

function ageText(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

function offlineNote(io: CliIo, inv: InventoryView): void {
  if (inv.fromCache) io.stderr.write(`nbg: Azure unreachable (${inv.offlineReason ?? 'offline'}); showing the inventory cached ${ageText(inv.ageSeconds)} ago\n`);
  for (const w of inv.warnings) io.stderr.write(`nbg: warning: ${w}\n`);
}

async function readPubLine(values: OptionValues): Promise<{ file: string; line: string; fingerprint: string }> {
  const file = typeof values.pub === 'string' ? values.pub : DEFAULT_PUB();
  let line: string;
  try {
    line = await fs.readFile(file, 'utf8');
  } catch {
    throw new NbgError(ErrorCode.NO_PUBLIC_KEY, `cannot read ${file}; create a key first or pass --pub FILE`);
  }
  const parsed = parsePublicKeyLine(line);
  return { file, line, fingerprint: fingerprintSha256(parsed.key.blob) };
}

async function confirm(io: CliIo, values: OptionValues, question: string): Promise<boolean> {
  if (values.yes) return true;
  io.stderr.write(`${question} [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (chunk: Buffer | string): void => {
      buf += chunk.toString();
      if (buf.includes('\n')) done();
    };
    const done = (): void => {
      io.stdin.off('data', onData);
      io.stdin.off('end', done);
      io.stdin.pause();
      resolve(buf.split('\n')[0]!.trim());
    };
    io.stdin.on('data', onData);
    io.stdin.on('end', done);
    io.stdin.resume();
  });
  return /^y(es)?$/i.test(answer);
}

/** `NAME:UPN:PUBFILE` (the file path may itself contain ':'). */
async function parseUsers(values: OptionValues): Promise<KeysetUser[] | undefined> {
  const raw = values.user;
  if (raw === undefined) return undefined;
  const list = (Array.isArray(raw) ? raw : [raw]).map(String);
  return Promise.all(list.map(async (spec) => {
    const m = /^([^:]+):([^:]*):(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--user must be NAME:UPN:PUBFILE, not '${spec}'`);
    let key: string;
    try {
      key = (await fs.readFile(m[3]!, 'utf8')).trim();
    } catch {
      throw new UsageError(`--user ${m[1]}: cannot read ${m[3]}`);
    }
    return { azureUserName: m[1]!, userPrincipalName: m[2]!, sshPublicKey: key };
  }));
}

const listOf = (v: OptionValues[string]): string[] | undefined => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map(String));

function printKeyset(io: CliIo, k: KeysetInfo): void {
  io.stdout.write(`${k.name}  ${k.provisioningState}  ${k.detailedStatus}${k.detailedStatusMessage ? ` (${k.detailedStatusMessage})` : ''}\n`);
  io.stdout.write(`  privilege ${k.privilegeLevel}${k.privilegeLevelName ? ` (${k.privilegeLevelName})` : ''}${k.osGroupName ? `, OS group ${k.osGroupName}` : ''}, group ${k.azureGroupId}\n`);
  io.stdout.write(`  expires ${k.expiration}${Date.parse(k.expiration) < Date.now() ? ' (EXPIRED: every user is invalid)' : ''}; jump hosts ${k.jumpHostsAllowed.join(', ')}\n`);
  io.stdout.write(table([['USER', 'UPN', 'STATUS', 'MESSAGE'], ...k.users.map((u) => [u.azureUserName, u.userPrincipalName || '(none)', u.status, u.statusMessage])]).replace(/^/gm, '  '));
}

function outputKeyset(io: CliIo, values: OptionValues, k: KeysetInfo): void {
  if (values.json) printJson(io, k);
  else printKeyset(io, k);
}

async function signIn(auth: AzureAuth, values: OptionValues, io: CliIo) {
  const account = typeof values.account === 'string' ? values.account : undefined;
  if (account) {
    const cached = (await auth.accounts()).find((a) => a.username.toLowerCase() === account.toLowerCase());
    if (cached) return auth.selectAccount(cached.homeAccountId);
  }
  const showCode = (p: DeviceCodePrompt): void => { io.stderr.write(`${p.message}\n`); };
  if (values['device-code']) return auth.signInWithDeviceCode(showCode);
  try {
    return await auth.signIn(account ? { loginHint: account } : {});
  } catch (err) {
    if (!(err instanceof BrowserUnavailableError)) throw err;
    io.stderr.write(`nbg: ${err.message}; falling back to device code\n`);
    return auth.signInWithDeviceCode(showCode);
  }
}

export function createAzureCommands(deps: AzureCliDeps = defaultAzureCliDeps): CommandSpec[] {
  const ctx = (io: CliIo, values: OptionValues): Promise<AzureContext> => context(io, values, deps);
  /** NetworkCloud and the cluster named on the command line (by name or ARM id). */
  const clusterOf = async (io: CliIo, values: OptionValues, nameOrId: string) => {
    const nc = (await ctx(io, values)).networkCloud;
    return { nc, cluster: await nc.cluster(nameOrId) };
  };
  const msal = (c: AzureContext) => {
    if (!c.auth) throw new UsageError('login/logout apply to the app\'s own sign-in (no --token-source, or --token-source msal)');
    return c.auth;
  };

  return [
    {
      path: ['login'], options: { 'device-code': { type: 'boolean' }, account: { type: 'string' } },
      async run({ values, io }) {
        const auth = msal(await ctx(io, values));
        const audit = await openAudit(io);
        const account = typeof values.account === 'string' ? values.account : undefined;
        const who = await auditedSignIn(() => signIn(auth, values, io), audit, account).finally(() => audit?.close());
        io.stdout.write(`Signed in as ${who.username} (tenant ${who.tenantId})\n`);
        return ExitCode.Ok;
      },
    },
    {
      path: ['logout'], async run({ values, io }) {
        await msal(await ctx(io, values)).signOut();
        io.stdout.write('Signed out.\n');
        return ExitCode.Ok;
      },
    },
    {
      path: ['whoami'], options: { ...json, ...tokenSourceOption },
      async run({ values, io }) {
        const c = await ctx(io, values);
        let who;
        try {
          who = await c.tokens.principal();
        } catch (err) {
          if (err instanceof SignInRequiredError) {
            io.stdout.write('Not signed in.\n');
            return ExitCode.Failed;
          }
          throw err;
        }
        if (values.json) printJson(io, { ...who, source: c.tokens.label });
        else io.stdout.write(`${who.username}${who.name ? ` (${who.name})` : ''}\n  object id ${who.objectId}\n  tenant    ${who.tenantId}\n  via       ${c.tokens.label}\n`);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keys', 'upload'], options: { pub: { type: 'string' }, ...tokenSourceOption },
      async run({ values, io }) {
        const pub = await readPubLine(values);
        const c = await ctx(io, values);
        const audit = await openAudit(io);
        const r = await uploadKey(c, pub.line, audit).finally(() => audit?.close());
        io.stdout.write(`${r.message}\n  key ${pub.fingerprint} from ${pub.file}\n`);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keys', 'check'], options: { pub: { type: 'string' }, ...json, ...tokenSourceOption },
      async run({ values, io }) {
        const c = await ctx(io, values);
        const local = await readPubLine(values).then((p) => ({ pubLine: p.line, fingerprint: p.fingerprint }), () => null);
        const report = await entraReadiness(c, { localKey: async () => local, securityKey: () => deps.securityKey(io.env) }).check();
        if (values.json) printJson(io, report);
        else for (const ch of report.checks) io.stdout.write(`${ch.state.toUpperCase().padEnd(4)}  ${ch.id.padEnd(12)}  ${ch.message}\n`);
        return report.ready ? ExitCode.Ok : ExitCode.Failed;
      },
    },
    {
      path: ['fabrics'], options: { ...json, offline: { type: 'boolean' }, ...tokenSourceOption },
      async run({ values, io }) {
        const inv = await (await ctx(io, values)).inventory.load({ offline: Boolean(values.offline) });
        offlineNote(io, inv);
        if (values.json) {
          printJson(io, { fetchedAt: inv.fetchedAt, fromCache: inv.fromCache, ageSeconds: inv.ageSeconds, source: inv.source, warnings: inv.warnings, fabrics: inv.fabrics });
        } else {
          io.stdout.write(table([['NAME', 'SUBSCRIPTION', 'ROLE', 'VIA GROUP', 'DEVICES'], ...inv.fabrics.map((f) => [
            f.name, f.subscriptionName || f.subscriptionId, f.roleUnknown ? 'unknown' : f.role ?? 'none', f.viaGroup ? 'yes' : 'no', String(f.deviceCount),
          ])]));
        }
        return ExitCode.Ok;
      },
    },
    {
      path: ['devices'], options: { ...json, offline: { type: 'boolean' }, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one fabric (its name or ARM id)');
        const inv = await (await ctx(io, values)).inventory.load({ offline: Boolean(values.offline) });
        offlineNote(io, inv);
        const f = findFabric(inv, positionals[0]!);
        if (!f) throw new NbgError(ErrorCode.UNKNOWN_FABRIC, `no fabric '${positionals[0]}' in the inventory; run 'nbg fabrics'`);
        if ('ambiguous' in f) throw new NbgError(ErrorCode.AMBIGUOUS_FABRIC, `several fabrics are named '${positionals[0]}'; pass the ARM id: ${f.ambiguous.map((x) => x.id).join(', ')}`);
        const devices = devicesOf(inv, f);
        if (values.json) printJson(io, { fabric: f, fromCache: inv.fromCache, ageSeconds: inv.ageSeconds, devices });
        else {
          io.stdout.write(table([['NAME', 'ROLE', 'HOST', 'MGMT IPV4', 'MGMT IPV6', 'ADMIN', 'CONFIG', 'PROVISIONING'], ...devices.map((d) => [
            d.name, d.role, d.hostName, d.managementIpv4 ?? '-', d.managementIpv6 ?? '-', d.administrativeState || '-', d.configurationState || '-', d.provisioningState || '-',
          ])]));
        }
        return ExitCode.Ok;
      },
    },
    {
      path: ['bmm', 'list'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one cluster (its name or ARM id)');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const machines = await nc.bareMetalMachines(cluster);
        if (values.json) printJson(io, machines);
        else io.stdout.write(table([['NAME', 'MACHINE', 'OAM IPV4', 'OAM IPV6', 'POWER', 'READY', 'STATUS'], ...machines.map((m) => [
          m.name, m.machineName, m.oamIpv4 ?? '-', m.oamIpv6 ?? '-', m.powerState, m.readyState, m.detailedStatus,
        ])]));
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'list'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 1) throw new UsageError('name one cluster');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const list = await nc.keysets(cluster);
        if (values.json) printJson(io, list);
        else io.stdout.write(table([['NAME', 'PRIVILEGE', 'EXPIRES', 'USERS', 'STATUS'], ...list.map((k) => [
          k.name, k.privilegeLevel, k.expiration, String(k.users.length), k.detailedStatus,
        ])]));
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'show'], options: { ...json, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.keyset(cluster, positionals[1]!);
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'create'], options: {
        group: { type: 'string' }, expires: { type: 'string' }, 'jump-host': { type: 'string', multiple: true }, user: { type: 'string', multiple: true },
        privilege: { type: 'string', default: 'Standard' }, 'privilege-name': { type: 'string' }, 'os-group': { type: 'string' }, ...json, ...tokenSourceOption,
      },
      positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the new keyset');
        const users = await parseUsers(values);
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.createKeyset(cluster, {
          name: positionals[1]!, azureGroupId: String(values.group ?? ''), expiration: String(values.expires ?? ''),
          jumpHostsAllowed: listOf(values['jump-host']) ?? [], privilegeLevel: String(values.privilege) as PrivilegeLevel,
          ...(typeof values['privilege-name'] === 'string' ? { privilegeLevelName: values['privilege-name'] } : {}),
          ...(typeof values['os-group'] === 'string' ? { osGroupName: values['os-group'] } : {}),
          users: users ?? [],
        });
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'update'], options: { expires: { type: 'string' }, 'jump-host': { type: 'string', multiple: true }, user: { type: 'string', multiple: true }, yes: { type: 'boolean' }, ...json, ...tokenSourceOption },
      positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const users = await parseUsers(values);
        const hosts = listOf(values['jump-host']);
        const update = {
          ...(typeof values.expires === 'string' ? { expiration: values.expires } : {}),
          ...(hosts ? { jumpHostsAllowed: hosts } : {}),
          ...(users ? { users } : {}),
        };
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const current = await nc.keyset(cluster, positionals[1]!);
        const diff = keysetDiff(current, update);
        if (diff.lines.length === 0) throw new AzureValidationError(['nothing would change']);
        io.stderr.write(`Changes to ${current.name}${users ? ' (the user list is replaced as a whole)' : ''}:\n${diff.lines.map((l) => `  ${l}\n`).join('')}`);
        if (!(await confirm(io, values, 'Apply?'))) {
          io.stderr.write('Nothing changed.\n');
          return ExitCode.Failed;
        }
        const k = await nc.updateKeyset(cluster, current.name, update);
        outputKeyset(io, values, k);
        return ExitCode.Ok;
      },
    },
    {
      path: ['keysets', 'delete'], options: { yes: { type: 'boolean' }, ...tokenSourceOption }, positionals: true,
      async run({ values, positionals, io }) {
        if (positionals.length !== 2) throw new UsageError('name the cluster and the keyset');
        const { nc, cluster } = await clusterOf(io, values, positionals[0]!);
        const k = await nc.keyset(cluster, positionals[1]!);
        if (!(await confirm(io, values, `Delete keyset ${k.name} (${k.users.length} users lose access to the machines)?`))) {
          io.stderr.write('Nothing changed.\n');
          return ExitCode.Failed;
        }
        await nc.deleteKeyset(cluster, k.name);
        io.stdout.write(`Deleted keyset ${k.name}.\n`);
        return ExitCode.Ok;
      },
    },
  ];
}

export const azureCommands: CommandSpec[] = createAzureCommands();
