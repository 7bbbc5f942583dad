// Entra sign-in as a service: MSAL when the app signs in itself, otherwise the identity the az CLI
// or environment token names. Sign-ins go on record.
import type { AuditSink } from '../audit/audit-log';
import type { AuthService } from '../auth/auth-service';
import type { Identity } from '../../shared/identity';
import { auditedSignIn, auditedSignOut } from './audited';
import type { AzureContext } from './context';

function toIdentity(p: { objectId: string; tenantId: string; username: string; name?: string }): Identity {
  return { objectId: p.objectId, tenantId: p.tenantId, userPrincipalName: p.username, displayName: p.name ?? p.username, mail: null };
}

export function entraAuth(context: Pick<AzureContext, 'auth' | 'tokens'>, audit: AuditSink | undefined, onSignOut: () => void): AuthService {
  return {
    identity: async () => {
      // Without MSAL (az CLI or environment tokens) the token itself says who is signed in.
      const current = context.auth ? await context.auth.current().catch(() => null) : await context.tokens.principal().catch(() => null);
      return current ? toIdentity(current) : null;
    },
    signIn: async () => {
      if (!context.auth) return toIdentity(await context.tokens.principal());
      const msal = context.auth;
      return toIdentity(await auditedSignIn(() => msal.signIn(), audit));
    },
    signOut: async () => {
      const msal = context.auth;
      if (msal) {
        const account = (await msal.current().catch(() => null))?.username;
        await auditedSignOut(() => msal.signOut(), audit, account);
      }
      onSignOut();
    },
  };
}
