#!/usr/bin/env bash
# Runs the indexer's end-to-end tests against Postgres (Debian's postgresql, any version): starts a
# throwaway cluster in a temp folder on a free port (CIVITAS_PG_PORT to choose one), loopback only, sets
# DATABASE_URL, runs the tests, stops the cluster.
# Usage (repo root): test/indexer/postgres.sh [command...]   (CI: apt-get install -y postgresql first)
# Without a command it runs Indexer.e2e, then ApiAbuse.e2e (the API's abuses of issue 23, bounded by its
# own timeouts; reads served by the supervisor's API replica), then Reorg.e2e (Ponder's log lines about a
# reorg come in another order on Postgres), one file at a time, on one cluster (each test uses its own
# schema); e.g. `test/indexer/postgres.sh npx node bench/indexer.ts` runs the benchmark on Postgres.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgresql is not installed (apt-get install -y postgresql)" >&2; exit 1; }
dir=$(mktemp -d)
port=${CIVITAS_PG_PORT:-}
[ -n "$port" ] || port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
run() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; su postgres -c "$*"; else bash -c "$*"; fi; }
cleanup() { run "$bin/pg_ctl -D $dir/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
run "$bin/initdb -D $dir/data -U civitas --auth=trust" >/dev/null
run "$bin/pg_ctl -D $dir/data -o '-p $port -k $dir -h 127.0.0.1' -l $dir/log -w start" >/dev/null
export DATABASE_URL="postgres://civitas@127.0.0.1:$port/postgres"
if [ $# -gt 0 ]; then
  "$@"
else
  for file in Indexer ApiAbuse Reorg; do
    HARDHAT_DISABLE_TELEMETRY=true npx hardhat test mocha "test/indexer/$file.e2e.test.ts"
  done
fi
