#!/usr/bin/env bash
# Live migration benchmark: for each link rate (tc tbf on a veth between two network namespaces)
# and each guest workload (the test guest's memory worker: idle, dirtying 0.3x and 0.8x the link,
# and non-convergent), migrates a fresh guest with QEMU's defaults, with a Nova-like fixed policy
# and with Ferry, and writes results/report.md, results/chart.png and results/results.json.
# A benchmark, not a test: run it as root on a quiet machine. About 25-35 minutes for both links.
#
#   bench/live-migration/run.sh                       # 1 Gbit/s and 100 Mbit/s, all workloads
#   LINKS=1gbit WORKLOADS="idle dirty-0.8" bench/live-migration/run.sh    # a part of the matrix
#   CEILING_S=120 bench/live-migration/run.sh          # stop runs that never converge sooner (default 240 s)
#   bench/live-migration/run.sh --report               # redraw report and chart from results.json
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

# shellcheck source=../preflight.sh
. "$HERE/../preflight.sh"
bench_preflight "$@"

echo "== building Ferry and the benchmark"
(cd "$REPO" && mvn -q -B -Dstyle.color=never -DskipTests install -pl bench/live-migration -am)
CP="$REPO/ferry-cli/target/ferry.jar:$REPO/bench/live-migration/target/classes"
exec java -Xmx512m -cp "$CP" dev.ferry.bench.live.LiveBench "$HERE" "$@"
