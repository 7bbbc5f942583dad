// `nbg connect DEVICE`: a fabric device by name, dialled exactly as the desktop app dials it —
// the same connect planner picks the jump host, the device user name and the backup address.
import { inertText } from '../../shared/inert-text';
import { errorMessage, NbgError } from '../../../native/errors';
import type { InventoryService } from '../../core/azure/inventory-service';
import { deviceRotation } from '../../core/azure/password-rotation';
import { planView, type ConnectPlan } from '../../core/ssh/sessions/connect-plan';
import { attemptTarget, routeOf } from '../../core/ssh/sessions/sessions-service';
import { ErrorCode } from '../../shared/error-codes';
import type { FabricSummary } from '../../shared/inventory';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption, keyDirOption, pinStdinOption, printJson } from '../runtime';
import { azureServicesFor, defaultAzureCliDeps } from './azure-support';
import { runSession, sessionOptions } from './ssh';

function named(f: FabricSummary, text: string): boolean {
  const t = text.toLowerCase();
  return f.id.toLowerCase() === t || f.name.toLowerCase() === t;
}

/**
 * Before a v1.5 login: when the fabric's passwords are split (devices on different password
 * versions, or a rotation under way), say so and name the devices, this one first. A warning, not
 * a stop: break-glass goes on, and a state that cannot be read is said and passed over.
 */
async function warnOfPasswordSplit(io: CliIo, inventory: InventoryService, fabricId: string, device: string): Promise<void> {
  if (!inventory.passwordRotation) return;
  let view;
  try {
    view = await inventory.passwordRotation(fabricId);
  } catch (err) {
    io.stderr.write(`nbg: the fabric's password rotation state could not be read (${inertText(errorMessage(err))}); a v1.5 password may not match\n`);
    return;
  }
  if (!view.split) return;
  const mine = deviceRotation(view, device);
  io.stderr.write(`nbg: WARNING: ${inertText(view.summary)}\n`);
  if (mine && mine.state !== 'current') io.stderr.write(`nbg: WARNING: ${inertText(mine.name)} ${inertText(mine.detail)}: the password from Key Vault may be refused.\n`);
  else if (mine) io.stderr.write(`nbg: ${inertText(mine.name)} holds the latest passwords.\n`);
}

/** The fabric named by --fabric, else the one fabric whose inventory has the device. */
async function fabricOf(inventory: InventoryService, device: string, fabric: string | undefined): Promise<FabricSummary> {
  const fabrics = await inventory.fabrics(false);
  if (fabric) {
    const found = fabrics.filter((f) => named(f, fabric));
    if (found.length === 1) return found[0]!;
    throw new NbgError(found.length ? ErrorCode.AMBIGUOUS_FABRIC : ErrorCode.UNKNOWN_FABRIC, found.length
      ? `several fabrics are named '${fabric}'; pass the ARM id: ${found.map((f) => f.id).join(', ')}`
      : `no fabric '${fabric}' in the inventory; run 'nbg fabrics'`);
  }
  const wanted = device.toLowerCase();
  const holding: FabricSummary[] = [];
  for (const f of fabrics) {
    const devices = await inventory.devices(f.id);
    if (devices.some((d) => [d.id, d.name, d.hostName].some((n) => n.toLowerCase() === wanted))) holding.push(f);
  }
  if (holding.length === 1) return holding[0]!;
  throw new NbgError(holding.length ? ErrorCode.AMBIGUOUS_DEVICE : ErrorCode.UNKNOWN_DEVICE, holding.length
    ? `'${device}' is in several fabrics (${holding.map((f) => f.name).join(', ')}); pass --fabric`
    : `no device '${device}' in the fabrics you can see; run 'nbg fabrics' and 'nbg devices FABRIC'`);
}

