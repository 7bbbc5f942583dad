import { z } from 'zod';
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

/** Who the tokens belong to: plain data, safe to return to the UI. */
export interface Principal {
  objectId: string;
  tenantId: string;
  username: string;
  name?: string;
}

export class TokenClaimsError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.TOKEN_CLAIMS, message);
  }
}

const claims = z.object({
  oid: z.string(),
  tid: z.string(),
  upn: z.string().optional(),
  preferred_username: z.string().optional(),
  unique_name: z.string().optional(),
  name: z.string().optional(),
}).passthrough();

/**
 * Reads oid/tid/upn from a JWT access token's payload. Not a validation: the token is ours, and
 * we only need to know whose it is (for assignedTo) when it came from az or the environment.
 */
export function principalFromAccessToken(token: string): Principal {
  const payload = token.split('.')[1];
  if (!payload) throw new TokenClaimsError('the access token is not a JWT; cannot tell whose it is');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenClaimsError('the access token payload is not JSON');
  }
  const c = claims.safeParse(decoded);
  if (!c.success) throw new TokenClaimsError('the access token has no oid/tid claims');
  return {
    objectId: c.data.oid,
    tenantId: c.data.tid,
    username: c.data.upn ?? c.data.preferred_username ?? c.data.unique_name ?? c.data.oid,
    ...(c.data.name ? { name: c.data.name } : {}),
  };
}
