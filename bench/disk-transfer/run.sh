#!/usr/bin/env bash
# Disk transfer benchmark: Ferry's transfer engine vs `qemu-img convert` to an NBD target vs a plain
# copy (socat), on sparse 2 GiB raw images with 10% and 50% of their space holding data, over a veth
# pair between two network namespaces shaped with tc (tbf) to a link rate (default 1 Gbit/s).
# Reports wall time, bytes on the wire (veth counters, both directions) and throughput against the
# link limit, checks every copy with cmp, and writes results/report.md, results/results.csv and
# results/chart.png. A benchmark, not a test: run it on a quiet machine, as root (netns, tc).
#
#   bench/disk-transfer/run.sh                 # 1 Gbit/s, about 3-4 minutes
#   LINKS="1gbit 100mbit" bench/disk-transfer/run.sh   # add a 100 Mbit/s run (about 10 minutes more)
#   SIZE_MIB=512 bench/disk-transfer/run.sh    # smaller images for a quick look
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/results"
LINKS="${LINKS:-1gbit}"
SIZE_MIB="${SIZE_MIB:-2048}"
CAP_MIB="${CAP_MIB:-10}"          # the bandwidth-capped Ferry run, MiB/s (below what Ferry reaches uncapped)
WORK="$(mktemp -d /var/tmp/ferry-bench.XXXXXX)"
NA=ferry-bench-a NB=ferry-bench-b VA=fbench-a VB=fbench-b
IPA=10.214.0.1 IPB=10.214.0.2
PIDS=()

cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  ip netns del "$NA" 2>/dev/null; ip netns del "$NB" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "run.sh needs root (network namespaces, tc)" >&2; exit 1; }
for t in ip tc qemu-img qemu-nbd socat java mvn python3 cmp /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "run.sh needs $t" >&2; exit 1; }
done

echo "== building ferry-transfer"
(cd "$REPO" && mvn -q -B -Dstyle.color=never -Dmaven.test.skip=true install -pl ferry-transfer -am \
  && mvn -q -B -Dstyle.color=never -pl ferry-transfer org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
       -Dmdep.outputFile="$WORK/cp.txt")
CP="$REPO/ferry-transfer/target/classes:$(cat "$WORK/cp.txt")"
tool() { java -Xmx1g -cp "$CP" dev.ferry.transfer.TransferTool "$@"; }

echo "== network namespaces $NA <-> $NB"
ip netns del "$NA" 2>/dev/null || true; ip netns del "$NB" 2>/dev/null || true
ip netns add "$NA"; ip netns add "$NB"
ip -n "$NA" link set lo up; ip -n "$NB" link set lo up
ip link add "$VA" netns "$NA" type veth peer name "$VB" netns "$NB"
ip -n "$NA" addr add "$IPA/30" dev "$VA"; ip -n "$NB" addr add "$IPB/30" dev "$VB"
ip -n "$NA" link set "$VA" up; ip -n "$NB" link set "$VB" up

shape() {  # tbf at the link rate on both ends (data one way, acks the other)
  for ns in "$NA:$VA" "$NB:$VB"; do
    ip netns exec "${ns%%:*}" tc qdisc replace dev "${ns##*:}" root tbf rate "$1" burst 256kb latency 50ms
  done
}
wire() {  # bytes sent a->b and b->a so far
  echo "$(ip netns exec "$NA" cat /sys/class/net/$VA/statistics/tx_bytes) $(ip netns exec "$NB" cat /sys/class/net/$VB/statistics/tx_bytes)"
}

echo "== PKI and images ($SIZE_MIB MiB virtual)"
tool pki "$WORK/pki" "$IPA" "$IPB" 127.0.0.1
mkdir -p "$WORK/src" "$WORK/dst"
for pct in 10 50; do
  python3 - "$WORK/src/sparse$pct.img" "$SIZE_MIB" "$pct" <<'PY'
