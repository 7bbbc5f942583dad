// The transport seam between CTAPHID and whatever moves 64-byte reports: node-hid on real
// hardware, the software authenticator in tests and drills.

export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
}

export interface HidConnection {
  readonly info: HidDeviceInfo;
  /** Exactly 65 bytes: report id 0x00 then one 64-byte CTAPHID packet. */
  write(report: Uint8Array): Promise<void>;
  /** One 64-byte packet, or null when nothing arrived within timeoutMs. Throws DeviceGoneError when unplugged. */
  read(timeoutMs: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

/** CTAPHID packets are 64 bytes; node-hid wants one extra leading report-id byte on writes. */
export const HID_PACKET_SIZE = 64;
export const HID_REPORT_SIZE = HID_PACKET_SIZE + 1;
