// CTAPHID wire constants (libfido2 param.h, python-fido2 hid/__init__.py, Solo1 ctaphid.h).

export const BROADCAST_CID = Buffer.from([0xff, 0xff, 0xff, 0xff]);
export const INIT_HEADER_LEN = 7;
export const CONT_HEADER_LEN = 5;
export const INIT_PAYLOAD_LEN = 64 - INIT_HEADER_LEN; // 57
export const CONT_PAYLOAD_LEN = 64 - CONT_HEADER_LEN; // 59
export const MAX_SEQ = 0x7f;
/** 57 + 128 * 59: the largest message CTAPHID can frame. */
export const MAX_MESSAGE_LEN = INIT_PAYLOAD_LEN + (MAX_SEQ + 1) * CONT_PAYLOAD_LEN; // 7609
export const TYPE_INIT = 0x80;
export const NONCE_LEN = 8;
export const INIT_RESPONSE_LEN = 17;

export const CtapHidCmd = {
  PING: 0x01,
  MSG: 0x03,
  LOCK: 0x04,
  INIT: 0x06,
  WINK: 0x08,
  CBOR: 0x10,
  CANCEL: 0x11,
  KEEPALIVE: 0x3b,
  ERROR: 0x3f,
} as const;

export const Capability = { WINK: 0x01, LOCK: 0x02, CBOR: 0x04, NMSG: 0x08 } as const;

export const KeepaliveStatus = { PROCESSING: 0x01, UPNEEDED: 0x02 } as const;
export type KeepaliveStatus = (typeof KeepaliveStatus)[keyof typeof KeepaliveStatus];

export const CtapHidErrorCode = {
  INVALID_CMD: 0x01,
  INVALID_PAR: 0x02,
  INVALID_LEN: 0x03,
  INVALID_SEQ: 0x04,
  MSG_TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  OTHER: 0x7f,
} as const;
