// A minimal RFC 6455 WebSocket server side (text messages, ping/pong, close), enough to carry the
// contract between the page and the in-process core. No package for this is installed.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE_BYTES = 16 << 20;
const Op = { Continuation: 0x0, Text: 0x1, Binary: 0x2, Close: 0x8, Ping: 0x9, Pong: 0xa } as const;

export interface WebSocketConnection {
  send(text: string): void;
  onMessage(listener: (text: string) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

/** Completes the handshake on an 'upgrade' request; null when the request is not a WebSocket one. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex): WebSocketConnection | null {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || req.headers.upgrade?.toLowerCase() !== 'websocket') return null;
  const accept = createHash('sha1').update(key + GUID).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);

  const messageListeners: ((text: string) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let closed = false;

  const writeFrame = (opcode: number, payload: Buffer) => {
    if (closed || socket.destroyed) return;
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, len])
      : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(len)]);
    socket.write(Buffer.concat([head, payload]));
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    socket.destroy();
    for (const l of closeListeners) l();
  };

  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const b0 = buffer[0] ?? 0;
      const b1 = buffer[1] ?? 0;
      const masked = (b1 & 0x80) !== 0;
      let len = b1 & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (buffer.length < 4) return;
        len = buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (buffer.length < 10) return;
        const big = buffer.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) { finish(); return; }
        len = Number(big);
        offset = 10;
      }
      if (!masked) { finish(); return; } // clients must mask (RFC 6455 5.1)
      if (buffer.length < offset + 4 + len) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + len));
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
      buffer = buffer.subarray(offset + 4 + len);
      const opcode = b0 & 0x0f;
      const fin = (b0 & 0x80) !== 0;
      if (opcode === Op.Ping) writeFrame(Op.Pong, payload);
      else if (opcode === Op.Close) { writeFrame(Op.Close, Buffer.alloc(0)); finish(); return; }
      else if (opcode === Op.Text || opcode === Op.Binary || opcode === Op.Continuation) {
        fragments.push(payload);
        if (fragments.reduce((n, f) => n + f.length, 0) > MAX_MESSAGE_BYTES) { finish(); return; }
        if (fin) {
          const text = Buffer.concat(fragments).toString('utf8');
          fragments = [];
          for (const l of messageListeners) l(text);
        }
      }
    }
  });
  socket.on('close', finish);
  socket.on('error', finish);

  return {
    send: (text) => writeFrame(Op.Text, Buffer.from(text, 'utf8')),
    onMessage: (l) => { messageListeners.push(l); },
    onClose: (l) => { closeListeners.push(l); },
    close: () => { writeFrame(Op.Close, Buffer.alloc(0)); finish(); },
  };
}

function bigLength(len: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(len));
  return b;
}
