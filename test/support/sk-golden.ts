// Fixed inputs behind the golden vectors in test/fixtures/sk (see its README.md).
import { createHash } from 'node:crypto';
import { SkKeyType, type SkKeyHandle } from '../../native/sk/types';
import { fixedPrivateKey, SoftSk } from './soft-sk';

const h = (s: string) => createHash('sha256').update(s).digest();

export const FIXTURES = new URL('../fixtures/sk/', import.meta.url).pathname;
export const GOLDEN_CHECKINT = 0x01020304;
export const GOLDEN_PASSPHRASE = 'correct horse battery staple';
export const PLAIN_ED25519_PASSPHRASE = 'plain pass';

export function goldenEd25519(): SoftSk {
  return new SoftSk({
    type: SkKeyType.Ed25519,
    privateKey: fixedPrivateKey(SkKeyType.Ed25519, h('nbg golden ed25519-sk')),
    keyHandle: Buffer.concat([h('handle-ed-1'), h('handle-ed-2')]),
    keyFlags: 0x35, // resident + verify-required + touch, after a confirmed overwrite (force)
    comment: 'NexusIdentitySSHKey',
    assertionFlags: 0x05,
    counter: 42,
  });
}

export function goldenEcdsa(): SoftSk {
  return new SoftSk({
    type: SkKeyType.EcdsaP256,
    privateKey: fixedPrivateKey(SkKeyType.EcdsaP256, h('nbg golden ecdsa-sk')),
    keyHandle: h('handle-ec'),
    keyFlags: 0x01,
    comment: 'ecdsa golden',
  });
}

export interface GoldenKeyFile {
  name: string;
  handle: SkKeyHandle;
}

export function goldenKeyFiles(): GoldenKeyFile[] {
  return [
    { name: 'sk-ed25519-0x35', handle: goldenEd25519().handle },
    { name: 'sk-ecdsa-0x01', handle: goldenEcdsa().handle },
  ];
}

export const SSHSIG_MESSAGE = Buffer.from('golden message\n');
export const SSHSIG_NAMESPACE = 'file';
