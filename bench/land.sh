#!/usr/bin/env bash
# Lands an N-row citizen CSV (GBK) with `dataops land` under -Xmx512m, then times DuckDB copying the same rows
# from CSV to Parquet (JDBC driver, threads=2) for comparison. Prints rows/s and peak RSS of each whole process.
#   bench/land.sh 1000000
set -euo pipefail
n=${1:?usage: bench/land.sh ROWS}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=land
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
echo "generating $n citizen rows (GBK CSV)..."
"$root/bin/dataops" generate --dataset citizens --rows "$n" --population "$n" --encoding GBK --seed 1 \
  --out "$out/citizens.csv" --home "$out/home" >/dev/null
bytes=$(stat -c %s "$out/citizens.csv")
# DuckDB reads CSV as UTF-8 only (its GBK support is a download this machine cannot make): give it the same rows
# in UTF-8. It therefore does less work than we do (no GBK decoding, no contract checks, no quarantine).
iconv -f GBK -t UTF-8 "$out/citizens.csv" > "$out/citizens-utf8.csv"


read -r ours_wall ours_rss < <(measure dataops env DATAOPS_HEAP=512m "$root/bin/dataops" land --home "$out/home" \
  --department public-security --dataset citizens --file "$out/citizens.csv" --json)
read -r duck_wall duck_rss < <(measure duckdb java -cp "$jar" "$root/bench/DuckDbCopy.java" \
  "$out/citizens-utf8.csv" "$out/citizens.parquet")

python3 - "$n" "$bytes" "$ours_wall" "$ours_rss" "$duck_wall" "$duck_rss" "$out" <<'PY'
import json, sys
n, size, ow, orss, dw, drss, out = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
land = json.load(open(out + "/dataops.out"))
assert land["rowsRead"] == n == land["rowsLanded"] + land["rowsQuarantined"], land
duck = json.load(open(out + "/duckdb.out"))
assert duck["rows"] == n, duck
print(f"rows: {n:,}  file: {size/1e6:,.0f} MB")
print(f"{'':28}{'wall s':>8}{'rows/s':>12}{'peak RSS MB':>13}")
print(f"{'dataops land (-Xmx512m)':28}{ow:8.2f}{n/ow:12,.0f}{orss/1024:13,.0f}   (in-process: {land['seconds']:.2f} s, {n/land['seconds']:,.0f} rows/s)")
print(f"{'duckdb csv->parquet (2 thr)':28}{dw:8.2f}{n/dw:12,.0f}{drss/1024:13,.0f}   (in-process: {duck['seconds']:.2f} s, {n/duck['seconds']:,.0f} rows/s)")
print(f"throughput ratio dataops/duckdb (whole process): {dw/ow:.2f}")
PY
