// `nbg login`, `nbg logout`, `nbg whoami`: Entra sign-in, as the app does it.
import { BrowserUnavailableError, SignInRequiredError, type AzureAuth, type DeviceCodePrompt } from '../../core/auth/azure-auth';
import type { AzureContext } from '../../core/azure/context';
import { auditedSignIn, auditedSignOut } from '../../core/azure/audited';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption as json, openAudit, printJson, withAudit } from '../runtime';
import { azureContext, defaultAzureCliDeps, tokenSourceOption, type AzureCliDeps } from './azure-support';

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

export function createAuthCommands(deps: AzureCliDeps = defaultAzureCliDeps): CommandSpec[] {
  const ctx = (io: CliIo, values: OptionValues): Promise<AzureContext> => azureContext(io, values, deps);
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
        const auth = msal(await ctx(io, values));
        const account = (await auth.current().catch(() => null))?.username;
        await withAudit(io, (audit) => auditedSignOut(() => auth.signOut(), audit, account));
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
  ];
}
