#!/bin/bash
# Builds Ferry's test/demo guest from Debian packages plus our own C code:
# the Debian cloud kernel, and an initramfs with busybox, guest/init, the
# kernel modules the guest needs and ferry-workload (guest/src).
#
# Usage: guest/build.sh [OUTDIR]        (default OUTDIR: <repo>/build/guest)
#
# Output: OUTDIR/<hash>/vmlinuz and OUTDIR/<hash>/initrd.gz, where <hash>
# covers the guest sources, the kernel package version, the busybox and gcc
# versions; OUTDIR/current -> <hash> and OUTDIR/current.env (KERNEL=, INITRD=)
# point to the newest build. Downloaded packages are kept in OUTDIR/cache, so
# a rebuild with nothing changed does nothing. The last two lines on stdout
# are always KERNEL=<abs path> and INITRD=<abs path>; progress goes to stderr.
set -euo pipefail

GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$GUEST_DIR/.." && pwd)
OUT=${1:-$REPO_DIR/build/guest}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
CACHE=$OUT/cache
META_PKG=linux-image-cloud-amd64

# Modules to put in the initramfs, in load order (relative to
# lib/modules/<ver>/kernel, without .ko). Dependencies come first: virtio
# needs virtio_ring, virtio_net needs net_failover needs failover. button is
# the ACPI power button (CONFIG_ACPI_BUTTON=m), evdev gives /dev/input/event*
# so /init can see it. Any that the kernel has built in are skipped.
MODULES="
drivers/virtio/virtio_ring
drivers/virtio/virtio
drivers/virtio/virtio_pci_legacy_dev
drivers/virtio/virtio_pci_modern_dev
drivers/virtio/virtio_pci
drivers/block/virtio_blk
net/core/failover
drivers/net/net_failover
drivers/net/virtio_net
drivers/acpi/button
drivers/input/evdev
"

log() { echo "build.sh: $*" >&2; }
die() { echo "build.sh: error: $*" >&2; exit 1; }

# --- tools --------------------------------------------------------------
have_tools() {
	local t
	for t in gcc cpio gzip sha256sum dpkg-deb apt-get; do
		command -v "$t" >/dev/null || return 1
	done
	[ -x /bin/busybox ] &&
		dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' &&
		[ -e /usr/include/stdio.h ]
}

ensure_tools() {
	have_tools && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing tools; as root run: apt-get install -y busybox-static gcc libc6-dev cpio gzip"
	fi
	log "installing busybox-static gcc libc6-dev cpio gzip"
	apt-get install -y busybox-static gcc libc6-dev cpio gzip >&2 ||
		{ apt-get update >&2 && apt-get install -y busybox-static gcc libc6-dev cpio gzip >&2; }
	have_tools || die "tools still missing after apt-get install"
}

# --- packages (cached) --------------------------------------------------
apt_download() { # apt_download PKG[=VER]  (into $CACHE)
	local opts=()
	[ "$(id -u)" = 0 ] && opts=(-o APT::Sandbox::User=root)
	(cd "$CACHE" && apt-get download "${opts[@]}" "$1" >&2) && return 0
	[ "$(id -u)" = 0 ] || die "apt-get download $1 failed (run 'apt-get update' as root?)"
	log "apt-get download failed; running apt-get update and retrying"
	apt-get update >&2
	(cd "$CACHE" && apt-get download "${opts[@]}" "$1" >&2)
}

cached_deb() { # cached_deb PKG [VER] -> path of a cached .deb or nothing
	local f
	for f in $(ls "$CACHE/$1"_*.deb 2>/dev/null | sort -V -r); do
		if [ -z "${2:-}" ] || [ "$(dpkg-deb -f "$f" Version)" = "$2" ]; then
			echo "$f"
			return 0
		fi
	done
}

