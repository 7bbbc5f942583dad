// OpenSSH public key lines for tests: a fresh Ed25519 public key wrapped as an ed25519-sk key
// (application "ssh:"), formatted by the project's own .pub writer.
import { generateKeyPairSync } from 'node:crypto';
import { encodeSkPublicKeyBlob, formatPublicKeyLine } from '../../../native/sk/publickey';
import { SkKeyType } from '../../../native/sk/types';

/** An ed25519-sk .pub line exactly as ssh-keygen writes it (comment and trailing newline). */
export function skPubLine(comment = 'NexusIdentitySSHKey'): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return formatPublicKeyLine(encodeSkPublicKeyBlob({ type: SkKeyType.Ed25519, publicKey: Buffer.from(raw), application: 'ssh:' }), comment);
}
