#!/usr/bin/env bash
# Host-evacuation benchmark: a three-host network-namespace lab with every host's link shaped
# (tc tbf), N guests with a memory-dirtying workload on host-a; measures the link's goodput and the
# guests' non-zero memory (the bandwidth lower bound), then (a) evacuates host-a through a plan and
# (b) makes the same moves one `ferry migration start` after another, and writes
# results/report.md, results/chart.png and results/results.json.
# A benchmark, not a test: run it as root on a quiet machine. About 5 minutes per link rate.
#
#   bench/evacuation/run.sh                          # 1 Gbit/s links, 4 guests
#   LINKS="1gbit 100mbit" bench/evacuation/run.sh    # also 100 Mbit/s (much longer)
#   VMS=3 DIRTY_MIBPS=8 bench/evacuation/run.sh      # other guests or workload
#   GUEST_MIB=512 BUFFER_MIB=384 WSS_MIB=16 RESULTS=bench/evacuation/results/large bench/evacuation/run.sh
#                                                    # transfer-dominated: a big buffer filled once, 16 MiB rewritten
#   bench/evacuation/run.sh --report                 # redraw report and chart from results.json
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

# shellcheck source=../preflight.sh
. "$HERE/../preflight.sh"
bench_preflight "$@"

echo "== building Ferry and the benchmark"
# package, not install: the reactor builds what the bench needs without touching ~/.m2
(cd "$REPO" && mvn -q -B -Dstyle.color=never -DskipTests package -pl bench/evacuation -am)
CP="$REPO/ferry-cli/target/ferry.jar:$REPO/bench/live-migration/target/classes:$REPO/bench/evacuation/target/classes"
exec java -Xmx512m -cp "$CP" dev.ferry.bench.evacuation.EvacuationBench "$HERE" "$@"
