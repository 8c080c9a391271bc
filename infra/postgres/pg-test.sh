#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 cluster for tests, from Debian's packages.
#   pg-test.sh start DIR PORT   -> prints the JDBC URL of database "dataops" (user postgres, trust auth, 127.0.0.1 only)
#   pg-test.sh stop DIR
# PostgreSQL refuses to run as root; as root the cluster runs as the "postgres" system user.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
  echo "pg-test.sh: PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql-15)" >&2
  exit 3
fi
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    port=${3:?port}
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$dir"; fi
    if [[ ! -f "$dir/PG_VERSION" ]]; then
      as_pg "$bin/initdb" -D "$dir" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off" start >/dev/null
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname='dataops'" | grep -q 1 \
      || as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE dataops" >/dev/null
    echo "jdbc:postgresql://127.0.0.1:$port/dataops"
    ;;
  stop)
    if [[ -f "$dir/postmaster.pid" ]]; then as_pg "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
    ;;
  *) echo "usage: pg-test.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
