// Syslog over TLS (RFC 5425) to a SIEM's collector: one TLS connection per delivery, every record
// as an octet-counted RFC 5424 frame, then a clean close. RFC 5425 has no application-level
// acknowledgement, so "delivered" means the stream was flushed and closed without an error.
import tls from 'node:tls';
import type { ForwardRecord } from './record';
import type { ForwardSink } from './sink';
import { octetCounted, syslogMessage } from './syslog-frame';

export interface SyslogTlsOptions {
  host: string;
  port: number;
  /** PEM of the CA that signed the collector's certificate; default: Node's roots. */
  caPem?: string;
  /** The name the certificate must carry; default the host. */
  serverName?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function syslogTlsSink(opts: SyslogTlsOptions): ForwardSink {
  return {
    name: 'syslog',
    send: (records: ForwardRecord[]) => new Promise<void>((resolve, reject) => {
      const socket = tls.connect({
        host: opts.host, port: opts.port, ...(opts.caPem ? { ca: [opts.caPem] } : {}),
        ...(opts.serverName ? { servername: opts.serverName } : {}),
      });
      let settled = false;
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        reject(err);
      };
      socket.setTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => fail(new Error(`syslog collector ${opts.host}:${opts.port} did not answer in time`)));
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        socket.end(Buffer.concat(records.map((r) => octetCounted(syslogMessage(r, String(process.pid))))));
      });
      // 'finish' is our side flushed; 'close' without an error, the stream is done.
      socket.once('close', (hadError) => {
        if (settled) return;
        if (hadError) return fail(new Error('the syslog TLS stream closed with an error'));
        settled = true;
        resolve();
      });
      socket.on('data', () => undefined);
    }),
  };
}
