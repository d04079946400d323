#!/bin/sh
# GET /me on a fresh session and on the same user's session after many refreshes, with wrk, on the roles example
# (release build). Each refresh leaves a spent token row in the session's family; the session check must not get
# slower with them. Needs wrk, curl and python3 (and psql for PostgreSQL).
# Settings (environment): BENCH_POSTGRES_URL (a server URL: the script creates its own database there; SQLite in
# a temporary file otherwise), BENCH_REFRESHES (default 1000), BENCH_SECONDS (default 10), BENCH_CLIENTS (16).
set -eu
cd "$(dirname "$0")/../.."
refreshes="${BENCH_REFRESHES:-1000}"
seconds="${BENCH_SECONDS:-10}"
clients="${BENCH_CLIENTS:-16}"
cargo build --release -p roles
target="${CARGO_TARGET_DIR:-target}"
work="$(mktemp -d)"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    database="fullauth_long_session_$$"
    psql -q "$BENCH_POSTGRES_URL" -c "CREATE DATABASE $database"
    DATABASE_URL="${BENCH_POSTGRES_URL%/*}/$database"
else
    DATABASE_URL="sqlite://$work/fullauth.db"
fi
export DATABASE_URL
export FULLAUTH_SECRET_KEY=long-session-benchmark-key-0123456789abcdef FULLAUTH_AUTH_RATE_LIMIT_ENABLED=false
export RUST_LOG=warn BIND_ADDR=127.0.0.1:7391
"$target/release/roles" >"$work/server.log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
        sleep 1
        psql -q "$BENCH_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $database" || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
api="http://$BIND_ADDR/api/v1/auth"
until curl -s -o /dev/null "$api/me"; do sleep 0.2; done
field() { python3 -c "import json, sys; print(json.load(sys.stdin)['$1'])"; }
credentials='{"email": "ada@example.com", "password": "correct horse battery"}'
curl -s -o /dev/null -H 'content-type: application/json' -d "$credentials" "$api/register"
login="$(curl -s -H 'content-type: application/json' -d "$credentials" "$api/login")"
measure() {
    wrk -t2 -c"$clients" -d"${seconds}s" -H "authorization: Bearer $2" "$api/me" |
        awk -v label="$1" '/Requests\/sec/ { print label ": " $2 " requests/s" }'
}
measure "fresh session" "$(echo "$login" | field access_token)"
refresh="$(echo "$login" | field refresh_token)"
i=0
while [ "$i" -lt "$refreshes" ]; do
    pair="$(curl -s -H 'content-type: application/json' -d "{\"refresh_token\": \"$refresh\"}" "$api/refresh")"
    refresh="$(echo "$pair" | field refresh_token)"
    i=$((i + 1))
done
access="$(echo "$pair" | field access_token)"
measure "after $refreshes refreshes" "$access"
# What autovacuum does within a minute or so: the spent rows' old index entries go.
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
    psql -q "$DATABASE_URL" -c "VACUUM ANALYZE"
    measure "after $refreshes refreshes and a vacuum" "$access"
fi
