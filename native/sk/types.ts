// Records shared by every path that creates or uses an OpenSSH sk key (HID, Windows WebAuthn,
// simulator). Byte layouts live in the modules that encode them; these are the decoded forms.

export const SkKeyType = {
  Ed25519: 'sk-ssh-ed25519@openssh.com',
  EcdsaP256: 'sk-ecdsa-sha2-nistp256@openssh.com',
} as const;
export type SkKeyType = (typeof SkKeyType)[keyof typeof SkKeyType];

/** OpenSSH sk key flags (sk-api.h); also the low bits of authData flags (UP/UV). */
export const SkFlag = {
  UserPresenceRequired: 0x01,
  UserVerificationRequired: 0x04,
  ForceOperation: 0x10,
  Resident: 0x20,
} as const;

export interface SkPublicKey {
  type: SkKeyType;
  /** Ed25519: 32 raw bytes. ECDSA P-256: 65-byte SEC1 uncompressed point (0x04 || X || Y). */
  publicKey: Buffer;
  /** FIDO rpId / OpenSSH application, normally "ssh:". */
  application: string;
}

/** What an openssh-key-v1 sk "private" file holds: no secret, only the handle. */
export interface SkKeyHandle extends SkPublicKey {
  flags: number;
  /** FIDO credential id. Treated as a secret: never logged, never sent to the renderer. */
  keyHandle: Buffer;
  comment: string;
}

/** The result of creating a credential, whichever transport produced it. */
export interface SkCredential extends SkPublicKey {
  credentialId: Buffer;
  /** Full authenticator data from makeCredential (flags, counter, attested credential data). */
  authData: Buffer;
  /** Attestation statement format, e.g. "packed" or "none". */
  fmt: string;
  userId: Buffer;
  /** credProtect level the authenticator reported (0 when absent). */
  credProtect: number;
}

/** The result of one assertion (signature) over OpenSSH data. */
export interface SkAssertion {
  /** 37 bytes: rpIdHash || flags || counter (no extensions). */
  authData: Buffer;
  /** Raw authenticator signature: Ed25519 64 bytes, ES256 ASN.1 DER. */
  signature: Buffer;
  flags: number;
  counter: number;
}
