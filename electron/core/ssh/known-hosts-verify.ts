// The host-key decision for one hop: known → go on; unknown → ask (or accept-new); changed or
// revoked → hard stop. A mismatch can only be acknowledged: there is no override path in code.
// A host certificate vouched for by a @cert-authority CA goes on without asking; one that is not
// falls back to its plain key, as OpenSSH's check_host_key does.
import type { ConnectConfig } from 'ssh2';
import { NbgError } from '../../../native/errors';
import type { PromptContext } from '../../../native/interaction';
import { ErrorCode } from '../../shared/error-codes';
import type { CoreInteraction } from '../prompts/interaction';
import type { AuditEventInput, AuditSink } from '../audit/index';
import { formatHostPort } from './chain';
import { fingerprintSha256 } from '../../../native/sk/publickey';
import { DEFAULT_HOST_KEY_ALGORITHMS, orderHostKeyAlgorithms } from './host-key-order';
import {
  HostCertificateError, hostCertificateProblem, isCertificateType, parseCertificate,
  verifyCertificateSignature, type SshCertificate,
} from './host-cert';
import { keyBlobType } from './known-hosts';
import type { KnownHostsStore } from './known-hosts-store';

/**
 * `ask`: prompt on unknown keys. `accept-new`: trust unknown keys for good (recorded), refuse
 * changed ones. `strict` (StrictHostKeyChecking yes): refuse unknown keys without asking.
 */
export type HostKeyPolicy = 'ask' | 'accept-new' | 'strict';

export class HostKeyMismatchError extends NbgError {
  constructor(readonly host: string, readonly fingerprint: string, readonly source: string) {
    super(ErrorCode.HOST_KEY_MISMATCH, `REMOTE HOST KEY CHANGED for ${host}: presented ${fingerprint}, on record in ${source}. ` +
      'Connection refused. Verify the new key out of band with the fabric owner before changing known_hosts');
  }
}

export class HostKeyRevokedError extends NbgError {
  /** `ca`: the key is certified by a CA whose key (`fingerprint`) is revoked. */
  constructor(readonly host: string, readonly fingerprint: string, readonly source: string, readonly revoked: 'key' | 'ca' = 'key') {
    super(ErrorCode.HOST_KEY_REVOKED, revoked === 'ca'
      ? `the certificate authority ${fingerprint} that signed the host certificate of ${host} is marked @revoked in ${source}; connection refused`
      : `the host key ${fingerprint} of ${host} is marked @revoked in ${source}; connection refused`);
  }
}

export class HostCertificateInvalidError extends NbgError {
  constructor(readonly host: string, cause: HostCertificateError) {
    super(ErrorCode.HOST_CERT_INVALID, `${host} presented a host certificate that cannot be used (${cause.message}); connection refused`, { cause });
  }
}

export class HostKeyRefusedError extends NbgError {
  constructor(readonly host: string, readonly fingerprint: string) {
    super(ErrorCode.HOST_KEY_REFUSED, `host key ${fingerprint} of ${host} was not trusted; connection not made`);
  }
}

export interface HostKeyCheck {
  store: KnownHostsStore;
  interaction: CoreInteraction;
  policy: HostKeyPolicy;
  audit?: AuditSink;
  /** The time host certificates are checked against; default now. */
  clock?: () => Date;
}

export interface HostKeyOutcome {
  /** Of the host key; for a certificate, of the key it certifies (as ssh-keygen -l prints it). */
  fingerprint: string;
  /** How the key came to be trusted for this connect. */
  trust: 'known' | 'trust-once' | 'trust-always' | 'certificate';
  /** trust 'certificate': the fingerprint of the CA key that vouched. */
  ca?: string;
}

type HostKeyDecisionRecord = Extract<AuditEventInput, { type: 'host-key' }>['decision'];

/** ssh2's type definitions predate the patched-in certificate names. */
type HostKeyAlgorithmList = NonNullable<NonNullable<ConnectConfig['algorithms']>['serverHostKey']>;

/**
 * The algorithms to connect to `host` with (its known_hosts name: HostKeyAlias or the address).
 * A HostKeyAlgorithms the operator configured is used verbatim, as OpenSSH does; otherwise the
 * default list in OpenSSH's order_hostkeyalgs order for what is on record for the host.
 */
