// The break-glass flow of a drill, run through the real sessions module against the drill fabric:
// sign in through the jump host, fall back to the in-band path, use Method D v1.5, and meet the
// Reader/Writer boundary — what an operator must be able to do at 3 a.m.
import { errorMessage } from '../../native/errors';
import type { UserInteraction } from '../../native/interaction';
import type { AuditSink } from '../core/audit/index';
import type { SkSigner } from '../core/ssh/agent/types';
import { KnownHostsStore } from '../core/ssh/known-hosts-store';
import { SessionManager, type Hop, type Session, type Target } from '../core/ssh/sessions/index';
import { drillInteraction } from './drill-interaction';
import type { DrillDeviceInfo, DrillFabric } from './fabric';

/** Each step may wait for a PIN and touches; bounded so a drill never hangs forever. */
const STEP_TIMEOUT_MS = 300_000;

export interface DrillFlowOptions {
  fabric: DrillFabric;
  signer: SkSigner;
  interaction: UserInteraction;
  /** The operator's drill user (on the jump host and the key-based devices). */
  user: string;
  /** The drill's known_hosts (written by writeDrillClientFiles). */
  knownHostsFile: string;
  audit?: AuditSink;
  report: (line: string) => void;
  timeouts?: { bannerMs?: number };
}

export interface DrillStepResult {
  step: string;
  device: string;
  ok: boolean;
  route?: string;
  detail: string;
}

export async function runDrillFlow(opts: DrillFlowOptions): Promise<DrillStepResult[]> {
  const { fabric, report } = opts;
  const manager = new SessionManager({
    interaction: drillInteraction(opts.interaction, fabric, report),
    signer: opts.signer,
    ...(opts.audit ? { audit: opts.audit } : {}),
    ...(opts.timeouts ? { timeouts: opts.timeouts } : {}),
    hostKeys: { store: new KnownHostsStore({ readOnly: [opts.knownHostsFile], managed: opts.knownHostsFile }), policy: 'ask' },
  });
  const chain: Hop[] = [{ name: 'jump', user: opts.user, host: fabric.jump.host, port: fabric.jump.port }];
  const target = (d: DrillDeviceInfo, user = opts.user): Target => ({
    name: d.name, user, host: d.primary.host, port: d.primary.port, backup: d.backup, ...(d.v15 ? { auth: { password: true } } : {}),
  });
  const pick = (f: (d: DrillDeviceInfo) => boolean) => fabric.devices.find(f);
  const role = fabric.users.find((u) => u.name === opts.user)?.role ?? 'reader';
  const results: DrillStepResult[] = [];
  const step = async (title: string, device: DrillDeviceInfo | undefined, run: (d: DrillDeviceInfo) => Promise<Omit<DrillStepResult, 'step' | 'device'>>) => {
    if (!device) return;
    report(`\n${results.length + 1}. ${title}`);
    let result: Omit<DrillStepResult, 'step' | 'device'>;
    try {
      result = await run(device);
    } catch (err) {
      result = { ok: false, detail: errorMessage(err) };
    }
    results.push({ step: title, device: device.name, ...result });
    report(`   ${result.ok ? 'OK' : 'FAILED'}${result.route ? ` (${result.route} path)` : ''}: ${result.detail}`);
  };

  try {
    await step('Sign in through the jump host and run show version', pick((d) => !d.v15 && !d.primaryDead && d.role === 'CE'), async (d) => {
      const r = await runCommand(manager, target(d), chain, 'show version');
      const sk = r.session.info.skFlags !== undefined ? `, sk flags 0x${r.session.info.skFlags.toString(16).padStart(2, '0')} counter ${r.session.info.lastSkCounter}` : '';
      return { ok: r.exitCode === 0 && r.output.startsWith('Arista'), route: r.session.info.route, detail: `${r.output.split('\n')[0]}${sk}` };
    });
    await step('Management path down: reach the device over in-band Loopback6', pick((d) => d.primaryDead), async (d) => {
      const r = await runCommand(manager, target(d), chain, 'show interfaces status');
      const up = r.output.split('\n').filter((l) => / connected /.test(l)).length;
      return { ok: r.exitCode === 0 && r.session.info.route === 'backup', route: r.session.info.route, detail: `${up} interfaces connected` };
    });
    await step('Method D v1.5 fallback with the shared TelcoRO account', pick((d) => d.v15), async (d) => {
      const r = await runCommand(manager, target(d, 'TelcoRO'), chain, 'show ip bgp summary');
      const estab = r.output.split('\n').filter((l) => / Estab /.test(l)).length;
      return { ok: r.exitCode === 0, route: r.session.info.route, detail: `${estab} BGP peers established (logged in with ${r.session.info.method})` };
    });
    await step(`Your role (${role}) at configure terminal`, pick((d) => !d.v15 && !d.primaryDead && d.role === 'CE' && d.name !== 'CE1') ?? pick((d) => !d.v15 && !d.primaryDead), async (d) => {
      const session = await manager.connect(target(d), chain, { pty: { cols: 120, rows: 40 } });
      try {
        const screen = new Screen(session);
        await screen.until(/>$/);
        session.write('enable\r');
        await screen.until(/#$/);
        session.write('configure terminal\r');
        const reply = await screen.until(/(\(config\)#|% Authorization denied[^\n]*\n[^\n]*#)$/);
        const configured = reply.endsWith('(config)#');
        session.write(configured ? 'end\rexit\r' : 'exit\r');
        const expected = role === 'writer' ? configured : !configured;
        return { ok: expected, route: session.info.route, detail: configured ? 'entered (config)# as a Writer' : 'refused: % Authorization denied, as a Reader should be' };
      } finally {
        session.close();
      }
    });
  } finally {
    manager.closeAll();
  }
  return results;
}

async function runCommand(manager: SessionManager, target: Target, chain: Hop[], command: string): Promise<{ session: Session; output: string; exitCode?: number }> {
  const session = manager.open(target, chain, { command, pty: false });
  let output = '';
  session.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const closed = session.whenClosed();
  await session.connect();
  const state = await withTimeout(closed, STEP_TIMEOUT_MS, `${command} on ${target.name}`);
  return { session, output, ...(state.exitCode !== undefined ? { exitCode: state.exitCode } : {}) };
}

/** Collects a shell session's output and waits for a pattern at its end. */
class Screen {
  private text = '';
  private wake: (() => void) | undefined;

  constructor(session: Session) {
    session.on('data', (d: Buffer) => {
      this.text += d.toString('utf8').replace(/\r\n/g, '\n');
      this.wake?.();
    });
  }

  until(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return withTimeout(new Promise<string>((resolve) => {
      const check = () => {
        if (!pattern.test(this.text)) return;
        const seen = this.text;
        this.text = '';
        this.wake = undefined;
        resolve(seen);
      };
      this.wake = check;
      check();
    }), timeoutMs, `the device prompt (${pattern.source})`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
