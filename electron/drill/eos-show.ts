// The text of EOS `show` commands for a drill device. Layouts follow Arista EOS 4.30 output.
import type { DeviceProfile } from './device-profile';

/** What can change while a drill runs (writers' configuration), shared by every session on the device. */
export interface DeviceState {
  profile: DeviceProfile;
  hostname: string;
  /** Per-interface overrides made in configuration mode. */
  interfaceConfig: Map<string, { description?: string; shutdown?: boolean }>;
}

export function newDeviceState(profile: DeviceProfile): DeviceState {
  return { profile, hostname: profile.hostname, interfaceConfig: new Map() };
}

export function showVersion(s: DeviceState): string {
  const p = s.profile;
  return [
    `Arista ${p.model}`,
    'Hardware version: 11.02',
    `Serial number: ${p.serial}`,
    `Hardware MAC address: ${p.systemMac}`,
    `System MAC address: ${p.systemMac}`,
    '',
    `Software image version: ${p.eosVersion}`,
    'Architecture: x86_64',
    `Internal build version: ${p.eosVersion}-33874184.4304M`,
    'Image format version: 3.0',
    'Image optimization: Strata-4GB',
    '',
    `Uptime: ${p.uptime}`,
    `Total memory: ${p.totalMemoryKb} kB`,
    `Free memory: ${p.freeMemoryKb} kB`,
    '',
  ].join('\n');
}

function effectiveInterfaces(s: DeviceState) {
  return s.profile.interfaces.map((i) => {
    const o = s.interfaceConfig.get(i.name);
    const description = o?.description ?? i.description;
    const status = o?.shutdown === true ? 'disabled' : o?.shutdown === false && i.status === 'disabled' ? 'notconnect' : i.status;
    return { ...i, description, status };
  });
}

export function showInterfacesStatus(s: DeviceState): string {
  const rows = effectiveInterfaces(s).map((i) =>
    `${i.name.padEnd(10)} ${i.description.slice(0, 17).padEnd(17)} ${i.status.padEnd(11)} ${i.vlan.padEnd(8)} full   ${i.speed.padEnd(7)} ${i.type}`);
  return [`Port       Name              Status      Vlan     Duplex Speed   Type`, ...rows, ''].join('\n');
}

export function showIpBgpSummary(s: DeviceState): string {
  const p = s.profile;
  if (p.bgpNeighbors.length === 0) return '% BGP inactive\n';
  const rows = p.bgpNeighbors.map((n) =>
    `  ${n.address.padEnd(15)} 4 ${String(n.asn).padEnd(11)} ${String(n.prefixesReceived).padStart(8)} ${String(n.prefixesReceived ? 1 + (n.asn % 50) : 0).padStart(8)}    0    0 ${n.upDown.padStart(8)} ${n.state.padEnd(6)} ${n.state === 'Estab' ? String(n.prefixesReceived).padStart(9) : ''}`);
  return [
    'BGP summary information for VRF default',
    `Router identifier ${p.routerId}, local AS number ${p.asn}`,
    'Neighbor Status Codes: m - Under maintenance',
    '  Neighbor        V AS             MsgRcvd  MsgSent  InQ OutQ  Up/Down State   PfxRcd PfxAcc',
    ...rows, '',
  ].join('\n');
}

export function showRunningConfig(s: DeviceState): string {
  const p = s.profile;
  const out = [
    '! Command: show running-config',
    `! device: ${s.hostname} (${p.model}, EOS-${p.eosVersion})`,
    '!',
    `! boot system flash:/EOS-${p.eosVersion}.swi`,
    '!',
    'no aaa root',
    'aaa authorization exec default local',
    'aaa authorization commands all default local',
    '!',
    `hostname ${s.hostname}`,
    '!',
    'spanning-tree mode mstp',
    '!',
  ];
  for (const i of effectiveInterfaces(s)) {
    out.push(`interface ${i.name.replace(/^Et/, 'Ethernet')}`);
    if (i.description) out.push(`   description ${i.description}`);
    if (i.status === 'disabled') out.push('   shutdown');
    if (i.vlan === 'routed') out.push('   no switchport');
    else out.push(`   switchport access vlan ${i.vlan}`);
    out.push('!');
  }
  out.push('interface Loopback6', '   description in-band management (break-glass backup path)', `   ip address ${p.loopback6Ip}/32`, '!');
  out.push('interface Management1', `   ip address ${p.managementIp}/24`, '!');
  if (p.bgpNeighbors.length) {
    out.push(`router bgp ${p.asn}`, `   router-id ${p.routerId}`);
    for (const n of p.bgpNeighbors) out.push(`   neighbor ${n.address} remote-as ${n.asn}`);
    out.push(`   network ${p.loopback6Ip}/32`, '!');
  }
  out.push('management ssh', '   authentication protocol public-key', '!', 'end', '');
  return out.join('\n');
}
