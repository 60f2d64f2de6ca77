#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Proves the README's two commands on a fresh Debian 12: builds a minimal root
# with debootstrap, clones the committed tree (HEAD) into it and runs
# `packaging/bootstrap.sh demo` and then `packaging/bootstrap.sh test` inside it
# with chroot. A package the bootstrap forgets is on every developer machine
# and on none of our users'; only a root with nothing installed shows it.
#
#   sudo packaging/check-fresh.sh [ROOT]      # ROOT defaults to /var/tmp/runlens-fresh
#
# Then it builds the .deb in that root and installs it with apt into a second
# fresh root (ROOT-deb), where it runs what a user runs first: runlens --version,
# runlens runs on the demo store, import runlens.mlflow, runlens.open() on the
# demo store, a C++ program built
# against find_package(RunlensLogger), and the app started from its .desktop
# file under Xvfb (a screenshot of it lands in ROOT-out/ beside the .deb).
#
# Prints each command's wall time and, on failure, the first error line; exits
# non-zero when either command fails. The full log is ROOT.log.
set -euo pipefail

src=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
root=$(realpath -m "${1:-${FRESH_ROOT:-/var/tmp/runlens-fresh}}")
root_b="$root-deb"
log="$root.log"
out="$root-out" # the .deb and the screenshot, kept
suite=bookworm

[ "$(id -u)" -eq 0 ] || { echo "check-fresh: needs root (debootstrap, chroot, mount)" >&2; exit 2; }
for tool in debootstrap chroot findmnt; do
  command -v "$tool" > /dev/null || { echo "check-fresh: $tool is missing (apt-get install debootstrap)" >&2; exit 2; }
done
case "$root" in
  /|/dev*|/proc*|/sys*|/usr|/etc|/home|/root) echo "check-fresh: refusing root $root" >&2; exit 2 ;;
esac

# The machine's own Debian mirror: the fresh root installs from where this one does.
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

mounts_in() { findmnt -rn -o TARGET | awk -v r="$1" 'index($0, r "/") == 1 || $0 == r' | sort -r; }
unmount_all() {
  local m
  for m in $(mounts_in "$root_a") $(mounts_in "$root_b"); do umount "$m" 2> /dev/null || umount -l "$m" || true; done
}
root_a=$root
trap unmount_all EXIT

unmount_all
for old in "$root_a" "$root_b"; do
  # rm -rf through a bound /dev deletes the host's devices: never remove a root with anything mounted in it.
  if [ -n "$(mounts_in "$old")" ]; then
    echo "check-fresh: still mounted under $old, not removing it:" >&2
    mounts_in "$old" >&2
    exit 1
  fi
  [ -e "$old" ] && rm -rf --one-file-system "$old"
done
rm -rf "$out"
mkdir -p "$(dirname "$root")"
: > "$log"

step() { echo "check-fresh: $*" | tee -a "$log"; }
fail() {
  local what=$1
  step "FAILED: $what"
  # The first line that reads like an error is usually the cause; the rest follows from it.
  local first
  first=$(grep -m 1 -n -E '(^|[^a-z])(error|Error|ERROR|FAILED|failed|not found|could not|No such)' "$log.step" || true)
  echo "check-fresh: first error: ${first:-(none recognised; see $log)}" >&2
  exit 1
}

timed() {
  # timed NAME CMD...: runs CMD with its output in the log, prints the wall time.
  local name=$1; shift
  local start=$SECONDS
  step "$name ..."
  if ! "$@" > "$log.step" 2>&1; then
    cat "$log.step" >> "$log"
    step "$name took $((SECONDS - start)) s"
    fail "$name"
  fi
  cat "$log.step" >> "$log"
  step "$name took $((SECONDS - start)) s"
}

timed "debootstrap $suite from $mirror" debootstrap --variant=minbase "$suite" "$root" "$mirror"
cp /etc/resolv.conf "$root/etc/resolv.conf"

# The committed tree only: what a user clones, not this working copy.
timed "clone $(git -C "$src" rev-parse --short HEAD)" git clone --quiet --no-hardlinks "$src" "$root/root/runlens"
rm -rf "$root/root/runlens/.git/hooks"
# The shared test fixtures sit beside the checkout, as on the machines CI runs on.
if [ -d "$src/../shared/fixtures" ]; then
  mkdir -p "$root/root/shared"
  cp -r "$src/../shared/fixtures" "$root/root/shared/"