# Sets KPKG, KVER, KDEB: the real kernel package the meta package depends on.
resolve_kernel() {
	local meta dep
	mkdir -p "$CACHE"
	meta=$(cached_deb "$META_PKG")
	if [ -z "$meta" ]; then
		apt_download "$META_PKG"
		meta=$(cached_deb "$META_PKG")
	fi
	[ -n "$meta" ] || die "could not download $META_PKG"
	dep=$(dpkg-deb -f "$meta" Depends | tr ',' '\n' | grep -m1 -o 'linux-image-[^ ]*.*') ||
		die "no linux-image dependency in $meta"
	KPKG=${dep%% *}
	KVER=$(echo "$dep" | sed -n 's/.*(= *\([^)]*\)).*/\1/p')
	[ -n "$KVER" ] || KVER=$(dpkg-deb -f "$meta" Version)
	KDEB=$(cached_deb "$KPKG" "$KVER")
	if [ -z "$KDEB" ]; then
		apt_download "$KPKG=$KVER"
		KDEB=$(cached_deb "$KPKG" "$KVER")
	fi
	[ -n "$KDEB" ] || die "could not download $KPKG=$KVER"
}

build_hash() {
	{
		(cd "$GUEST_DIR" && sha256sum build.sh init $(find src -type f | LC_ALL=C sort))
		echo "kernel $KPKG $KVER"
		echo "busybox $(dpkg-query -W -f='${Version}' busybox-static)"
		echo "gcc $(gcc -dumpfullversion)"
	} | sha256sum | cut -c1-16
}

# --- initramfs ------------------------------------------------------------
copy_modules() { # copy_modules KROOT ROOT
	local moddir=$(dirname "$(find "$1" -path '*/modules/*/modules.builtin' | head -n1)")
	local m f name
	[ -d "$moddir/kernel" ] || die "no modules in the kernel package"
	: >"$2/lib/modules/load-order"
	for m in $MODULES; do
		name=$(basename "$m")
		if grep -qx "kernel/$m.ko" "$moddir/modules.builtin"; then
			log "module $name is built in, skipped"
			continue
		fi
		f=$(ls "$moddir/kernel/$m".ko* 2>/dev/null | head -n1)
		[ -n "$f" ] || die "module $m not found in $KPKG"
		case "$f" in
		*.ko) cp "$f" "$2/lib/modules/$name.ko" ;;
		*.ko.xz) xz -dc "$f" >"$2/lib/modules/$name.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$2/lib/modules/$name.ko" ;;
		*.ko.gz) gzip -dc "$f" >"$2/lib/modules/$name.ko" ;;
		*) die "unknown module format: $f" ;;
		esac
		echo "$name" >>"$2/lib/modules/load-order"
	done
}

make_root() { # make_root KROOT ROOT
	local root=$2 a
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules}
	cp /bin/busybox "$root/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
	done
	install -m 755 "$GUEST_DIR/init" "$root/init"
	gcc -static -O2 -Wall -Wextra -s -pthread -o "$root/bin/ferry-workload" \
		"$GUEST_DIR/src/ferry-workload.c"
	copy_modules "$1" "$root"
	# /dev/console lets the kernel give /init a console before devtmpfs is
	# mounted; needs root, and /init copes without it.
	mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
}

build() { # build DEST
	local tmp=$1.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp/kpkg"
	log "extracting $(basename "$KDEB")"
	dpkg-deb -x "$KDEB" "$tmp/kpkg"
	make_root "$tmp/kpkg" "$tmp/root"
	cp "$(ls "$tmp"/kpkg/boot/vmlinuz-* | head -n1)" "$tmp/vmlinuz"
	find "$tmp/root" -exec touch -h -d @0 {} +
	(cd "$tmp/root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc --reproducible -R 0:0 --quiet) | gzip -9n >"$tmp/initrd.gz"
	rm -rf "$tmp/kpkg" "$tmp/root"
	rm -rf "$1"
	mv "$tmp" "$1"
}

main() {
	local hash dest
	# One build at a time per OUTDIR (tests may call this in parallel).
	exec 9>"$OUT/.lock"
	flock 9
	ensure_tools
	resolve_kernel
	hash=$(build_hash)
	dest=$OUT/$hash
	if [ -s "$dest/vmlinuz" ] && [ -s "$dest/initrd.gz" ]; then
		log "up to date: $dest ($KPKG $KVER)"
	else
		log "building $dest ($KPKG $KVER)"
		build "$dest"
	fi
	ln -sfn "$hash" "$OUT/current.tmp" && mv -T "$OUT/current.tmp" "$OUT/current"
	printf 'KERNEL=%s\nINITRD=%s\n' "$dest/vmlinuz" "$dest/initrd.gz" >"$OUT/current.env"
	echo "KERNEL=$dest/vmlinuz"
	echo "INITRD=$dest/initrd.gz"
}

main
