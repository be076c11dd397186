# Sourced by the benchmarks' run.sh (live-migration, evacuation): refuses to start a measuring run
# without root (network namespaces, tc) or the tools the network-namespace lab uses. A run given
# --report only redraws from results.json and needs neither. Usage: bench_preflight "$@"
bench_preflight() {
  if [ "${1:-}" != "--report" ]; then
    [ "$(id -u)" = 0 ] || { echo "run.sh needs root (network namespaces, tc)" >&2; exit 1; }
    for t in ip tc qemu-system-x86_64 python3 java mvn; do
      command -v "$t" >/dev/null || { echo "run.sh needs $t (scripts/test.sh installs the toolchain)" >&2; exit 1; }
    done
  fi
}
