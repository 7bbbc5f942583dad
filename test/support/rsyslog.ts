// A private, real rsyslogd (Debian's rsyslog + rsyslog-gnutls) listening for syslog over TLS
// (RFC 5425) on 127.0.0.1 at a port it picks, with certificates the test makes, writing every
// message it receives to a file. Not the system's syslog: its own config, folder and pid file.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestPki } from './fake-azure/certs';

export interface TestRsyslog {
  port: number;
  caPem: string;
  /** Every message received so far, one per line (the raw RFC 5424 message). */
  received(): Promise<string[]>;
  /** Waits (bounded) until at least `count` messages arrived. */
  waitFor(count: number): Promise<string[]>;
  stop(): Promise<void>;
}

const START_WAIT_MS = 30_000;
const RECEIVE_WAIT_MS = 30_000;
const POLL_MS = 100;

export async function startRsyslog(): Promise<TestRsyslog> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-rsyslog-'));
  const pki = createTestPki();
  const file = (n: string) => path.join(dir, n);
  await fs.writeFile(file('ca.pem'), pki.caPem);
  await fs.writeFile(file('cert.pem'), pki.certPem);
  await fs.writeFile(file('key.pem'), pki.keyPem, { mode: 0o600 });
  await fs.writeFile(file('rsyslog.conf'), [
    `global(workDirectory="${dir}" DefaultNetstreamDriver="gtls" DefaultNetstreamDriverCAFile="${file('ca.pem')}"`,
    `  DefaultNetstreamDriverCertFile="${file('cert.pem')}" DefaultNetstreamDriverKeyFile="${file('key.pem')}")`,
    // StreamDriver.Mode 1 = TLS only; anon: the collector does not ask for a client certificate.
    'module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.Authmode="anon")',
    `input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="${file('port')}")`,
    'template(name="raw" type="string" string="%rawmsg%\\n")',
    `action(type="omfile" file="${file('received.log')}" template="raw")`,
    '',
  ].join('\n'));
  const child: ChildProcess = spawn('rsyslogd', ['-n', '-f', file('rsyslog.conf'), '-i', file('rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  const deadline = Date.now() + START_WAIT_MS;
  let port = 0;
  while (!port) {
    if (child.exitCode !== null) throw new Error(`rsyslogd exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`rsyslogd did not listen within ${START_WAIT_MS} ms: ${stderr}`);
    port = Number((await fs.readFile(file('port'), 'utf8').catch(() => '')).trim()) || 0;
    if (!port) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const received = async () => (await fs.readFile(file('received.log'), 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
  return {
    port,
    caPem: pki.caPem,
    received,
    async waitFor(count) {
      const until = Date.now() + RECEIVE_WAIT_MS;
      for (;;) {
        const lines = await received();
        if (lines.length >= count || Date.now() > until) return lines;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
