// `nbg keys list` and `nbg keys show`: the security-key SSH key files in the key folder (~/.ssh), read
// without touching the security key.
import { SkFlag } from '../../../../native/sk/types';
import { defaultKeyFileName } from '../../../core/keys/store';
import { ExitCode, UsageError, type CommandSpec } from '../../command';
import { jsonOption, keyDirOption, keyStoreFor, printJson, table } from '../../runtime';

export function describeFlags(flags: number): string {
  const parts: string[] = [];
  if (flags & SkFlag.UserPresenceRequired) parts.push('touch');
  if (flags & SkFlag.UserVerificationRequired) parts.push('verify-required');
  if (flags & SkFlag.Resident) parts.push('resident');
  return `0x${flags.toString(16).padStart(2, '0')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

function shortType(type: string): string {
  return type.startsWith('sk-ssh-ed25519') ? 'ED25519-SK' : 'ECDSA-SK';
}


const list: CommandSpec = {
  path: ['keys', 'list'],
  options: { ...keyDirOption, ...jsonOption },
  async run({ values, io }) {
    const store = keyStoreFor(io, values);
    const { keys, problems } = await store.scan();
    // A damaged key file is said, not listed as if the folder had no key (and the exit code says so).
    for (const p of problems) io.stderr.write(`nbg: warning: key file not usable: ${p.message}\n`);
    if (values.json) printJson(io, keys);
    else if (keys.length === 0) io.stdout.write(`No security-key SSH keys in ${store.dir}. Create one with 'nbg keys enroll'.\n`);
    else {
      io.stdout.write(table([['FILE', 'TYPE', 'FINGERPRINT', 'FLAGS', 'COMMENT'], ...keys.map((k) => [
        k.file, shortType(k.type), k.fingerprint, k.flags === undefined ? '(encrypted)' : describeFlags(k.flags), k.comment ?? '',
      ])]));
    }
    return problems.length ? ExitCode.Failed : ExitCode.Ok;
  },
};

const show: CommandSpec = {
  path: ['keys', 'show'],
  options: { ...keyDirOption, ...jsonOption },
  positionals: true,
  async run({ values, positionals, io }) {
    if (positionals.length > 1) throw new UsageError('at most one key file');
    const store = keyStoreFor(io, values);
    const key = await store.inspect(positionals[0] ?? defaultKeyFileName('sk-ssh-ed25519@openssh.com'));
    const out = {
      file: key.file, type: key.type, fingerprint: key.fingerprint, application: key.application, encrypted: key.encrypted,
      flags: key.flags, comment: key.comment, publicKeyLine: key.publicKeyLine.trimEnd(),
    };
    if (values.json) printJson(io, out);
    else {
      io.stdout.write(`${out.publicKeyLine}\n`);
      io.stdout.write(`file:        ${out.file}\nfingerprint: ${out.fingerprint} (${shortType(out.type)})\napplication: ${out.application ?? '(unknown)'}\n`);
      io.stdout.write(`flags:       ${out.flags === undefined ? '(passphrase-protected: read when the key signs)' : describeFlags(out.flags)}\n`);
    }
    return ExitCode.Ok;
  },
};


export const keyFileCommands: CommandSpec[] = [list, show];