export async function hostKeyAlgorithms(store: KnownHostsStore, host: string, port: number,
  algorithms: ConnectConfig['algorithms']): Promise<ConnectConfig['algorithms']> {
  if (algorithms?.serverHostKey !== undefined) return algorithms;
  const ordered = orderHostKeyAlgorithms(DEFAULT_HOST_KEY_ALGORITHMS, await store.entriesFor(host, port));
  return { ...algorithms, serverHostKey: ordered as HostKeyAlgorithmList };
}

export function verifyHostKey(check: HostKeyCheck, host: string, port: number, keyBlob: Buffer, context: PromptContext): Promise<HostKeyOutcome> {
  return isCertificateType(keyBlobType(keyBlob))
    ? verifyHostCertificate(check, host, port, keyBlob, context)
    : verifyPlainHostKey(check, host, port, keyBlob, context);
}

function recorder(check: HostKeyCheck, host: string, port: number, context: PromptContext, keyType: string, fingerprint: string) {
  return async (decision: HostKeyDecisionRecord, extra: { ca?: string; reason?: string } = {}): Promise<void> => {
    await check.audit?.append({ type: 'host-key', host, port, ...(context.hop ? { hop: context.hop } : {}), keyType, fingerprint, decision, ...extra });
  };
}

/**
 * A certificate is trusted without a prompt when a @cert-authority line for the host names its CA,
 * the CA signed it, and it is a host certificate for this host name that is valid now. A revoked
 * certified key or CA is a hard stop; anything else falls back to the certified key on its own.
 */
async function verifyHostCertificate(check: HostKeyCheck, host: string, port: number, blob: Buffer, context: PromptContext): Promise<HostKeyOutcome> {
  const name = formatHostPort(host, port);
  let cert: SshCertificate;
  try {
    cert = parseCertificate(blob);
  } catch (err) {
    throw err instanceof HostCertificateError ? new HostCertificateInvalidError(name, err) : err;
  }
  const fingerprint = fingerprintSha256(cert.key);
  const ca = fingerprintSha256(cert.caKey);
  const record = recorder(check, host, port, context, cert.type, fingerprint);
  try {
    // As in OpenSSH, a certificate whose signature fails does not even parse: no fallback.
    verifyCertificateSignature(cert);
  } catch (err) {
    if (!(err instanceof HostCertificateError)) throw err;
    await record('refuse', { ca, reason: err.message });
    throw new HostCertificateInvalidError(name, err);
  }
  const status = await check.store.lookupCertificate(host, port, cert);
  if (status.kind === 'revoked') {
    await record('refuse', { ca, reason: status.revoked === 'ca' ? 'the CA key is revoked' : 'the certified key is revoked' });
    throw new HostKeyRevokedError(name, status.revoked === 'ca' ? ca : fingerprint, status.entry.source, status.revoked);
  }
  // Principals name hosts without a port; on the backup path `host` is the device's primary name,
  // as OpenSSH checks a HostKeyAlias.
  const problem = status.kind === 'vouched'
    ? hostCertificateProblem(cert, host, (check.clock ?? (() => new Date()))())
    : 'no @cert-authority line for this host names its CA';
  if (problem === undefined) {
    await record('certificate', { ca });
    return { fingerprint, trust: 'certificate', ca };
  }
  await record('certificate-rejected', { ca, reason: problem });
  return verifyPlainHostKey(check, host, port, cert.key, context);
}

async function verifyPlainHostKey(check: HostKeyCheck, host: string, port: number, keyBlob: Buffer, context: PromptContext): Promise<HostKeyOutcome> {
  const fingerprint = fingerprintSha256(keyBlob);
  const keyType = keyBlobType(keyBlob);
  const name = formatHostPort(host, port);
  const record = recorder(check, host, port, context, keyType, fingerprint);
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
      const decision = check.policy === 'accept-new' ? 'trust-always'
        : check.policy === 'strict' ? 'refuse'
          : await check.interaction.hostKey({ host, port, keyType, fingerprint, context });
      await record(decision);
      if (decision === 'refuse') throw new HostKeyRefusedError(name, fingerprint);
      if (decision === 'trust-always') await check.store.add(host, port, keyBlob);
      return { fingerprint, trust: decision };
    }
  }
}
