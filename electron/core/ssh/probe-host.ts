// "Test jump host": reach the address, read its SSH host key and compare it with known_hosts,
// without logging in (the key exchange is stopped at host-key verification, so no key is asked).
import ssh2 from 'ssh2';
import { fingerprintSha256 } from '../../../native/sk/publickey';
import { errorMessage } from '../../../native/errors';
import type { JumpProbe } from '../../shared/settings';
import type { KnownHostsStore } from './known-hosts-store';

const PROBE_TIMEOUT_MS = 8000;
/** Never used to log in: the probe stops before authentication. */
const PROBE_USER = 'nbg-probe';

const STATUS_TEXT = {
  known: 'matches known_hosts',
  unknown: 'not in known_hosts yet: the first connect asks you to check its fingerprint',
  changed: 'DIFFERS from known_hosts: connects through it stop until you verify the new key',
  revoked: 'is marked @revoked in known_hosts: connects through it stop',
} as const;

export async function probeHost(address: { host: string; port: number }, store: KnownHostsStore, timeoutMs = PROBE_TIMEOUT_MS): Promise<JumpProbe> {
  const where = `${address.host}:${address.port}`;
  const key = await new Promise<Buffer | { error: string }>((resolve) => {
    const client = new ssh2.Client();
    let seen: Buffer | undefined;
    const done = (value: Buffer | { error: string }) => {
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      client.end();
      resolve(value);
    };
    client.on('error', (err) => done(seen ?? { error: errorMessage(err) }));
    client.on('close', () => done(seen ?? { error: 'the connection closed before a host key was offered' }));
    client.connect({
      host: address.host, port: address.port, username: PROBE_USER, readyTimeout: timeoutMs,
      hostVerifier: (blob: Buffer) => {
        seen = Buffer.from(blob);
        setImmediate(() => done(seen!));
        return false;
      },
    });
  });
  if (!Buffer.isBuffer(key)) return { reachable: false, detail: `${where} is not answering as an SSH server: ${key.error}`.slice(0, 512) };
  const status = await store.lookup(address.host, address.port, key);
  const fingerprint = fingerprintSha256(key);
  return { reachable: true, hostKey: { fingerprint, status: status.kind }, detail: `${where} answers; its host key ${fingerprint} ${STATUS_TEXT[status.kind]}.` };
}
