#!/usr/bin/env bash
# Builds the vendored solo1 PC authenticator (src/, untouched by the build) into build/main, which
# git ignores. Safe to run concurrently: runs take turns (flock), the first builds, the others find
# the binary; a build happens in a scratch copy and the binary is renamed into place, so a killed
# build leaves none half-written. Needs build-essential and libsodium-dev (Debian).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/build"
force="${1:-}"
if [ -x "$out/main" ] && [ "$force" != "--force" ]; then exit 0; fi
mkdir -p "$out"
exec 9>"$out/.lock"
flock 9
if [ -x "$out/main" ] && [ "$force" != "--force" ]; then exit 0; fi
scratch="$(mktemp -d "$out/src.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
cp -a "$here/src/." "$scratch/"
# The version variables are given so that version.mk needs neither git nor `python` (Debian has only python3).
make -C "$scratch" -j2 SOLO_VERSION_FULL=4.1.5 SOLO_VERSION=4.1.5 SOLO_VERSION_MAJ=4 SOLO_VERSION_MIN=1 SOLO_VERSION_PAT=5 main >"$scratch/build.log" 2>&1 || { tail -40 "$scratch/build.log" >&2; exit 1; }
mv "$scratch/main" "$out/main.$$"
mv -f "$out/main.$$" "$out/main"
