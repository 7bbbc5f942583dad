// Behaviour profiles of the software authenticator, modelled on real keys (ctap2-openssh-sk.md §2.3).

export type SimulatorProfileName = 'yubikey5-fw54' | 'ctap21';

export interface SimulatorProfile {
  name: SimulatorProfileName;
  versions: string[];
  extensions: string[];
  aaguid: string;
  /** getInfo options, apart from clientPin which follows the PIN state. */
  options: Record<string, boolean>;
  maxMsgSize: number;
  pinUvAuthProtocols: number[];
  maxCredentialCountInList: number;
  maxCredentialIdLength: number;
  transports: string[];
  /** major.minor.build: CTAPHID INIT version bytes and getInfo firmwareVersion (0xMMmmbb, as YubiKeys report it). */
  firmware: [number, number, number];
  /** Credential management command byte(s) the key answers; others → INVALID_COMMAND. */
  credMgmtCommands: number[];
  /** CTAP 2.1 getPinUvAuthTokenUsingPinWithPermissions (0x09) + single-use mc/ga tokens. */
  tokenPermissions: boolean;
  selection: boolean;
  maxResidentCredentials: number;
  minPinLength: number;
}

export const PROFILES: Record<SimulatorProfileName, SimulatorProfile> = {
  // YubiKey 5 series, firmware 5.2-5.4 (libfido2 issue #686 trace of 5.4.3).
  'yubikey5-fw54': {
    name: 'yubikey5-fw54',
    versions: ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE'],
    extensions: ['credProtect', 'hmac-secret'],
    aaguid: 'ee882879721c491397753dfcce97072a',
    options: { rk: true, up: true, plat: false, credentialMgmtPreview: true },
    maxMsgSize: 1200,
    pinUvAuthProtocols: [2, 1],
    maxCredentialCountInList: 8,
    maxCredentialIdLength: 128,
    transports: ['nfc', 'usb'],
    firmware: [5, 4, 3],
    credMgmtCommands: [0x41],
    tokenPermissions: false,
    selection: false,
    maxResidentCredentials: 25,
    minPinLength: 4,
  },
  // A CTAP 2.1 key (YubiKey 5.7-like): credMgmt 0x0A (and the preview byte), permissions tokens.
  ctap21: {
    name: 'ctap21',
    versions: ['FIDO_2_0', 'FIDO_2_1'],
    extensions: ['credProtect', 'hmac-secret'],
    aaguid: 'a25342c0373841b4b5e7e4bb7e1b0e3b',
    options: { rk: true, up: true, plat: false, credMgmt: true, credentialMgmtPreview: true, pinUvAuthToken: true },
    maxMsgSize: 2048,
    pinUvAuthProtocols: [2, 1],
    maxCredentialCountInList: 8,
    maxCredentialIdLength: 128,
    transports: ['usb'],
    firmware: [5, 7, 1],
    credMgmtCommands: [0x0a, 0x41],
    tokenPermissions: true,
    selection: true,
    maxResidentCredentials: 100,
    minPinLength: 4,
  },
};
