#!/usr/bin/env bash
# A Debian 13 (trixie) root with OpenSSH >= 9.9 (mlkem768x25519-sha256) for tests that need a
# newer sshd than Debian 12's 9.2. Built once with debootstrap from the Debian archive into a
# cache folder, then run through chroot as root on a private loopback port (test/support/sshd.ts).
# Idempotent and safe to run concurrently: builds beside the target under a lock, then renames.
# Prints the root's path. Env: NBG_OPENSSH_ROOT (target), NBG_DEBIAN_MIRROR (archive URL).
set -euo pipefail
root="${NBG_OPENSSH_ROOT:-/var/cache/nbg/openssh-trixie}"
# The Debian archive this machine's apt already uses (deb822 sources), else the public one.
apt_mirror=$(awk '/^URIs:/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
mirror="${NBG_DEBIAN_MIRROR:-${apt_mirror:-http://deb.debian.org/debian}}"
ready="$root/.nbg-ready"
if [ -f "$ready" ]; then echo "$root"; exit 0; fi
[ "$(id -u)" = 0 ] || { echo "building $root needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9
if [ -f "$ready" ]; then echo "$root"; exit 0; fi
work="$root.build.$$"
rm -rf "$work" "$root"
started=$SECONDS
debootstrap --variant=minbase --include=openssh-server trixie "$work" "$mirror" >"$work.log" 2>&1 \
  || { tail -20 "$work.log" >&2; rm -rf "$work"; exit 1; }
# Tests make their own host keys; the ones the package generated are not used.
rm -f "$work"/etc/ssh/ssh_host_*
chroot "$work" /usr/sbin/sshd -V 2>"$work/.nbg-ready.tmp" || true
mv "$work" "$root"
mv "$root/.nbg-ready.tmp" "$ready"
rm -f "$work.log"
echo "built $root ($(cat "$ready")) in $((SECONDS - started)) s" >&2
echo "$root"
