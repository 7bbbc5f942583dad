// solo1, an authenticator we did not write (test/oracles/solo1), as a key our client talks to:
// its PC build runs as a process that takes 64-byte CTAPHID reports over UDP on loopback. The
// adapter here implements the same HidConnection and KeySource the client uses on USB, so every
// byte goes through the real CTAPHID channel, CTAP2 client and facade.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NoSecurityKeyError } from '../../native/authenticator/errors';
import type { KeySource } from '../../native/authenticator/key-source';
import { HID_PACKET_SIZE, HID_REPORT_SIZE, type HidConnection, type HidDeviceInfo } from '../../native/hid/connection';
import { DeviceGoneError, HidIoError } from '../../native/hid/errors';

const ORACLE_DIR = path.resolve(import.meta.dirname, '../oracles/solo1');
export const SOLO1_BIN = path.join(ORACLE_DIR, 'build/main');
const BUILD_SCRIPT = path.join(ORACLE_DIR, 'build.sh');
/** Compiling takes ~10 s on an idle 2-core machine; a busy one gets far more. */
const BUILD_TIMEOUT_MS = 300_000;
const START_TIMEOUT_MS = 30_000;
const PORT_LINE = /solo1 udp port (\d+)\n/;
const OUTPUT_TAIL_CHARS = 4096;

/** SoloKeys' USB ids (solo1 firmware); the PC build has none of its own. */
const SOLO_VENDOR_ID = 0x0483;
const SOLO_PRODUCT_ID = 0xa2ca;

/** Builds the vendored solo1 when its binary is missing (CI builds it in .ci/run already). */
export function ensureSolo1Built(): string {
  if (!existsSync(SOLO1_BIN)) execFileSync('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'ignore', 'pipe'], timeout: BUILD_TIMEOUT_MS });
  return SOLO1_BIN;
}

export interface Solo1 {
  port: number;
  info: HidDeviceInfo;
  source: KeySource;
  /** Its working directory: state files `authenticator_state*.bin`, `resident_keys.bin`. */
  dir: string;
  /** What it printed last, for failure messages. */
  output(): string;
  /** Kill and start again on the same state files: a power cycle (lifts PIN_AUTH_BLOCKED). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  port: number;
}

/** A fresh solo1 in its own temporary directory, on a free loopback UDP port. */
export async function startSolo1(): Promise<Solo1> {
  const bin = ensureSolo1Built();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-solo1-'));
  let tail = '';
  const keep = (d: Buffer): void => { tail = (tail + d.toString()).slice(-OUTPUT_TAIL_CHARS); };
  const launch = (): Promise<Running> => new Promise((resolve, reject) => {
    const child = spawn(bin, ['-p', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`solo1 did not start: ${tail}`)); }, START_TIMEOUT_MS);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', (d: Buffer) => {
      keep(d);
      stderr += d.toString();
      const m = PORT_LINE.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`solo1 exited ${code}: ${tail}`)); });
  });
  let running = await launch();
  const stopChild = async (): Promise<void> => {
    const { child } = running;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const info = (): HidDeviceInfo => solo1Info(running.port);
  const solo: Solo1 = {
    get port() { return running.port; },
    get info() { return info(); },
    get source(): KeySource {
      const usb = solo1KeySource(running.port);
      return {
        list: usb.list,
        // A crashed solo1 would only look like a silent key; say so with what it printed.
        open: async (wanted) => {
          const { child } = running;
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`solo1 is not running (exit ${child.exitCode ?? child.signalCode}): ${tail}`);
          return usb.open(wanted);
        },
      };
    },
    dir,
    output: () => tail,
    async restart() {
      await stopChild();
      running = await launch();
    },
    async stop() {
      await stopChild();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return solo;
}

function solo1Info(port: number): HidDeviceInfo {
  return { path: `udp:127.0.0.1:${port}`, vendorId: SOLO_VENDOR_ID, productId: SOLO_PRODUCT_ID, manufacturer: 'SoloKeys', product: 'solo1 (PC build)' };
}

/** The solo1 listening on `port` as the one plugged-in key. */
export function solo1KeySource(port: number): KeySource {
  const info = solo1Info(port);
  return {
    list: async () => [info],
    open: async (wanted) => {
      if (wanted.path !== info.path) throw new NoSecurityKeyError();
      return UdpHidConnection.open(info, port);
    },
  };
}

/** One handle on a UDP-speaking authenticator: a report out is one datagram, a datagram in is one packet. */
export class UdpHidConnection implements HidConnection {
  private readonly packets: Buffer[] = [];
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(readonly info: HidDeviceInfo, private readonly socket: dgram.Socket) {
    socket.on('message', (msg) => {
      this.packets.push(msg);
      this.waiter?.();
    });
  }

  static async open(info: HidDeviceInfo, port: number): Promise<UdpHidConnection> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => socket.connect(port, '127.0.0.1', () => { socket.off('error', reject); resolve(); }));
    });
    return new UdpHidConnection(info, socket);
  }

  async write(report: Uint8Array): Promise<void> {
    if (report.length !== HID_REPORT_SIZE || report[0] !== 0x00) throw new HidIoError(`a report must be ${HID_REPORT_SIZE} bytes starting with report id 0`);
    if (this.closed) throw new DeviceGoneError();
    await new Promise<void>((resolve, reject) => this.socket.send(report.subarray(1), (err) => (err ? reject(new DeviceGoneError({ cause: err })) : resolve())));
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    if (this.closed) throw new DeviceGoneError();
    if (this.packets.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(0, timeoutMs));
        function done(): void { clearTimeout(timer); resolve(); }
        this.waiter = done;
      });
      this.waiter = undefined;
    }
    const packet = this.packets.shift();
    if (!packet) return null;
    if (packet.length !== HID_PACKET_SIZE) throw new HidIoError(`unexpected report length ${packet.length}`);
    return new Uint8Array(packet);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiter?.();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
