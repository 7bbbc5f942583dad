// OpenSSH >= 9.9 for tests: a Debian 13 root (openssh-trixie-root.sh; `.ci/run` builds it ahead),
// built here when missing. A test that needs it fails with the reason when it cannot be had: a
// post-quantum key exchange is not proven by skipping.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const SCRIPT = path.join(import.meta.dirname, 'openssh-trixie-root.sh');
/** debootstrap of a minbase root takes about a minute on an idle machine; a busy one is slower. */
const BUILD_TIMEOUT_MS = 15 * 60_000;

let cached: string | undefined;

/** The Debian 13 root's path (its sshd is `chroot ROOT /usr/sbin/sshd`). */
export function modernOpensshRoot(): string {
  cached ??= execFileSync('bash', [SCRIPT], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return cached;
}

/** `OpenSSH_10.0p2 ...` as the root's sshd reports it. */
export function modernOpensshVersion(root: string): string {
  return execFileSync('cat', [path.join(root, '.nbg-ready')], { encoding: 'utf8' }).trim();
}
