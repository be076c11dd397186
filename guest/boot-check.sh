#!/bin/bash
# Boots Ferry's test guest under QEMU/TCG and checks that it does what the
# migration tests rely on: READY within 10 s, heartbeat, memory and disk
# workers reporting OK, clean shutdown on QMP system_powerdown, the disk
# records surviving into the next boot, the same on -machine pc, and the
# ferry.probe=1 quick boot.
#
# Usage: guest/boot-check.sh [OUTDIR]   (OUTDIR as for guest/build.sh)
# Exits 0 only if every check passed. Logs stay in the printed work dir.
set -uo pipefail

GUEST_DIR=$(cd "$(dirname "$0")" && pwd)
QEMU=${QEMU:-qemu-system-x86_64}
READY_LIMIT=10      # s from QEMU start to FERRY-GUEST-READY
POWEROFF_LIMIT=15   # s from system_powerdown to QEMU exit
PASSED=0
FAILED=0
QEMU_PID=

log() { echo "boot-check: $*"; }
pass() { PASSED=$((PASSED + 1)); log "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); log "FAIL $*"; return 1; }

cleanup() {
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
}
trap cleanup EXIT

# --- tools ------------------------------------------------------------------
ensure_tools() {
	command -v "$QEMU" >/dev/null || {
		log "$QEMU not found (install qemu-system-x86, see /work/shared/qemu-notes.md)"
		exit 1
	}
	if ! command -v socat >/dev/null && [ "$(id -u)" = 0 ]; then
		apt-get install -y socat >/dev/null 2>&1 ||
			{ apt-get update >/dev/null 2>&1 && apt-get install -y socat >/dev/null 2>&1; }
	fi
	command -v socat >/dev/null || command -v python3 >/dev/null ||
		command -v nc >/dev/null || { log "need socat, python3 or nc for QMP"; exit 1; }
}

# qmp SOCKET COMMAND: sends one QMP command (after the capabilities handshake).
qmp() {
	local msg
	msg=$(printf '{"execute":"qmp_capabilities"}\n{"execute":"%s"}' "$2")
	if command -v socat >/dev/null; then
		(echo "$msg"; sleep 1) | socat -t 2 - "UNIX-CONNECT:$1"
	elif command -v python3 >/dev/null; then
		python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n"); time.sleep(1)
print(s.recv(65536).decode(errors="replace"))' "$1" "$msg"
	else
		(echo "$msg"; sleep 1) | nc -U -q 2 "$1"
	fi
}

# --- QEMU -----------------------------------------------------------------
# start_guest NAME MACHINE DISK|- APPEND: boots in the background; sets
# QEMU_PID, LOG, SOCK and START (epoch seconds, fractional).
start_guest() {
	local disk_args=()
	LOG=$WORK/$1.log
	SOCK=$WORK/$1.qmp
	rm -f "$LOG" "$SOCK"
	if [ "$3" != - ]; then
		disk_args=(-blockdev "driver=file,filename=$3,node-name=f0"
			-blockdev driver=raw,file=f0,node-name=d0
			-device virtio-blk-pci,drive=d0)
	fi
	START=$(date +%s.%N)
	"$QEMU" -accel tcg -machine "$2" -m 256 -smp 1 -nodefaults -display none \
		-serial "file:$LOG" -qmp "unix:$SOCK,server=on,wait=off" \
		-kernel "$KERNEL" -initrd "$INITRD" -append "$4" "${disk_args[@]}" \
		>"$WORK/$1.qemu.out" 2>&1 &
	QEMU_PID=$!
}

elapsed() { echo "$(date +%s.%N) $START" | awk '{printf "%.1f", $1 - $2}'; }

# wait_line REGEX SECONDS: waits until the guest log has a matching line.
wait_line() {
	local end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le "$end" ]; do
		grep -Eq "$1" "$LOG" 2>/dev/null && return 0
		kill -0 "$QEMU_PID" 2>/dev/null || { grep -Eq "$1" "$LOG" 2>/dev/null; return; }
		sleep 0.1
	done
	return 1
}

# wait_exit SECONDS: waits for QEMU to exit; kills it if it does not.
wait_exit() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		kill -0 "$QEMU_PID" 2>/dev/null || { wait "$QEMU_PID" 2>/dev/null; QEMU_PID=; return 0; }
		sleep 0.1
	done
	cleanup
	QEMU_PID=
	return 1
}

# The serial log has CRLF line ends; this gives lines without the CR.
log_lines() { { tr -d '\r' <"$LOG"; } 2>/dev/null | grep -E "$1"; }

last_field() { # last_field PREFIX KEY: KEY's value on the last line starting with PREFIX
	log_lines "^$1( |\$)" | tail -n1 | grep -oE "(^| )$2=[^ ]*" | cut -d= -f2
}

# --- checks -----------------------------------------------------------------
check_ready() {
	if wait_line '^FERRY-GUEST-READY ' "$READY_LIMIT"; then
		pass "$NAME: FERRY-GUEST-READY after $(elapsed) s (limit $READY_LIMIT s)"
	else
		fail "$NAME: no FERRY-GUEST-READY within $READY_LIMIT s"
		return 1
	fi
}

