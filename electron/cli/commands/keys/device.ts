// `nbg keys devices|enroll|import|set-pin|change-pin`: the security key itself, like ssh-keygen -t
// ed25519-sk / -K, over the same core the desktop app uses. (`keys upload` and `keys check` are in
// ./entra, the key files in ./files.)
import { errorMessage } from '../../../../native/errors';
import { inertText } from '../../../shared/inert-text';
import { ElevatedElsewhereError, PinNotSetError, userIdFromName, type SecurityKeyInfo } from '../../../../native/authenticator/authenticator';
import { enrollKey, importResidentKeys } from '../../../core/keys/enroll';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../../command';
import { auditedKeyAction } from '../../../core/audit/audited';
import { jsonOption, keyDirOption, keysFor, openAudit, pinStdinOption, printJson, withAudit } from '../../runtime';
import type { TerminalInteraction } from '../../terminal-interaction';
import type { UserInteraction } from '../../../../native/interaction';
import { pinChangeRoute, WINDOWS_KEY_SETTINGS_URI, WINDOWS_PIN_CHANGE_TEXT } from '../../../shared/pin-change';
import { systemOpen } from '../../system-open';

function describeKey(k: SecurityKeyInfo): string {
  if (k.windowsSecurity) return `${k.label}: Windows Security asks for its PIN and touch`;
  const pin = k.pin === 'set' ? `PIN set (${k.pinRetries} tries left)` : k.pin === 'unset' ? 'no PIN yet' : 'no PIN support';
  return `${k.label}: ${pin}; ${k.algorithms.join(', ') || 'no sk algorithms'}; ${k.versions.join(', ')}`;
}

/**
 * On non-elevated Windows a raw-HID step (import, PIN) runs in an elevated copy of this command
 * through UAC; when that copy succeeded, the step is done and this command succeeds too.
 */
async function orDoneElevated(io: CliIo, step: () => Promise<number>): Promise<number> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof ElevatedElsewhereError)) throw err;
    io.stderr.write('Done in the elevated window.\n');
    return ExitCode.Ok;
  }
}

/** A new PIN: twice on a terminal, one line with --pin-stdin. */
async function newPin(interaction: TerminalInteraction, values: OptionValues, purpose: string): Promise<string> {
  const ask = () => interaction.password({ context: { purpose }, user: '', host: '', prompt: 'New PIN (4 to 63 characters)' });
  const first = await ask();
  if (first === null) throw new UsageError('no new PIN given');
  if (values['pin-stdin'] !== true) {
    const again = await interaction.password({ context: { purpose }, user: '', host: '', prompt: 'Repeat the new PIN' });
    if (again !== first) throw new UsageError('the two PINs differ');
  }
  return first;
}


const devices: CommandSpec = {
  path: ['keys', 'devices'],
  options: { ...jsonOption },
  async run({ values, io }) {
    const { authenticator } = await keysFor(io, values);
    const { keys, problems } = await authenticator.listKeys();
    if (values.json) printJson(io, { keys, problems });
    else {
      if (keys.length === 0 && problems.length === 0) io.stdout.write('No security key found. Plug in your YubiKey.\n');
      for (const k of keys) io.stdout.write(`${describeKey(k)}\n`);
      for (const p of problems) io.stdout.write(`${p.label}: ${p.error.message}\n`);
    }
    return problems.length && !keys.length ? ExitCode.Failed : ExitCode.Ok;
  },
};


const enroll: CommandSpec = {
  path: ['keys', 'enroll'],
  options: {
    ...keyDirOption, ...pinStdinOption, ...jsonOption,
    type: { type: 'string' }, 'no-resident': { type: 'boolean' }, 'no-verify-required': { type: 'boolean' },
    comment: { type: 'string' }, file: { type: 'string' }, force: { type: 'boolean' }, user: { type: 'string' },
  },
  async run({ values, io }) {
    const type = (values.type as string | undefined) ?? 'ed25519-sk';
    if (type !== 'ed25519-sk' && type !== 'ecdsa-sk') throw new UsageError(`unknown key type '${type}' (ed25519-sk or ecdsa-sk)`);
    const { authenticator, interaction, store, transport } = await keysFor(io, values);
    const audit = await openAudit(io);
    try {
      const opts = {
        type, resident: values['no-resident'] !== true, verifyRequired: values['no-verify-required'] !== true, transport,
        ...(typeof values.comment === 'string' ? { comment: values.comment } : {}),
        ...(typeof values.file === 'string' ? { file: values.file } : {}),
        ...(typeof values.user === 'string' ? { userId: userIdFromName(values.user) } : {}),
        ...(values.force ? { overwriteFiles: true } : {}),
      } as const;
      let result;
      try {
        result = await enrollKey(authenticator, store, interaction, opts, audit);
      } catch (err) {
        if (!(err instanceof PinNotSetError) || values['pin-stdin'] === true || !(io.stdin.isTTY)) throw err;
        if (!(await interaction.confirm({ kind: 'set-pin', message: 'This security key has no PIN yet. Set one now?', context: { purpose: 'set the PIN' } }))) throw err;
        const pin = await newPin(interaction, values, 'set the PIN');
        await auditedKeyAction(audit, { action: 'set-pin' }, () => authenticator.setPin(pin));
        result = await enrollKey(authenticator, store, interaction, opts, audit);
      }
      if (values.json) {
        printJson(io, { file: result.file, fingerprint: result.fingerprint, publicKeyLine: result.publicKeyLine.trimEnd(), flags: result.handle.flags, replaced: result.replaced, randomUserId: result.randomUserId });
      } else {
        io.stdout.write(`Your identification has been saved in ${result.file}\nYour public key has been saved in ${result.file}.pub\n`);
        io.stdout.write(`The key fingerprint is: ${result.fingerprint}\n${result.publicKeyLine}`);
        io.stderr.write('Next: nbg keys upload (devices pick the key up within the 4-hour sync).\n');
      }
      return ExitCode.Ok;
    } finally {
      await audit?.close();
    }
  },
};

