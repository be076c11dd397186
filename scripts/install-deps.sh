#!/usr/bin/env bash
# Installs what Ferry needs on a fresh Debian 12 machine, and nothing that is already there.
#   build : JDK 17 + Maven (to build the jar)
#   run   : build + QEMU 10 from bookworm-backports, qemu-utils, busybox-static, gcc, cpio, iproute2
#           (QEMU 7.2, Debian 12's own, loses dirty pages when live-migrating TCG guests under load)
set -euo pipefail
what="${1:-run}"
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }

need java openjdk-17-jdk-headless
need mvn maven
if [ "$what" = run ]; then
  need gcc gcc
  need cpio cpio
  need ip iproute2
  need prlimit util-linux
  need socat socat
  dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
fi
qemu_ok() {
  command -v qemu-system-x86_64 >/dev/null 2>&1 || return 1
  local v; v=$(qemu-system-x86_64 --version | head -1 | sed -E 's/.*version ([0-9]+)\..*/\1/')
  [ "$v" -ge 10 ] && command -v qemu-img >/dev/null 2>&1
}

if [ ${#missing[@]} -eq 0 ] && { [ "$what" != run ] || qemu_ok; }; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ferry: missing: ${missing[*]} ${what/build/}$(qemu_ok || [ "$what" != run ] || echo ' qemu-system-x86 (>= 10, bookworm-backports)')" >&2
  echo "ferry: run as root to install them with apt-get, or install them yourself." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
updated=0
update() { [ $updated = 1 ] || { apt-get update -qq; updated=1; }; }
if [ "$what" = run ] && ! qemu_ok; then
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    echo "ferry: adding Debian's bookworm-backports suite for QEMU 10" >&2
    cat > /etc/apt/sources.list.d/ferry-backports.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  fi
  update
  echo "ferry: installing QEMU 10 from bookworm-backports" >&2
  apt-get install -y -qq -t bookworm-backports qemu-system-x86 qemu-utils >/dev/null
fi
if [ ${#missing[@]} -gt 0 ]; then
  update
  echo "ferry: installing ${missing[*]}" >&2
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
