// Recorded webauthn.dll results (test/fixtures/webauthn-win/*.json): the byte images of
// WEBAUTHN_CREDENTIAL_ATTESTATION / WEBAUTHN_ASSERTION as Windows hands them out, with the request
// they answer and what a correct decoder must make of them. See the README beside the files.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FakeAuthenticator } from './fake-webauthn-dll';
import type { NativeImage } from './native-image';

export const VECTOR_DIR = new URL('../../fixtures/webauthn-win/', import.meta.url);

const hex = z.string().regex(/^([0-9a-f]{2})*$/);
const Image = z.object({ image: hex, relocations: z.array(z.number().int().nonnegative()) });

export const EnrollVector = z.object({
  note: z.string(),
  struct: z.literal('WEBAUTHN_CREDENTIAL_ATTESTATION'),
  request: z.object({
    application: z.string(), alg: z.union([z.literal(-8), z.literal(-7)]), rk: z.boolean(), credProtect: z.number().int(),
    uv: z.boolean(), userId: hex, challenge: hex,
  }),
  result: Image,
  expect: z.object({ publicKeyLine: z.string(), credentialId: hex, credProtect: z.number().int(), fmt: z.string() }),
});
export type EnrollVector = z.infer<typeof EnrollVector>;

export const SignVector = z.object({
  note: z.string(),
  struct: z.literal('WEBAUTHN_ASSERTION'),
  /** The SSHSIG request whose signed data was passed to Windows as client data. */
  request: z.object({
    application: z.string(), keyHandle: hex, uv: z.boolean(), up: z.boolean(),
    namespace: z.string(), message: z.string(), hash: z.enum(['sha256', 'sha512']),
  }),
  result: Image,
  expect: z.object({ flags: z.number().int(), counter: z.number().int() }),
});
export type SignVector = z.infer<typeof SignVector>;

export interface VectorPair { name: string; enroll: EnrollVector; sign: SignVector }

export const VECTOR_NAMES = ['ed25519-sk', 'ecdsa-sk'] as const;

export function readVectorPair(name: string): VectorPair {
  const read = (suffix: string): unknown => JSON.parse(readFileSync(new URL(`${name}.${suffix}.json`, VECTOR_DIR), 'utf8'));
  return { name, enroll: EnrollVector.parse(read('enroll')), sign: SignVector.parse(read('sign')) };
}

export function toImage(r: { image: string; relocations: number[] }): NativeImage {
  return { image: Buffer.from(r.image, 'hex'), relocations: r.relocations };
}

/** Answers with the recorded results, after checking Windows would have been asked the recorded question. */
export function replayAuthenticator(v: VectorPair, expectedSignData: Buffer): FakeAuthenticator {
  return {
    makeCredential(req) {
      if (!req.clientData.data.equals(Buffer.from(v.enroll.request.challenge, 'hex'))) throw new Error('replay: different challenge');
      return { hr: 0, image: toImage(v.enroll.result) };
    },
    getAssertion(req) {
      if (!req.clientData.data.equals(expectedSignData)) throw new Error('replay: different data to sign');
      if (!req.options.allow[0]?.id.equals(Buffer.from(v.sign.request.keyHandle, 'hex'))) throw new Error('replay: different key handle');
      return { hr: 0, image: toImage(v.sign.result) };
    },
  };
}