check_workers() {
	local n1 n2 ok=0
	n1=$(last_field HEARTBEAT n)
	sleep 1
	n2=$(last_field HEARTBEAT n)
	if [ -n "$n1" ] && [ -n "$n2" ] && [ "$n2" -gt "$n1" ]; then
		pass "$NAME: HEARTBEAT advancing (n=$n1 -> n=$n2)"
	else
		fail "$NAME: HEARTBEAT not advancing (n=$n1 -> n=$n2)" || ok=1
	fi
	if wait_line '^MEMORY-OK ' 5; then
		pass "$NAME: $(log_lines '^MEMORY-OK ' | tail -n1)"
	else
		fail "$NAME: no MEMORY-OK line" || ok=1
	fi
	if wait_line '^DISK-OK ' 5; then
		pass "$NAME: $(log_lines '^DISK-OK ' | tail -n1)"
	else
		fail "$NAME: no DISK-OK line" || ok=1
	fi
	check_no_errors && return $ok
}

check_no_errors() {
	local bad
	bad=$(log_lines '^(MEMORY-CORRUPT|MEMORY-BAD|MEMORY-ERROR|DISK-CORRUPT|DISK-ERROR|DISK-NONE|FERRY-GUEST-WARN|FERRY-WORKLOAD-ERROR)')
	[ -z "$bad" ] && pass "$NAME: no error lines" || fail "$NAME: error lines: $bad"
}

# check_disk_verify [EXPECTED_MAX_SEQ]
check_disk_verify() {
	local line records bad missing max
	wait_line '^DISK-VERIFY ' 1
	line=$(log_lines '^DISK-VERIFY ' | tail -n1)
	records=$(last_field DISK-VERIFY records)
	bad=$(last_field DISK-VERIFY bad)
	missing=$(last_field DISK-VERIFY missing)
	max=$(last_field DISK-VERIFY max_seq)
	if [ "${records:-0}" -gt 0 ] && [ "$bad" = 0 ] && [ "$missing" = 0 ] &&
		{ [ -z "${1:-}" ] || [ "$max" = "$1" ]; }; then
		pass "$NAME: $line (expected max_seq=${1:-any})"
	else
		fail "$NAME: bad disk verify: '$line' (expected records>0 bad=0 missing=0 max_seq=${1:-any})"
	fi
}

check_powerdown() {
	local t0
	t0=$(date +%s.%N)
	qmp "$SOCK" system_powerdown >"$WORK/$NAME.qmp.out" 2>&1 &
	if wait_exit "$POWEROFF_LIMIT"; then
		START=$t0
		pass "$NAME: QEMU exited $(elapsed) s after system_powerdown"
	else
		fail "$NAME: QEMU still running $POWEROFF_LIMIT s after system_powerdown (killed)"
	fi
	wait $! 2>/dev/null
	log_lines '^FERRY-GUEST-POWEROFF' >/dev/null && pass "$NAME: FERRY-GUEST-POWEROFF logged" ||
		fail "$NAME: no FERRY-GUEST-POWEROFF in the log"
}

check_probe() {
	if wait_exit 20; then
		pass "$NAME: QEMU exited by itself after $(elapsed) s"
	else
		fail "$NAME: probe guest did not power off within 20 s (killed)"
	fi
	log_lines '^FERRY-GUEST-READY ' >/dev/null && pass "$NAME: FERRY-GUEST-READY logged" ||
		fail "$NAME: no FERRY-GUEST-READY in the log"
}

# run NAME MACHINE DISK APPEND STEPS...: one boot; runs every step unless the
# guest never got READY.
run() {
	local step
	NAME=$1
	log "--- $NAME: -machine $2, append '$4'"
	start_guest "$1" "$2" "$3" "$4"
	shift 4
	for step in "$@"; do
		$step || [ "$step" != check_ready ] || break
	done
	[ -z "$QEMU_PID" ] || wait_exit 0 || true
}

main() {
	local out base stop_seq
	ensure_tools
	out=$("$GUEST_DIR/build.sh" "$@") || { log "build.sh failed"; exit 1; }
	KERNEL=$(echo "$out" | sed -n 's/^KERNEL=//p' | tail -n1)
	INITRD=$(echo "$out" | sed -n 's/^INITRD=//p' | tail -n1)
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-boot-check.XXXXXX")
	DISK=$WORK/data.img
	truncate -s 64M "$DISK"
	log "kernel $KERNEL"
	log "initrd $INITRD"
	log "work dir (logs) $WORK"
	base="console=ttyS0 quiet panic=-1 ferry.mem=64 ferry.rate=20 ferry.disk=vda"

	run q35-write q35 "$DISK" "$base" check_ready check_workers check_powerdown
	stop_seq=$(last_field DISK-STOP seq)
	run q35-verify q35 "$DISK" "$base ferry.diskro=1" \
		check_ready "check_disk_verify $stop_seq" check_no_errors check_powerdown
	run pc pc "$DISK" "$base" \
		check_ready "check_disk_verify $stop_seq" check_workers check_powerdown
	run probe q35 - "console=ttyS0 quiet panic=-1 ferry.probe=1" check_probe

	echo "boot-check: $PASSED passed, $FAILED failed"
	[ "$FAILED" = 0 ]
}

main "$@"
