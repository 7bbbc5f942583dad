// What a drill device looks like from its shell: model, serial, interfaces, BGP peers. Generated,
// realistic, and deterministic from the device name, so a drill briefing and a screenshot agree run
// after run. The 10.x addresses below are text in show output only; nothing ever dials them.
import { createHash } from 'node:crypto';

/** Network fabric device roles as Azure Operator Nexus names them (NetworkDeviceRole). */
export type DrillDeviceRole = 'CE' | 'ToR' | 'NPB' | 'TS' | 'Management';

export interface DeviceInterface {
  name: string;
  description: string;
  status: 'connected' | 'notconnect' | 'disabled';
  vlan: string;
  speed: string;
  type: string;
}

export interface BgpNeighbor {
  address: string;
  asn: number;
  state: 'Estab' | 'Active' | 'Connect';
  prefixesReceived: number;
  upDown: string;
}

export interface DeviceProfile {
  hostname: string;
  role: DrillDeviceRole;
  model: string;
  serial: string;
  systemMac: string;
  eosVersion: string;
  uptime: string;
  totalMemoryKb: number;
  freeMemoryKb: number;
  managementIp: string;
  loopback6Ip: string;
  asn: number;
  routerId: string;
  interfaces: DeviceInterface[];
  bgpNeighbors: BgpNeighbor[];
}

const MODELS: Record<DrillDeviceRole, { model: string; ports: number; speed: string; type: string }> = {
  CE: { model: 'DCS-7280DR3-24-F', ports: 12, speed: '400G', type: '400GBASE-DR4' },
  ToR: { model: 'DCS-7280DR3AK-36-F', ports: 12, speed: '100G', type: '100GBASE-SR4' },
  NPB: { model: 'DCS-7280SR3-48YC8-F', ports: 10, speed: '25G', type: '25GBASE-SR' },
  TS: { model: 'DCS-7010TX-48-F', ports: 8, speed: '1G', type: '1000BASE-T' },
  Management: { model: 'DCS-7010TX-48-F', ports: 10, speed: '1G', type: '1000BASE-T' },
};
const EOS_VERSION = '4.30.4M';
/** Arista's OUI, so MAC addresses look like the vendor's. */
const ARISTA_OUI = [0x28, 0x99, 0x3a];

/** A stream of bytes derived from the name: the same name always yields the same device. */
class Seeded {
  private block = 0;
  private pool = Buffer.alloc(0);
  constructor(private readonly seed: string) {}
  byte(): number {
    if (this.pool.length === 0) this.pool = createHash('sha256').update(`${this.seed}/${this.block++}`).digest();
    const b = this.pool[0]!;
    this.pool = this.pool.subarray(1);
    return b;
  }
  int(max: number): number {
    return ((this.byte() << 16) | (this.byte() << 8) | this.byte()) % max;
  }
}

export function deviceProfile(name: string, role: DrillDeviceRole): DeviceProfile {
  const r = new Seeded(`nbg-drill/${name}`);
  const spec = MODELS[role];
  const site = 1 + r.int(200);
  const mac = [...ARISTA_OUI, r.byte(), r.byte(), r.byte()].map((b) => b.toString(16).padStart(2, '0'));
  const asn = 65000 + r.int(500);
  const hostname = `nx-${name.toLowerCase()}-${String(site).padStart(3, '0')}`;
  const managementIp = `10.${100 + r.int(100)}.${r.int(250)}.${10 + r.int(200)}`;
  const loopback6Ip = `10.${200 + r.int(50)}.${r.int(250)}.${1 + r.int(250)}`;
  const interfaces: DeviceInterface[] = [];
  for (let i = 1; i <= spec.ports; i++) {
    const roll = r.int(10);
    const status = roll < 7 ? 'connected' : roll < 9 ? 'notconnect' : 'disabled';
    interfaces.push({
      name: `Et${i}/1`,
      description: status === 'connected' ? peerDescription(role, i) : '',
      status,
      vlan: role === 'ToR' && i > 4 ? String(500 + r.int(100)) : 'routed',
      speed: status === 'connected' ? spec.speed : 'auto',
      type: spec.type,
    });
  }
  const neighbors: BgpNeighbor[] = [];
  const peerCount = role === 'TS' ? 0 : 2 + r.int(3);
  for (let i = 0; i < peerCount; i++) {
    const state = r.int(10) < 8 ? 'Estab' : 'Active';
    neighbors.push({
      address: `10.${r.int(250)}.${r.int(250)}.${1 + r.int(250)}`,
      asn: 64500 + r.int(900),
      state,
      prefixesReceived: state === 'Estab' ? 10 + r.int(4000) : 0,
      upDown: state === 'Estab' ? `${1 + r.int(60)}d${r.int(24)}h` : `${r.int(59)}:${String(r.int(60)).padStart(2, '0')}:00`,
    });
  }
  const total = 32_803_344;
  return {
    hostname, role, model: spec.model,
    serial: `JPE${String(21_000_000 + r.int(9_000_000))}`,
    systemMac: `${mac[0]}${mac[1]}.${mac[2]}${mac[3]}.${mac[4]}${mac[5]}`,
    eosVersion: EOS_VERSION,
    uptime: `${1 + r.int(60)} weeks, ${r.int(7)} days, ${r.int(24)} hours and ${r.int(60)} minutes`,
    totalMemoryKb: total,
    freeMemoryKb: total - 6_000_000 - r.int(4_000_000),
    managementIp, loopback6Ip, asn,
    routerId: loopback6Ip,
    interfaces, bgpNeighbors: neighbors,
  };
}

function peerDescription(role: DrillDeviceRole, port: number): string {
  if (role === 'CE') return port <= 2 ? `PE-uplink-${port}` : `ToR-${Math.ceil((port - 2) / 2)}`;
  if (role === 'ToR') return port <= 2 ? `CE-${port}` : `compute-${port - 2}`;
  if (role === 'NPB') return `tap-${port}`;
  if (role === 'TS') return `console-${port}`;
  return `mgmt-${port}`;
}
