// The host-key decision for one hop: known → go on; unknown → ask (or accept-new); changed or
// revoked → hard stop. A mismatch can only be acknowledged: there is no override path in code.
import { NbgError } from '../../../native/errors';
import type { PromptContext } from '../../../native/interaction';
import type { CoreInteraction } from '../prompts/interaction';
import type { AuditSink } from '../audit';
import { formatHostPort } from './chain';
import { fingerprintSha256 } from '../../../native/sk/publickey';
import { keyBlobType } from './known-hosts';
import type { KnownHostsStore } from './known-hosts-store';

/** `ask`: prompt on unknown keys. `accept-new`: trust unknown keys for good (recorded), refuse changed ones. */
export type HostKeyPolicy = 'ask' | 'accept-new';

export class HostKeyMismatchError extends NbgError {
  constructor(readonly host: string, readonly fingerprint: string, readonly source: string) {
    super('HOST_KEY_MISMATCH', `REMOTE HOST KEY CHANGED for ${host}: presented ${fingerprint}, on record in ${source}. ` +
      'Connection refused. Verify the new key out of band with the fabric owner before changing known_hosts');
  }
}

export class HostKeyRevokedError extends NbgError {
  constructor(readonly host: string, readonly fingerprint: string, readonly source: string) {
    super('HOST_KEY_REVOKED', `the host key ${fingerprint} of ${host} is marked @revoked in ${source}; connection refused`);
  }
}

export class HostKeyRefusedError extends NbgError {
  constructor(readonly host: string, readonly fingerprint: string) {
    super('HOST_KEY_REFUSED', `host key ${fingerprint} of ${host} was not trusted; connection not made`);
  }
}

export interface HostKeyCheck {
  store: KnownHostsStore;
  interaction: CoreInteraction;
  policy: HostKeyPolicy;
  audit?: AuditSink;
}

export interface HostKeyOutcome {
  fingerprint: string;
  /** How the key came to be trusted for this connect. */
  trust: 'known' | 'trust-once' | 'trust-always';
}

export async function verifyHostKey(check: HostKeyCheck, host: string, port: number, keyBlob: Buffer, context: PromptContext): Promise<HostKeyOutcome> {
  const fingerprint = fingerprintSha256(keyBlob);
  const keyType = keyBlobType(keyBlob);
  const name = formatHostPort(host, port);
  const record = async (decision: 'trust-once' | 'trust-always' | 'refuse' | 'mismatch'): Promise<void> => {
    await check.audit?.append({ type: 'host-key', host, port, ...(context.hop ? { hop: context.hop } : {}), keyType, fingerprint, decision });
  };
  const status = await check.store.lookup(host, port, keyBlob);
  switch (status.kind) {
    case 'known':
      return { fingerprint, trust: 'known' };
    case 'revoked':
      await record('refuse');
      throw new HostKeyRevokedError(name, fingerprint, status.entry.source);
    case 'changed': {
      const source = status.expected.map((e) => e.source).join(', ');
      await record('mismatch');
      await check.interaction.hostKeyMismatch({
        host, port, keyType, fingerprint, context, source, expected: status.expected.map((e) => fingerprintSha256(e.key)),
      });
      throw new HostKeyMismatchError(name, fingerprint, source);
    }
    case 'unknown': {
      const decision = check.policy === 'accept-new'
        ? 'trust-always'
        : await check.interaction.hostKey({ host, port, keyType, fingerprint, context });
      await record(decision);
      if (decision === 'refuse') throw new HostKeyRefusedError(name, fingerprint);
      if (decision === 'trust-always') await check.store.add(host, port, keyBlob);
      return { fingerprint, trust: decision };
    }
  }
}