fi

mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
[ -d /dev/shm ] && mount --bind /dev/shm "$root/dev/shm"

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb "$@"
}
# The two commands exactly as the README gives them, run from the checkout. No display in
# the root: the demo command prints the runs instead of opening the window.
timed "README command 1: packaging/bootstrap.sh demo" in_root /bin/bash -c 'cd /root/runlens && packaging/bootstrap.sh demo'
grep -q "mlp-" "$log.step" || fail "the demo listed no runs"
timed "README command 2: packaging/bootstrap.sh test" in_root /bin/bash -c 'cd /root/runlens && packaging/bootstrap.sh test'

# The .deb, built in the same root, then installed by apt into a second fresh
# root that has nothing but what the package's Depends pull in.
timed "cmake --build build --target package" in_root /bin/bash -c 'cd /root/runlens && cmake --build build --target package'
deb=$(ls "$root"/root/runlens/build/runlens_*_amd64.deb)
mkdir -p "$out"
cp "$deb" "$out/"
step "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"
unmount_all
timed "a second fresh root for the package" debootstrap --variant=minbase "$suite" "$root_b" "$mirror"
cp /etc/resolv.conf "$root_b/etc/resolv.conf"
cp "$deb" "$root_b/root/"
cp "$root/root/runlens/build/demo/runlens-demo.db" "$root_b/root/"
cp -r "$root/root/runlens/examples/installed" "$root_b/root/example-installed"
root=$root_b
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
[ -d /dev/shm ] && mount --bind /dev/shm "$root/dev/shm"
debfile=/root/$(basename "$deb")
timed "apt-get install ./$(basename "$deb") (dependencies resolved by apt)" in_root /bin/bash -c \
  "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $debfile"
timed "installed: runlens --version" in_root runlens --version
timed "installed: runlens runs on the demo store" in_root runlens runs /root/runlens-demo.db
grep -q "mlp-" "$log.step" || fail "the installed runlens listed no runs"
timed "installed: python3 -c 'import runlens.mlflow'" in_root python3 -c 'import runlens, runlens.mlflow; print(runlens.__version__)'
timed "installed: runlens.open() reads the demo store from Python" in_root python3 -c \
  'import runlens; runs = runlens.open("/root/runlens-demo.db").runs(); assert runs, "no runs"; print(len(runs), "runs")'
timed "installed: man runlens, completion, MIME type" in_root /bin/bash -c \
  'test -f /usr/share/man/man1/runlens.1.gz -o -f /usr/share/man/man1/runlens.1 && test -f /usr/share/bash-completion/completions/runlens && test -f /usr/share/mime/packages/runlens.xml'
# What a user's C++ project needs to build against it: a compiler and CMake.
timed "tools for the C++ example and the screenshot" in_root /bin/bash -c \
  'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends cmake g++ make xvfb xauth imagemagick'
timed "installed: a C++ program built against find_package(RunlensLogger)" in_root /bin/bash -c \
  'rm -rf /tmp/cxx && cmake -S /root/example-installed -B /tmp/cxx && cmake --build /tmp/cxx && /tmp/cxx/log_one_run /tmp/cxx/runs.db && runlens runs /tmp/cxx/runs.db'
timed "installed: xvfb-run runlens --version" in_root xvfb-run -a runlens --version
# The app as the desktop starts it: the installed entry's Exec line, on the demo store.
timed "installed: the app launched from its .desktop file, under Xvfb" in_root xvfb-run -a -s '-screen 0 1400x900x24' /bin/bash -c '
  exec_line=$(sed -n "s/^Exec=//p" /usr/share/applications/org.runlens.Runlens.desktop)
  cmd=${exec_line//%F//root/runlens-demo.db}
  $cmd & pid=$!
  sleep 10
  kill -0 $pid || { echo "error: the app exited"; exit 1; }
  import -window root /root/desktop-launch.png
  kill $pid'
cp "$root/root/desktop-launch.png" "$out/"
step "screenshot: $out/desktop-launch.png"

step "passed: both README commands work on a fresh Debian 12, and the .deb installs and runs on another"
