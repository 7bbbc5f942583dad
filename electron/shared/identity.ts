// The signed-in Entra identity, as shown to the operator (no tokens).
import { z } from 'zod';

export const Identity = z.object({
  objectId: z.string().max(64),
  displayName: z.string().max(256),
  userPrincipalName: z.string().max(256),
  mail: z.string().max(256).nullable(),
  tenantId: z.string().max(64),
});
export type Identity = z.infer<typeof Identity>;
