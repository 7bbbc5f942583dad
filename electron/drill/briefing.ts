// The drill briefing an operator reads before practising: where everything is, who may do what,
// which path is broken, the v1.5 passwords of this drill, and how to use stock OpenSSH instead.
import { DRILL_JUMP_ALIAS, drillHostAlias } from './client-files';
import type { DrillFabric } from './fabric';

export interface BriefingOptions {
  sshConfigFile?: string;
}

const addr = (a: { host: string; port: number }) => `${a.host}:${a.port}`;

export function drillBriefing(fabric: DrillFabric, opts: BriefingOptions = {}): string {
  const out: string[] = [
    'NEXUS BREAK-GLASS DRILL — a simulated fabric on this computer (loopback only; nothing real is touched)',
    '',
    `Jump host   ${addr(fabric.jump).padEnd(22)} host key ${fabric.jump.hostKeyFingerprint}`,
    '',
    'Device  Role        MA1 (primary)            Loopback6 (backup)     Login',
  ];
  for (const d of fabric.devices) {
    const login = d.v15 ? 'Method D v1.5 password (TelcoRO / TelcoRW)' : d.requireUv ? 'security key: PIN + touch' : 'security key: touch';
    const primary = `${addr(d.primary)}${d.primaryDead ? ' DOWN' : ''}`;
    out.push(`${d.name.padEnd(7)} ${d.role.padEnd(11)} ${primary.padEnd(24)} ${addr(d.backup).padEnd(22)} ${login}`);
  }
  const dead = fabric.devices.filter((d) => d.primaryDead).map((d) => d.name);
  if (dead.length) out.push('', `Scenario: the management switch path to ${dead.join(', ')} is down; use the in-band Loopback6 address.`);
  out.push('', 'Users (Nexus Network Fabric Service role)');
  for (const u of fabric.users) out.push(`  ${u.name.padEnd(24)} ${u.role === 'writer' ? 'Writer: show + configure' : 'Reader: show only'}`);
  out.push('', 'Method D v1.5 accounts — passwords for THIS drill only, never stored:');
  for (const a of fabric.v15Accounts) out.push(`  ${a.user.padEnd(8)} ${a.password}   (${a.role})`);
  if (opts.sshConfigFile) {
    const ce = fabric.devices.find((d) => !d.v15 && !d.primaryDead);
    const tor = fabric.devices.find((d) => d.primaryDead);
    out.push('', 'With stock OpenSSH:');
    if (ce) out.push(`  ssh -F "${opts.sshConfigFile}" ${drillHostAlias(ce.name)} show version`);
    if (tor) out.push(`  ssh -F "${opts.sshConfigFile}" ${drillHostAlias(tor.name, true)}        # in-band path`);
    out.push(`  (hosts: ${DRILL_JUMP_ALIAS}, drill-<device>, drill-<device>-backup)`);
  }
  return `${out.join('\n')}\n`;
}
