#!/usr/bin/env bash
# Runs the whole benchmark on this machine: generates a data set, measures the raw limits of
# the database, then starts theodoi serve on 127.0.0.1 and runs every load scenario.
#
#   bench/run.sh [--tasks N] [--backend sqlite|postgres] [--keep]   full run, release build
#   bench/run.sh --smoke                                            CI check, 10,000 tasks
#
# The load step ends with a table of every figure beside its target and the raw limit that the
# raw step measured in the same run (saved as bench-raw.json in the data folder).
# The smoke mode uses the debug build and short scenarios. It fails when a scenario makes no
# request or any request fails, so it checks that the benchmark works, not its timings.
# PostgreSQL runs use the server on 127.0.0.1:5432 (user postgres, no password) and create and
# drop their own database. Generated files go under target/bench/ and are removed at the end
# unless --keep is given.
set -euo pipefail
cd "$(dirname "$0")/.."

tasks=1000000
backend=sqlite
smoke=0
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --tasks) tasks="$2"; shift 2 ;;
        --backend) backend="$2"; shift 2 ;;
        --smoke) smoke=1; tasks=10000; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "unknown option $1; see bench/run.sh --help" >&2; exit 2 ;;
    esac
done
case "$backend" in
    sqlite|postgres) ;;
    *) echo "--backend must be sqlite or postgres, not $backend" >&2; exit 2 ;;
esac

if [ "$smoke" = 1 ]; then
    cargo build --locked -p theodoi -p theodoi-bench
    bin=target/debug
    load_options=(--smoke --duration 3 --clients 20 --read-clients 4 --streams 100 --bulk-tasks 50)
    raw_options=(--seconds 1 --repeat 2)
else
    cargo build --locked --release -p theodoi -p theodoi-bench
    bin=target/release
    load_options=()
    raw_options=()
fi

dir="target/bench/$backend-$tasks"
rm -rf "$dir"
mkdir -p "$dir"
database=()
cleanup() {
    if [ "$backend" = postgres ]; then
        dropdb -h 127.0.0.1 -U postgres --if-exists "$pg_name" || true
    fi
    if [ "$keep" = 0 ]; then
        rm -rf "$dir"
    fi
}
if [ "$backend" = postgres ]; then
    pg_name="theodoi_bench_$$"
    createdb -h 127.0.0.1 -U postgres "$pg_name"
    database=(--database-url "postgres://postgres@127.0.0.1:5432/$pg_name")
fi
trap cleanup EXIT

echo "== machine"
echo "cores: $(nproc)"
free -m | sed -n 2p | awk '{print "memory: " $2 " MiB total, " $7 " MiB available"}'
df -h "$dir" | awk 'NR == 2 {print "disk: " $1 ", " $2 " total, " $4 " free"}'
echo "theodoi $(git rev-parse --short HEAD), $backend, $tasks tasks"

echo
echo "== generate"
"$bin/theodoi-bench" generate --data-dir "$dir" "${database[@]}" --tasks "$tasks"
if [ "$backend" = sqlite ]; then
    du -h "$dir"/theodoi.db* | sed 's/^/size: /'
fi

"$bin/theodoi-bench" raw --data-dir "$dir" "${database[@]}" "${raw_options[@]}"
"$bin/theodoi-bench" load --theodoi "$bin/theodoi" --data-dir "$dir" "${database[@]}" "${load_options[@]}"