const importCmd: CommandSpec = {
  path: ['keys', 'import'],
  options: { ...keyDirOption, ...pinStdinOption, ...jsonOption, force: { type: 'boolean' } },
  async run({ values, io }) {
    const audit = await openAudit(io);
    try {
      // The elevated copy records its import itself; the log takes one writer at a time.
      const { authenticator, interaction, store } = await keysFor(io, values, { beforeElevating: async () => { await audit?.close(); } });
      return await orDoneElevated(io, async () => {
        const imported = await auditedKeyAction(audit, { action: 'import' },
          () => importResidentKeys(authenticator, store, interaction, values.force ? { overwriteFiles: true } : {}, audit));
        if (values.json) printJson(io, imported);
        else if (imported.length === 0) io.stdout.write('The security key holds no resident ssh: keys.\n');
        else for (const k of imported) io.stdout.write(`${k.skipped ? 'Kept existing' : 'Saved'} ${k.file} (${k.fingerprint})\n`);
        return ExitCode.Ok;
      });
    } finally {
      await audit?.close();
    }
  },
};

const setPin: CommandSpec = {
  path: ['keys', 'set-pin'],
  options: { ...pinStdinOption },
  async run({ values, io }) {
    // The elevated copy records the step itself; the log takes one writer at a time.
    return withAudit(io, async (audit) => {
      const { authenticator, interaction } = await keysFor(io, values, { beforeElevating: async () => { await audit?.close(); } });
      const pin = await newPin(interaction, values, 'set the PIN');
      return orDoneElevated(io, async () => {
        await auditedKeyAction(audit, { action: 'set-pin' }, () => authenticator.setPin(pin));
        io.stderr.write('PIN set.\n');
        return ExitCode.Ok;
      });
    });
  },
};

/**
 * A key behind Windows Security (Windows without admin rights): WebAuthn has no PIN-change call, so
 * this says where Windows changes it and offers to open that page. True when the page was opened;
 * false when the operator declined (the command then goes on to the Administrator route).
 */
export async function offerWindowsPinSettings(io: CliIo, interaction: Pick<UserInteraction, 'confirm'>, open: (target: string) => Promise<void>): Promise<boolean> {
  io.stderr.write(`${WINDOWS_PIN_CHANGE_TEXT}\n`);
  const yes = await interaction.confirm({
    kind: 'open-settings', message: 'Open Windows security key settings now? (No: change it here as Administrator.)', context: { purpose: 'change the PIN' },
  });
  if (!yes) return false;
  try {
    await open(WINDOWS_KEY_SETTINGS_URI);
  } catch (err) {
    io.stderr.write(`Windows Settings did not open (${inertText(errorMessage(err))}); run: start ${WINDOWS_KEY_SETTINGS_URI}\n`);
    return true;
  }
  io.stderr.write('Opened Windows Settings → Sign-in options: change the PIN under Security Key → Manage.\n');
  return true;
}

const changePin: CommandSpec = {
  path: ['keys', 'change-pin'],
  options: { ...pinStdinOption },
  async run({ values, io }) {
    return withAudit(io, async (audit) => {
      const { authenticator, interaction } = await keysFor(io, values, { beforeElevating: async () => { await audit?.close(); } });
      const { keys } = await authenticator.listKeys();
      if (keys.some((k) => pinChangeRoute(k.windowsSecurity ? 'webauthn' : 'hid') === 'windows-settings')
        && await offerWindowsPinSettings(io, interaction, systemOpen)) return ExitCode.Ok;
      const old = await interaction.password({ context: { purpose: 'change the PIN' }, user: '', host: '', prompt: 'Current PIN' });
      if (old === null) throw new UsageError('no current PIN given');
      const pin = await newPin(interaction, values, 'change the PIN');
      return orDoneElevated(io, async () => {
        await auditedKeyAction(audit, { action: 'change-pin' }, () => authenticator.changePin(old, pin));
        io.stderr.write('PIN changed.\n');
        return ExitCode.Ok;
      });
    });
  },
};


export const keyDeviceCommands: CommandSpec[] = [devices, enroll, importCmd, setPin, changePin];
