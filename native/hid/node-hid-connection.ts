import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { HID_PACKET_SIZE, HID_REPORT_SIZE, type HidConnection, type HidDeviceInfo } from './connection';
import { DeviceGoneError, HidAccessDeniedError, HidIoError, HidOpenError } from './errors';

/** The part of node-hid's HIDAsync we use; tests inject a fake with the same shape. */
export interface HidAsyncDevice {
  write(values: number[] | Buffer): Promise<number>;
  read(timeOut?: number): Promise<Buffer | undefined>;
  close(): Promise<void>;
}

export type HidOpener = (path: string) => Promise<HidAsyncDevice>;

const nodeHidOpener: HidOpener = async (path) => {
  const hid = await import('node-hid');
  return hid.HIDAsync.open(path);
};

/**
 * node-hid gives no errno, only a message. Windows 1903+ refuses FIDO interfaces to
 * non-elevated processes with a plain "cannot open device", so there any open failure of a
 * device that enumerated fine is treated as access denied (what ykman/keyroost do too).
 */
export function classifyOpenError(err: unknown, platform: NodeJS.Platform = process.platform): Error {
  const msg = err instanceof Error ? err.message : String(err);
  if (/access.*denied|permission denied|EACCES|EPERM/i.test(msg)) return new HidAccessDeniedError({ cause: err, platform });
  if (platform === 'win32' && /cannot open/i.test(msg)) return new HidAccessDeniedError({ cause: err, platform });
  return new HidOpenError({ cause: err });
}

/** Whether this process may read and write a device node; rejects with the errno when not. */
export type NodeAccessCheck = (path: string) => Promise<void>;

/** Linux hidapi (hidraw backend) paths are device nodes. */
const HIDRAW_PREFIX = '/dev/hidraw';

const readWriteAccess: NodeAccessCheck = (path) => access(path, fsConstants.R_OK | fsConstants.W_OK);

/**
 * classifyOpenError, plus one look at the hidraw node on Linux when hidapi gave no reason: a
 * node this user may not open is the missing udev rule, not a key to re-plug. The look is only a
 * diagnosis; when it cannot tell (node gone, other errno), the open failure stands as it was.
 */
export async function diagnoseOpenError(
  err: unknown, path: string, platform: NodeJS.Platform = process.platform, accessCheck: NodeAccessCheck = readWriteAccess,
): Promise<Error> {
  const classified = classifyOpenError(err, platform);
  if (!(classified instanceof HidOpenError) || platform !== 'linux' || !path.startsWith(HIDRAW_PREFIX)) return classified;
  try {
    await accessCheck(path);
  } catch (probe) {
    const code = (probe as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return new HidAccessDeniedError({ cause: err, platform });
  }
  return classified;
}

export interface OpenOptions {
  opener?: HidOpener;
  platform?: NodeJS.Platform;
  accessCheck?: NodeAccessCheck;
}

export class NodeHidConnection implements HidConnection {
  private closed = false;

  private constructor(readonly info: HidDeviceInfo, private readonly device: HidAsyncDevice) {}

  static async open(info: HidDeviceInfo, options: OpenOptions = {}): Promise<NodeHidConnection> {
    let device: HidAsyncDevice;
    try {
      device = await (options.opener ?? nodeHidOpener)(info.path);
    } catch (err) {
      throw await diagnoseOpenError(err, info.path, options.platform, options.accessCheck);
    }
    return new NodeHidConnection(info, device);
  }

  async write(report: Uint8Array): Promise<void> {
    if (report.length !== HID_REPORT_SIZE || report[0] !== 0x00) {
      throw new HidIoError(`a report must be ${HID_REPORT_SIZE} bytes starting with report id 0`);
    }
    this.assertOpen();
    let written: number;
    try {
      written = await this.device.write(Buffer.from(report));
    } catch (err) {
      throw new DeviceGoneError({ cause: err });
    }
    // hidapi reports the byte count it handed to the OS; anything short means a lost packet.
    if (written < HID_PACKET_SIZE) throw new HidIoError(`short write of ${written} bytes`);
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    this.assertOpen();
    let data: Buffer | undefined;
    try {
      data = await this.device.read(Math.max(0, Math.floor(timeoutMs)));
    } catch (err) {
      throw new DeviceGoneError({ cause: err });
    }
    if (!data || data.length === 0) return null;
    // Some platforms hand back the zero report id in front of the packet.
    if (data.length === HID_REPORT_SIZE && data[0] === 0x00) return new Uint8Array(data.subarray(1));
    if (data.length !== HID_PACKET_SIZE) throw new HidIoError(`unexpected report length ${data.length}`);
    return new Uint8Array(data);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.device.close();
    } catch {
      // Closing a handle of an unplugged key fails; there is nothing left to release.
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new DeviceGoneError();
  }
}
