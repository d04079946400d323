#!/bin/sh
# Builds fullauth's roles example and the comparison in release mode, then runs the comparison.
# Settings (environment): BENCH_POSTGRES_URL, BENCH_PYTHON, BENCH_CLIENTS, BENCH_SECONDS, BENCH_LOGIN_SECONDS,
# BENCH_OUT; BENCHMARKS.md describes them.
set -eu
cd "$(dirname "$0")/../.."
cargo build --release -p roles -p fullauth-bench
target="${CARGO_TARGET_DIR:-target}"
exec "$target/release/compare-servers" "$target/release/roles"