function printPlan(io: CliIo, values: OptionValues, plan: ConnectPlan): void {
  if (values.json) return printJson(io, planView(plan));
  // Names and addresses come from Azure and settings: printed inert.
  const hop = (h: ConnectPlan['target']) => inertText(`${h.user}@${h.host}:${h.port} (${h.label})`);
  io.stdout.write(`${inertText(plan.title)}: ${plan.method === 'v1.5' ? 'Method D v1.5 password' : 'security key'}, ${plan.path} path\n`
    + plan.jumps.map((j) => `  jump    ${hop(j)}\n`).join('') + `  device  ${hop(plan.target)}\n`
    + (plan.fallback ? `  backup  ${inertText(`${plan.fallback.host}:${plan.fallback.port}`)} (tried when the management address fails)\n` : ''));
}

const connect: CommandSpec = {
  path: ['connect'],
  options: {
    ...keyDirOption, ...pinStdinOption, ...jsonOption, ...sessionOptions,
    fabric: { type: 'string' },
    'backup-path': { type: 'boolean' },
    v15: { type: 'boolean' },
    user: { type: 'string' },
    plan: { type: 'boolean' },
    agent: { type: 'string' },
    'token-source': { type: 'string' },
  },
  positionals: true,
  async run({ values, positionals, io }) {
    const [device, ...commandWords] = positionals;
    if (!device) throw new UsageError('name the device (its name, host name or ARM id)');
    const services = azureServicesFor(io, values, defaultAzureCliDeps);
    try {
      const inventory = await services.inventory();
      const fabric = await fabricOf(inventory, device, typeof values.fabric === 'string' ? values.fabric : undefined);
      // Break-glass is when Azure is down: the devices come from the last inventory, and the operator is told.
      if (fabric.offline) io.stderr.write(`nbg: Azure is unreachable; ${inertText(fabric.name)}'s devices are from the inventory cached ${new Date(fabric.lastSynced).toISOString()}\n`);
      const planner = await services.planner();
      // What is known about the device picks the default: a v1.5-only device goes to the password path.
      const suggested = await planner.defaults(fabric.id, device);
      const method = values.v15 ? 'v1.5' : suggested.method;
      const chosenPath = values['backup-path'] ? 'backup' : suggested.path;
      if (method === 'v1.5' && !values.plan) await warnOfPasswordSplit(io, inventory, fabric.id, device);
      if (suggested.why && (method !== 'v2.0' || chosenPath !== 'primary')) io.stderr.write(`nbg: ${method === 'v1.5' ? 'Method D v1.5 password' : 'security key'} over the ${chosenPath} path: ${inertText(suggested.why)}\n`);
      const plan = await planner.plan({
        fabricId: fabric.id, deviceId: device, path: chosenPath, method,
        ...(typeof values.user === 'string' ? { user: values.user } : {}),
      });
      if (plan.notes.length) io.stderr.write(`nbg: ssh_config asks for what nbg does not do, ignored: ${inertText(plan.notes.join('; '))}\n`);
      if (!plan.target.user) throw new UsageError('no device user name: sign in (nbg login), set a user name template without {…}, or pass --user');
      if (values.plan) {
        printPlan(io, values, plan);
        return ExitCode.Ok;
      }
      const { target, chain } = routeOf(plan);
      const command = commandWords.length ? commandWords.join(' ') : undefined;
      // --agent SOCK: every key login signs through that ssh-agent (`nbg agent`), as with nbg ssh.
      const agent = typeof values.agent === 'string' ? { securityKey: false, systemAgent: values.agent } : undefined;
      const route = agent
        ? { target: plan.method === 'v1.5' ? target : { ...target, auth: agent }, chain: chain.map((hop) => ({ ...hop, auth: agent })) }
        : { target, chain };
      return await runSession(io, values, { ...route, ...(command !== undefined ? { command } : {}), needsKey: !agent, attempt: attemptTarget(plan) });
    } finally {
      await services.close();
    }
  },
};

export const connectCommands: CommandSpec[] = [connect];
