// Who may log in to the drill fabric: Entra-like user names with their sk public key lines and a
// Nexus role (Reader = show only, Writer = may configure). Validated wherever it comes from.
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { errorMessage } from '../../native/errors';
import { isValidPublicKeyLine } from '../../native/sk/publickey';
import { DrillConfigError } from './errors';

export const drillRole = z.enum(['reader', 'writer']);

export const drillUser = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'user names are letters, digits and . _ @ -'),
  keys: z.array(z.string().refine(isValidPublicKeyLine, 'not an OpenSSH public key line')).min(1).max(16),
  role: drillRole,
});

export const drillConfig = z.strictObject({
  users: z.array(drillUser).min(1).max(200),
});
export type DrillConfig = z.infer<typeof drillConfig>;
export type DrillUser = z.infer<typeof drillUser>;

export function parseDrillConfig(value: unknown, source = 'drill config'): DrillConfig {
  const parsed = drillConfig.safeParse(value);
  if (!parsed.success) {
    throw new DrillConfigError(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export async function loadDrillConfig(file: string): Promise<DrillConfig> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new DrillConfigError(`${file} is not readable JSON (${errorMessage(err)})`);
  }
  return parseDrillConfig(json, file);
}