import os, random, sys
path, size_mib, pct = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
block = 256 << 10                          # data lies in 256 KiB runs at random places
blocks = size_mib * (1 << 20) // block
rnd = random.Random(pct)
text = (b"ferry disk transfer benchmark: half of each data block is text-like, half random. " * 4000)[: block // 2]
with open(path, "wb") as f:
    f.truncate(size_mib << 20)
    for i in sorted(rnd.sample(range(blocks), blocks * pct // 100)):
        f.seek(i * block)
        f.write(os.urandom(block // 2) + text)   # compresses to a bit over half with zstd
PY
done
ls -ls "$WORK/src"

RESULTS="$WORK/results.csv"
CPUT="/usr/bin/time -f %U,%S -a -o $WORK/cpu"   # user and system CPU seconds of every process of a copy
export LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "link,image,method,seconds,wall_seconds,cpu_seconds,wire_a_to_b,wire_b_to_a,logical_bytes,data_bytes,ok" > "$RESULTS"

measure() {  # link image method -- command...; the command copies $SRC to $DST
  local link=$1 image=$2 method=$3; shift 4
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  local before after t0 t1
  rm -f "$WORK/elapsed" "$WORK/cpu"
  before=$(wire); t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N); after=$(wire)
  local ok=yes
  cmp -s "$SRC" "$DST" || ok=NO
  local data; data=$(python3 -c "import os,sys; print(os.stat(sys.argv[1]).st_blocks*512)" "$SRC")
  set -- $before; local ba=$1 bb=$2; set -- $after
  local wall; wall=$(python3 -c "print(f'{$t1-$t0:.2f}')")
  local secs="$wall"
  [ -s "$WORK/elapsed" ] && secs=$(cat "$WORK/elapsed")   # Ferry: the transfer itself, without two JVM start-ups
  local cpu; cpu=$(python3 -c "import sys; print(f'{sum(float(u)+float(s) for u,s in (l.strip().split(\",\") for l in open(sys.argv[1]) if \",\" in l)):.2f}')" "$WORK/cpu")
  local line="$link,$image,$method,$secs,$wall,$cpu,$(( $1 - ba )),$(( $2 - bb )),$(stat -c %s "$SRC"),$data,$ok"
  echo "$line" | tee -a "$RESULTS"
  rm -f "$DST"
}

ferry_copy() {  # extra sender options...
  rm -f "$WORK/ready"
  ip netns exec "$NB" $CPUT java -Xmx1g -cp "$CP" dev.ferry.transfer.TransferTool receive --tls "$WORK/pki/host-b" --bind "$IPB" \
    --target "$DST" --format raw --ready "$WORK/ready" > "$WORK/recv.json" 2>"$WORK/recv.log" &
  local rpid=$!; PIDS+=("$rpid")
  for _ in $(seq 300); do [ -s "$WORK/ready" ] && break; sleep 0.1; done
  read -r port token < "$WORK/ready"
  ip netns exec "$NA" $CPUT java -Xmx1g -cp "$CP" dev.ferry.transfer.TransferTool send --tls "$WORK/pki/host-a" --host "$IPB" \
    --port "$port" --token "$token" --image "$SRC" --format raw "$@" > "$WORK/send.json" 2>"$WORK/send.log"
  wait "$rpid"
  python3 -c "import json,sys; print(f\"{json.load(open(sys.argv[1]))['elapsedMs']/1000:.2f}\")" "$WORK/send.json" > "$WORK/elapsed"
}

nbd_copy() {
  qemu-img create -q -f raw "$DST" "$(stat -c %s "$SRC")"
  ip netns exec "$NB" $CPUT qemu-nbd --format=raw --persistent --bind="$IPB" --port=10809 "$DST" &
  local npid=$!; PIDS+=("$npid")
  for _ in $(seq 100); do ip netns exec "$NA" bash -c "exec 3<>/dev/tcp/$IPB/10809" 2>/dev/null && break; sleep 0.1; done
  ip netns exec "$NA" $CPUT qemu-img convert -n -f raw -O raw "$SRC" "nbd://$IPB:10809"
  kill -TERM $(cat /proc/"$npid"/task/*/children 2>/dev/null) 2>/dev/null || true   # qemu-nbd, under time
  wait "$npid" 2>/dev/null || true
}

plain_copy() {
  ip netns exec "$NB" $CPUT socat -u TCP-LISTEN:9000,bind="$IPB",reuseaddr OPEN:"$DST",creat,trunc &
  local spid=$!; PIDS+=("$spid")
  sleep 0.3
  ip netns exec "$NA" $CPUT socat -u OPEN:"$SRC" TCP:"$IPB":9000
  wait "$spid"
}

for link in $LINKS; do
  shape "$link"
  echo "== link $link"
  for pct in 10 50; do
    SRC="$WORK/src/sparse$pct.img"; DST="$WORK/dst/copy.img"
    measure "$link" "$pct%" "ferry" -- ferry_copy
    measure "$link" "$pct%" "ferry+zstd" -- ferry_copy --compress
    if [ "$pct" = 10 ]; then
      measure "$link" "$pct%" "ferry cap ${CAP_MIB}MiB/s" -- ferry_copy --bandwidth $((CAP_MIB << 20))
    fi
    measure "$link" "$pct%" "qemu-img→NBD" -- nbd_copy
    measure "$link" "$pct%" "plain copy" -- plain_copy
  done
done

mkdir -p "$OUT"
cp "$RESULTS" "$OUT/results.csv"
python3 - "$OUT/results.csv" "$OUT/report.md" "$SIZE_MIB" "$CAP_MIB" <<'PY'
import csv, sys, datetime, platform, os
rows = list(csv.DictReader(open(sys.argv[1])))
rate = {"1gbit": 1e9, "100mbit": 1e8}
out = ["# Disk transfer benchmark", "",
       f"Generated by `bench/disk-transfer/run.sh` on {datetime.date.today()} ({os.cpu_count()} cores). "
       f"Sparse raw images of {sys.argv[3]} MiB virtual size; the data (10% or 50% of the space, in 256 KiB runs at random places) "
       "is half random, half text, so zstd can shrink it to a bit over half. Sender and receiver run in two network namespaces joined "
       "by a veth pair shaped with `tc tbf` at the link rate. *Wire* is the veth's byte counters (both directions, all headers and "
       "TLS included). *Effective* is the image's virtual size over the wall time; *wire rate* is wire bytes over wall time, "
       "against the link limit. Every copy was compared with the source by `cmp`.", "",
       "| link | image | method | time (s) | wall (s) | CPU (s) | wire a→b (MiB) | wire b→a (MiB) | wire / allocated | effective (MiB/s) | wire rate (Mbit/s) | of link | identical |",
       "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
for r in rows:
    t = float(r["seconds"]); wa = int(r["wire_a_to_b"]); wb = int(r["wire_b_to_a"]); wall = float(r["wall_seconds"]); cpu = float(r["cpu_seconds"])
    alloc = int(r["data_bytes"]); logical = int(r["logical_bytes"])
    wire_rate = (wa + wb) * 8 / t / 1e6
    out.append(f"| {r['link']} | {r['image']} | {r['method']} | {t:.2f} | {wall:.2f} | {cpu:.1f} | {wa/2**20:.1f} | {wb/2**20:.1f} | {wa/alloc:.2f} | "
               f"{logical/t/2**20:.0f} | {wire_rate:.0f} | {wire_rate*1e6/rate.get(r['link'], 1e9)*100:.0f}% | {r['ok']} |")
out += ["", "![transfer time and bytes on the wire](chart.png)", "",
        "Notes:",
        "- *CPU* is user+system CPU seconds of all processes of the copy (both ends; for Ferry including JVM start-up and JIT).",
        "- *time* is the copy itself. For Ferry it is the sender's transfer time (connect, TLS, every chunk, the receiver's "
        "verification and whole-image digest); *wall* adds starting two JVMs and `qemu-img map`, which a long-running agent "
        "does not pay per copy. For the baselines both are the command's wall time.",
        f"- Machine load (1/5/15 min) at start: {os.environ.get('LOAD_START', '?')}; at end: {' '.join(open('/proc/loadavg').read().split()[:3])}. "
        "Other work on the machine slows the JVM (Ferry) more than the C tools.",
        f"- *ferry cap {sys.argv[4]}MiB/s* is Ferry with its token-bucket bandwidth limit; its wire rate shows whether the cap holds.",
        "- qemu-img → NBD runs without TLS (plain NBD), Ferry with mutual TLS; the plain copy (socat) sends every byte, zeros included.",
        "- *wire / allocated*: bytes on the wire a→b over the source's allocated bytes (st_blocks); below 1 means holes and zeros were not sent "
        "and compression helped."]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
java "$HERE/Chart.java" "$OUT/results.csv" "$OUT/chart.png"
echo "== wrote $OUT/report.md, $OUT/results.csv, $OUT/chart.png"
cat "$OUT/report.md"
