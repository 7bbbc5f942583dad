// The operator's public key in Entra, stored like `az nexusidentity gen-keys` does: the open
// extension com.nexusidentity.keys on the signed-in user, holding the whole .pub line.
import { z } from 'zod';
import type { CloudEndpoints } from '../auth/config';
import { withDeadline } from '../net/deadline';
import { ActionDeadlineError } from '../net/errors';
import { AzureApiError, AzureReplyError } from './errors';
import type { AzureHttp } from './http';
import { NEXUS_SYNC_HOURS } from '../../shared/key-sync';

export const NEXUS_KEYS_EXTENSION = 'com.nexusidentity.keys';
const ALREADY_EXISTS = /an extension already exists/i;

const meSchema = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string(),
}).passthrough();

const extensionSchema = z.object({
  id: z.string(),
  extensionName: z.string().optional(),
  // Written by the old msgraph-sdk code path of the az extension; never matched on.
  extension_name: z.string().optional(),
  publicKey: z.string().optional(),
}).passthrough();
const extensionsSchema = z.object({ value: z.array(extensionSchema) }).passthrough();

export interface EntraUser {
  objectId: string;
  userPrincipalName: string;
  displayName?: string;
  /** What the az CLI shows: mail, or the UPN when mail is null. */
  display: string;
}

export interface UploadResult {
  action: 'created' | 'updated' | 'unchanged';
  user: EntraUser;
  /** The line now stored in Entra, read back after the write. */
  storedLine: string;
  message: string;
}

export function syncNotice(): string {
  return `Fabric devices pick up the key at NexusIdentity's next sync, within ${NEXUS_SYNC_HOURS} hours.`;
}

export class GraphKeyStore {
  constructor(
    private readonly http: AzureHttp,
    private readonly endpoints: CloudEndpoints,
    /** Overall budget of one action (a read, or a whole upload with its read-back), as for ARM. */
    private readonly deadlineMs?: number,
  ) {}

  private within<T>(fn: () => Promise<T>): Promise<T> {
    return this.deadlineMs ? withDeadline(this.deadlineMs, fn) : fn();
  }

  private url(path: string): string {
    return `${this.endpoints.graphEndpoint}/v1.0${path}`;
  }

  me(): Promise<EntraUser> {
    return this.within(() => this.readMe());
  }

  private async readMe(): Promise<EntraUser> {
    const me = await this.http.get('read signed-in user (Graph /me)', 'graph', this.url('/me'), meSchema);
    return {
      objectId: me.id,
      userPrincipalName: me.userPrincipalName,
      ...(me.displayName ? { displayName: me.displayName } : {}),
      display: me.mail ?? me.userPrincipalName,
    };
  }

  /** The stored .pub line, or null when the user has no Nexus key extension. */
  storedKey(): Promise<string | null> {
    return this.within(() => this.readStoredKey());
  }

  private async readStoredKey(): Promise<string | null> {
    const list = await this.http.get('list user extensions (Graph)', 'graph', this.url('/me/extensions'), extensionsSchema);
    return list.value.find((e) => e.id === NEXUS_KEYS_EXTENSION)?.publicKey ?? null;
  }

  private body(pubLine: string): Record<string, string> {
    return { '@odata.type': 'microsoft.graph.openTypeExtension', extensionName: NEXUS_KEYS_EXTENSION, publicKey: pubLine };
  }

  private async patch(pubLine: string): Promise<void> {
    const r = await this.http.send({
      operation: 'update key extension (Graph PATCH)', resource: 'graph', method: 'PATCH',
      url: this.url(`/me/extensions/${NEXUS_KEYS_EXTENSION}`), body: this.body(pubLine), schema: extensionSchema,
    });
    if (r.status !== 204 && r.status !== 200) throw new AzureReplyError('update key extension', `HTTP ${r.status}`, r.requestId);
  }

  /**
   * Uploads `pubLine` exactly as the .pub file holds it (comment and trailing newline included).
   * GET first, then PATCH or POST; a POST that meets "already exists" (a lost reply, a race)
   * falls back to PATCH; the result is read back and compared. All of it within one deadline:
   * when that passes after a write was sent, the message says the key may be stored already.
   */
  async upload(pubLine: string): Promise<UploadResult> {
    let written = false;
    try {
      return await this.within(() => this.uploadSteps(pubLine, () => { written = true; }));
    } catch (err) {
      if (written && err instanceof ActionDeadlineError) {
        throw new ActionDeadlineError(err.operation, this.deadlineMs ?? 0, 'the key may be stored in Entra already: uploading again is safe, or see nbg keys check');
      }
      throw err;
    }
  }

  private async uploadSteps(pubLine: string, writing: () => void): Promise<UploadResult> {
    const user = await this.readMe();
    const existing = await this.readStoredKey();
    let action: UploadResult['action'];
    if (existing === pubLine) {
      action = 'unchanged';
    } else if (existing !== null) {
      writing();
      await this.patch(pubLine);
      action = 'updated';
    } else {
      try {
        writing();
        const r = await this.http.send({
          operation: 'create key extension (Graph POST)', resource: 'graph', method: 'POST',
          url: this.url('/me/extensions'), body: this.body(pubLine), schema: extensionSchema,
        });
        if (r.status !== 201 && r.status !== 200) throw new AzureReplyError('create key extension', `HTTP ${r.status}`, r.requestId);
        action = 'created';
      } catch (err) {
        if (!(err instanceof AzureApiError && ALREADY_EXISTS.test(err.apiMessage))) throw err;
        await this.patch(pubLine);
        action = 'updated';
      }
    }
    const stored = await this.readStoredKey();
    if (stored !== pubLine) {
      throw new AzureReplyError('verify uploaded key', stored === null ? 'the key extension is missing after the write' : 'Entra holds a different key than the one sent');
    }
    const verb = action === 'created' ? 'uploaded' : action === 'updated' ? 'updated' : 'already up to date:';
    return { action, user, storedLine: stored, message: `Public key ${verb} in Microsoft Entra ID for ${user.display}. ${syncNotice()}` };
  }
}
