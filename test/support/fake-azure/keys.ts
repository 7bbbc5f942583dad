// OpenSSH public key lines for tests: real sk keys (random points on the curve are not needed
// for ed25519-sk; any 32 bytes form a syntactically valid key) and plain ed25519 from ssh-keygen.
import { generateKeyPairSync } from 'node:crypto';
import { encodeSkPublicKeyBlob, formatPublicKeyLine } from '../../../native/sk/publickey';
import { SkKeyType } from '../../../native/sk/types';

/** An ed25519-sk .pub line exactly as ssh-keygen writes it (comment and trailing newline). */
export function skPubLine(comment = 'NexusIdentitySSHKey'): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return formatPublicKeyLine(encodeSkPublicKeyBlob({ type: SkKeyType.Ed25519, publicKey: Buffer.from(raw), application: 'ssh:' }), comment);
}
