#!/usr/bin/env bash
# Runs fuzz targets for a fixed time each and prints the executions.
#
#   fuzz/run.sh SECONDS [TARGET...]      (default: every target)
#
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# Seeds the corpus from testdata/ first (make_corpus.py). Overflow checks and
# debug assertions are on (Cargo.toml); no sanitizer, as the library forbids
# unsafe code. A crash leaves its input in fuzz/artifacts/<target>/ and
# fails the run; make it a regression test in the normal suite.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(parsers calendar sla availability ingest)
fi
if [ -z "${FUZZ_PREPARED:-}" ]; then
    python3 make_corpus.py
    cargo +nightly fuzz build -O -s none
fi
for target in "${targets[@]}"; do
    log=$(mktemp)
    if ! cargo +nightly fuzz run -O -s none "$target" "corpus/$target" -- \
        -dict=dictionary.txt -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1; then
        tail -40 "$log" >&2
        echo "fuzz: $target failed; the input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    slowest=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log")
    echo "fuzz: $target: ${runs:-?} executions in ${seconds}s, slowest unit ${slowest:-?}s, no crash"
    rm -f "$log"
done
