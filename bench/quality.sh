#!/usr/bin/env bash
# Runs the benchmark suite (bench/quality-suite.json) with `dataops quality run` over an N-row citizen table
# (Parquet-backed Iceberg, 1% defects), and in the same run DuckDB (JDBC, threads=2) computing the same checks as
# one aggregate query over the table's Parquet files. Prints rows/s and peak RSS of each whole process, and checks
# that both found the same unexpected counts.
#   bench/quality.sh 1000000
set -euo pipefail
n=${1:?usage: bench/quality.sh ROWS}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/quality-$n"
duckdb_version=1.5.2.0
rm -rf "$out" && mkdir -p "$out"
[[ -f "$root/platform/target/dataops.jar" ]] || (cd "$root" && mvn -B -q -DskipTests package)
jar="$HOME/.m2/repository/org/duckdb/duckdb_jdbc/$duckdb_version/duckdb_jdbc-$duckdb_version.jar"
[[ -f "$jar" ]] || (cd "$root" && mvn -B -q dependency:get -Dartifact=org.duckdb:duckdb_jdbc:$duckdb_version >/dev/null)

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "preparing an $n-row citizen table..."
"$root/bin/dataops" generate --dataset citizens --rows "$n" --population "$n" --defect-rate 0.01 --seed 1 \
  --out "$out/citizens.csv" --home "$out/home" >/dev/null
"$root/bin/dataops" land --home "$out/home" --department public-security --dataset citizens \
  --file "$out/citizens.csv" >/dev/null
files="$out/home/warehouse/ods/public_security__citizens/data/*.parquet"

measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/$label.time" "$@" > "$out/$label.out" 2> "$out/$label.err" || {
    echo "$label failed:"; cat "$out/$label.err"; exit 1; }
  cat "$out/$label.time"
}
read -r ours_wall ours_rss < <(measure dataops env DATAOPS_HEAP=1g "$root/bin/dataops" quality run --home "$out/home" \
  --table ods.public_security__citizens --suite "$root/bench/quality-suite.json" --json)
read -r duck_wall duck_rss < <(measure duckdb java -cp "$jar" "$root/bench/DuckDbQuality.java" "$files")

python3 - "$ours_wall" "$ours_rss" "$duck_wall" "$duck_rss" "$out" <<'PY'
import json, sys
ow, orss, dw, drss, out = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
v = json.load(open(out + "/dataops.out"))
d = json.load(open(out + "/duckdb.out"))
n = v["meta"]["rows_scanned"]
assert n == d["rows"], (n, d["rows"])
ours = [r["result"]["unexpected_count"] for r in v["results"][1:]]
assert ours == d["unexpected"], ("engine and DuckDB disagree", ours, d["unexpected"])
print(f"rows: {n:,}; unexpected per rule (engine = DuckDB): {ours}")
print(f"{'':30}{'wall s':>8}{'rows/s':>13}{'peak RSS MB':>13}")
print(f"{'dataops quality run':30}{ow:8.2f}{n/ow:13,.0f}{orss/1024:13,.0f}   (in-process: {v['meta']['seconds']:.2f} s, {n/v['meta']['seconds']:,.0f} rows/s)")
print(f"{'duckdb one aggregate query':30}{dw:8.2f}{n/dw:13,.0f}{drss/1024:13,.0f}   (in-process: {d['seconds']:.2f} s, {n/d['seconds']:,.0f} rows/s)")
print(f"throughput ratio dataops/duckdb (whole process): {dw/ow:.2f}")
PY
