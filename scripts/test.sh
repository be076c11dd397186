#!/usr/bin/env bash
# Runs all of Ferry's tests, the QEMU ones included, the way CI does (.ci/run calls this):
#   1. installs what is missing (scripts/install-deps.sh: JDK 17, Maven, QEMU 10 from
#      bookworm-backports, the guest's build tools) -- as root, on Debian 12;
#   2. builds the test guest (guest/build.sh; cached, ~0.1 s when current);
#   3. mvn verify over every module.
# Everything the tests create goes under one fresh directory, $FERRY_TEST_TMP (also java.io.tmpdir
# of the test JVMs); on exit every QEMU whose command line mentions it is killed, and it is
# removed, so no guest outlives the run and no other QEMU on the machine is touched.
# Extra arguments go to Maven, e.g.: scripts/test.sh -pl ferry-agent -am -Dtest='GuestLifecycleTest'
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

bash scripts/install-deps.sh run
echo "test.sh: building the test guest" >&2
bash guest/build.sh

FERRY_TEST_TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferry-test.XXXXXX")"
# Like /tmp itself: tests that drop root (embedded PostgreSQL runs as nobody) must reach their files.
chmod 1777 "$FERRY_TEST_TMP"
export FERRY_TEST_TMP
# Pids of QEMU processes whose command line mentions $FERRY_TEST_TMP (read from /proc: a fresh
# Debian has no procps, hence no pgrep/pkill).
test_qemus() {
  local p cmd
  for p in /proc/[0-9]*; do
    cmd="$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" || continue
    case "$cmd" in
      *qemu-system*"$FERRY_TEST_TMP/"*) echo "${p#/proc/}" ;;
    esac
  done
}
reap() {
  local left
  left="$(test_qemus | tr '\n' ' ')"
  if [ -n "$left" ]; then
    echo "test.sh: killing QEMU left running by the tests: $left" >&2
    kill -KILL $left 2>/dev/null || true
    sleep 1
  fi
  if [ -n "${FERRY_TEST_KEEP:-}" ]; then echo "test.sh: kept $FERRY_TEST_TMP" >&2; else rm -rf "$FERRY_TEST_TMP"; fi
}
trap reap EXIT

mvn -B -Dstyle.color=never --no-transfer-progress "-DargLine=-Djava.io.tmpdir=$FERRY_TEST_TMP" verify "$@"
