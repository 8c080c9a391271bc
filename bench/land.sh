#!/usr/bin/env bash
# Lands an N-row citizen CSV (GBK) with `dataops land` in a 512 MB heap, then times DuckDB copying the same rows
# from CSV to Parquet (JDBC driver, threads=2) for comparison. Prints rows/s, CPU seconds and peak RSS of each whole
# process, ends with `ratio dataops/duckdb X` (whole-process rows/s over DuckDB's) and writes the figures to
# bench/out/land-N/result.json.
# It is also the proof that landing fits the heap: it exits non-zero unless the landing JVM ran with that maximum
# heap (its own GC log says so), never ran out of it (-XX:+ExitOnOutOfMemoryError ends the process at the first
# OutOfMemoryError, even one a thread would swallow) and read all N rows.
#   bench/land.sh 10000000
#   BENCH_HEAP=64m bench/land.sh 1000000      # another heap; this one is too small, and the check fails
set -euo pipefail
n=${1:?usage: bench/land.sh ROWS}
heap=${BENCH_HEAP:-512m}
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
enroll "$out/home"

measure_in_heap "$heap" "dataops land of $n rows" "$root/bin/dataops" land --home "$out/home" \
  --department public-security --dataset citizens --file "$out/citizens.csv" --json --as ps-clerk
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
read -r duck_wall duck_rss < <(measure duckdb java -cp "$jar" "$root/bench/DuckDbCopy.java" \
  "$out/citizens-utf8.csv" "$out/citizens.parquet")

python3 - "$n" "$bytes" "$ours_wall" "$ours_rss" "$duck_wall" "$duck_rss" "$out" "$heap" "$heap_note" "$load_after" <<'PY'
import json, os, sys
from benchlib import cpu, load_json
n, size, ow, orss, dw, drss, out = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
heap, heap_note, load_after = sys.argv[8], sys.argv[9], sys.argv[10]
def fail(why):
    sys.exit(f"FAILED: {why}")

land = load_json(out + "/dataops.out")
if not land["rowsRead"] == n == land["rowsLanded"] + land["rowsQuarantined"]:
    fail(f"dataops land read {land['rowsRead']} of {n} rows (landed {land['rowsLanded']}, quarantined {land['rowsQuarantined']})")
duck = load_json(out + "/duckdb.out")
assert duck["rows"] == n, duck
print(f"rows: {n:,}  file: {size/1e6:,.0f} MB  load after landing: {load_after}")
print(f"{'':28}{'wall s':>8}{'CPU s':>8}{'rows/s':>12}{'peak RSS MB':>13}")
print(f"{'dataops land (-Xmx' + heap + ')':28}{ow:8.2f}{cpu(out, 'dataops'):8.2f}{n/ow:12,.0f}{orss/1024:13,.0f}   (in-process: {land['seconds']:.2f} s, {n/land['seconds']:,.0f} rows/s)")
print(f"{'duckdb csv->parquet (2 thr)':28}{dw:8.2f}{cpu(out, 'duckdb'):8.2f}{n/dw:12,.0f}{drss/1024:13,.0f}   (in-process: {duck['seconds']:.2f} s, {n/duck['seconds']:,.0f} rows/s)")
print(f"CPU seconds duckdb/dataops: {cpu(out, 'duckdb')/cpu(out, 'dataops'):.2f}")
print(f"heap check passed: {n:,} rows landed, no OutOfMemoryError; {heap_note}")
ratio = {"dataops/duckdb": round(dw / ow, 3)}
json.dump({"rows": n, "fileBytes": size, "heap": heap, "heapCheck": heap_note, "load": os.getloadavg(),
           "wallSeconds": {"dataops": ow, "duckdb": dw}, "cpuSeconds": {"dataops": cpu(out, "dataops"), "duckdb": cpu(out, "duckdb")},
           "inProcessSeconds": {"dataops": land["seconds"], "duckdb": duck["seconds"]},
           "peakRssKiB": {"dataops": orss, "duckdb": drss}, "rowsPerSecond": {"dataops": n / ow, "duckdb": n / dw},
           "rowsLanded": land["rowsLanded"], "rowsQuarantined": land["rowsQuarantined"], "ratio": ratio},
          open(out + "/result.json", "w"), indent=1)
for k, v in ratio.items():
    print(f"ratio {k} {v:.2f}")
PY
