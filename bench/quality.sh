#!/usr/bin/env bash
# Runs the benchmark suite (bench/quality-suite.json) with `dataops quality run` over an N-row citizen table
# (Parquet-backed Iceberg, 1% defects), and in the same run DuckDB (JDBC, threads=2) computing the same checks as
# one aggregate query over the table's Parquet files, and Deequ on Spark local[2] computing the same metrics with
# its analyzers. Prints rows/s, CPU seconds (user + system) and peak RSS of each whole process, and checks that
# the engine and DuckDB found the same unexpected counts. DuckDB then also runs one query returning every failing
# row with a flag per rule (what the engine records; the aggregate query only counts), checked to give the same
# counts. Ends with `ratio dataops/duckdb X` and `ratio dataops/deequ Y` (the issue's aims: whole-process rows/s
# over theirs) and `ratio dataops/duckdb-rows Z`; the figures also go to bench/out/quality-N/result.json.
# --memory: the engine under -Xmx512m (the issue's bounded-memory aim, e.g. at 10M rows), without Deequ.
# BENCH_WORKERS=N: `quality run --workers N` (default: the available processors, at most 2).
#   bench/quality.sh 1000000
#   bench/quality.sh 10000000 --memory
set -euo pipefail
n=${1:?usage: bench/quality.sh ROWS [--memory]}
mode=${2:-}
[[ -z "$mode" || "$mode" == --memory ]] || { echo "usage: bench/quality.sh ROWS [--memory]" >&2; exit 2; }
heap=1g java_opts=
# In memory mode the run must finish inside the heap: the first OutOfMemoryError ends the process (even one a
# thread would swallow), so the bench fails instead of reporting a run that lost work.
[[ "$mode" == --memory ]] && heap=512m java_opts=-XX:+ExitOnOutOfMemoryError
# BENCH_JAVA_OPTS: for the quality run only, e.g. a flight recording:
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/quality.jfr,settings=profile" bench/quality.sh 1000000
java_opts="$java_opts ${BENCH_JAVA_OPTS:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=quality${mode:+-memory}
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
echo "preparing an $n-row citizen table..."
land_citizens --defect-rate 0.01
files="$out/home/warehouse/ods/public_security__citizens/data/*.parquet"

read -r ours_wall ours_rss < <(measure dataops env DATAOPS_HEAP=$heap DATAOPS_JAVA_OPTS="$java_opts" "$root/bin/dataops" quality run --home "$out/home" \
  --table ods.public_security__citizens --suite "$root/bench/quality-suite.json" --json --as ps-clerk \
  ${BENCH_WORKERS:+--workers "$BENCH_WORKERS"})
read -r duck_wall duck_rss < <(measure duckdb java -cp "$jar" "$root/bench/DuckDbQuality.java" "$files")
# DuckDB finding the failing rows too (what the engine records), not only counting them.
read -r rows_wall rows_rss < <(measure duckdb-rows java -cp "$jar" "$root/bench/DuckDbQualityRows.java" "$files")
# Deequ on Spark local[2]: the quality-conformance module's test classpath (Deequ 2.1.0, Spark 3.5.7).
deequ_wall=0 deequ_rss=0
if [[ "$mode" != --memory ]]; then
(cd "$root" && mvn -B -q -Dstyle.color=never dependency:build-classpath -pl quality-conformance -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/deequ.classpath" >/dev/null)
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
# shellcheck disable=SC2086
read -r deequ_wall deequ_rss < <(measure deequ java -Xmx2g $opens \
  -Dlogback.configurationFile="$root/quality-conformance/src/test/resources/logback-test.xml" -cp "$(cat "$out/deequ.classpath")" \
  "$root/bench/DeequQuality.java" "$out/home/warehouse/ods/public_security__citizens/data")
fi

python3 - "$ours_wall" "$ours_rss" "$duck_wall" "$duck_rss" "$out" "$deequ_wall" "$deequ_rss" "$heap" \
  "$rows_wall" "$rows_rss" <<'PY'
import json, os, sys
from benchlib import cpu, load_json
ow, orss, dw, drss, out = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
qw, qrss, heap = float(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
rw, rrss = float(sys.argv[9]), int(sys.argv[10])
deequ = qw > 0
q = load_json(out + "/deequ.out") if deequ else None
v = load_json(out + "/dataops.out")
d = load_json(out + "/duckdb.out")
dr = load_json(out + "/duckdb-rows.out")
n = v["meta"]["rows_scanned"]
assert n == d["rows"], (n, d["rows"])
ours = [r["result"]["unexpected_count"] for r in v["results"][1:]]
assert ours == d["unexpected"], ("engine and DuckDB disagree", ours, d["unexpected"])
assert ours == dr["unexpected"], ("engine and DuckDB's failing rows disagree", ours, dr["unexpected"])
print(f"rows: {n:,}; unexpected per rule (engine = DuckDB): {ours}")
print(f"{'':30}{'wall s':>8}{'CPU s':>8}{'rows/s':>13}{'peak RSS MB':>13}")
print(f"{'dataops quality run':30}{ow:8.2f}{cpu(out, 'dataops'):8.2f}{n/ow:13,.0f}{orss/1024:13,.0f}   (in-process: {v['meta']['seconds']:.2f} s, {n/v['meta']['seconds']:,.0f} rows/s)")
print(f"{'duckdb one aggregate query':30}{dw:8.2f}{cpu(out, 'duckdb'):8.2f}{n/dw:13,.0f}{drss/1024:13,.0f}   (in-process: {d['seconds']:.2f} s, {n/d['seconds']:,.0f} rows/s)")
print(f"{'duckdb failing rows':30}{rw:8.2f}{cpu(out, 'duckdb-rows'):8.2f}{n/rw:13,.0f}{rrss/1024:13,.0f}   (in-process: {dr['seconds']:.2f} s; {dr['failingRows']:,} failing rows)")
if deequ:
    print(f"{'deequ on spark local[2]':30}{qw:8.2f}{cpu(out, 'deequ'):8.2f}{n/qw:13,.0f}{qrss/1024:13,.0f}   (in-process: {q['seconds']:.2f} s, {n/q['seconds']:,.0f} rows/s)")
    assert int(q["rows"]) == n, (q["rows"], n)
print(f"engine heap -Xmx{heap}; load {' '.join(open('/proc/loadavg').read().split()[:3])}")
wall = {"dataops": ow, "duckdb": dw, "duckdb-rows": rw} | ({"deequ": qw} if deequ else {})
rss = {"dataops": orss, "duckdb": drss, "duckdb-rows": rrss} | ({"deequ": qrss} if deequ else {})
ratio = ({"dataops/duckdb": round(dw / ow, 3)} | ({"dataops/deequ": round(qw / ow, 3)} if deequ else {})
         | {"dataops/duckdb-rows": round(rw / ow, 3)})
json.dump({"rows": n, "heap": heap, "load": os.getloadavg(), "wallSeconds": wall,
           "cpuSeconds": {k: cpu(out, k) for k in wall}, "peakRssKiB": rss,
           "rowsPerSecond": {k: n / w for k, w in wall.items()}, "unexpected": ours, "ratio": ratio},
          open(out + "/result.json", "w"), indent=1)
for k, v in ratio.items():
    print(f"ratio {k} {v:.2f}")
PY
