// MSAL's token cache on disk, always through a protector: Electron passes safeStorage, the CLI an
// OS key store (Keychain, Secret Service, DPAPI), and a plain file only when the user opts in.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { NbgError, isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { ErrorCode } from '../../shared/error-codes';

export interface CacheProtector {
  /** Shown to the user, e.g. "Windows DPAPI" or "plain file". */
  readonly kind: string;
  /** Set when the protection is weak; callers must show it. */
  readonly warning?: string;
  protect(plain: Buffer): Promise<Buffer>;
  unprotect(data: Buffer): Promise<Buffer>;
}

export class TokenCacheError extends NbgError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.TOKEN_CACHE, message, options);
  }
}

export const plaintextProtector: CacheProtector = {
  kind: 'plain file',
  warning: 'the sign-in token cache is stored UNENCRYPTED (you opted in); anyone who can read your files can use your Azure session',
  protect: async (b) => b,
  unprotect: async (b) => b,
};

const MAGIC = Buffer.from('NBGC1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM with a key that lives in an OS key store; the file alone is useless. */
export class AesGcmProtector implements CacheProtector {
  constructor(readonly kind: string, private readonly key: () => Promise<Buffer>) {}

  async protect(plain: Buffer): Promise<Buffer> {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', await this.key(), iv);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([MAGIC, iv, c.getAuthTag(), body]);
  }

  async unprotect(data: Buffer): Promise<Buffer> {
    if (data.length < MAGIC.length + IV_BYTES + TAG_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new TokenCacheError('the token cache file is not in the protected format');
    }
    const iv = data.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = data.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    const d = createDecipheriv('aes-256-gcm', await this.key(), iv);
    d.setAuthTag(tag);
    try {
      return Buffer.concat([d.update(data.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), d.final()]);
    } catch (err) {
      throw new TokenCacheError('the token cache cannot be decrypted with this account\'s key; sign in again', { cause: err });
    }
  }
}

/** Persists MSAL's serialized cache through the protector; an unreadable cache starts empty. */
export class ProtectedFileCachePlugin implements ICachePlugin {
  constructor(private readonly file: string, private readonly protector: CacheProtector, private readonly onProblem: (msg: string) => void = () => {}) {}

  async beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
    let data: Buffer;
    try {
      data = await fs.readFile(this.file);
    } catch (err) {
      if (isNodeError(err, 'ENOENT')) return;
      throw err;
    }
    try {
      ctx.tokenCache.deserialize((await this.protector.unprotect(data)).toString('utf8'));
    } catch (err) {
      this.onProblem(err instanceof NbgError ? err.message : 'the token cache could not be read; sign in again');
    }
  }

  async afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
    if (!ctx.cacheHasChanged) return;
    const sealed = await this.protector.protect(Buffer.from(ctx.tokenCache.serialize(), 'utf8'));
    await writeFileAtomic(this.file, sealed, { mode: 0o600 });
  }
}
