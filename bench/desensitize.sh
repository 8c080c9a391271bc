#!/usr/bin/env bash
# Runs bench/desensitize-pipeline.yaml (six policies, k=5 on birth year, sex and sub-district) with
# `dataops pipeline run` (Spring Batch executor) over an N-row citizen table, and in the same run DuckDB (JDBC,
# threads=2) running the equivalent masking SELECT, with the same k=5 suppression, from the table's Parquet files into
# a Parquet file. Prints rows/s, CPU seconds and peak RSS of each whole process, and checks both kept the same number
# of rows. DuckDB then runs the same query again followed by a privacy report (classes, the smallest) and a leak
# check of its own (bench/DuckDbDesensitize.java --checked), checked to keep the same rows and classes and find no leak.
# Then a second pipeline (the same file under another product name) runs on the same snapshot, as a re-run or another
# operator's pipeline would: it takes the input snapshot's leak filter and the validator's measure from the caches
# the first one left.
# Ends with `ratio dataops/duckdb X` (first run; the issue's aim), `ratio dataops-second/duckdb Y` and
# `ratio dataops/duckdb-checked Z`; the figures also go to bench/out/desensitize-N/result.json.
# --memory: the pipeline run under -Xmx512m (the issue's bounded-memory aim, e.g. at 10M rows), without the second
# run. Like bench/land.sh it exits non-zero unless the JVM's own GC log shows that maximum heap, it never ran out of it
# (-XX:+ExitOnOutOfMemoryError ends the process at the first OutOfMemoryError, even one a thread would swallow) and
# every row was read and either kept or suppressed. Both modes print the peak heap in use from the GC log.
#   bench/desensitize.sh 1000000
#   bench/desensitize.sh 10000000 --memory
set -euo pipefail
n=${1:?usage: bench/desensitize.sh ROWS [--memory]}
mode=${2:-}
[[ -z "$mode" || "$mode" == --memory ]] || { echo "usage: bench/desensitize.sh ROWS [--memory]" >&2; exit 2; }
heap=1g
[[ "$mode" == --memory ]] && heap=512m
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=desensitize${mode:+-memory}
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
echo "preparing an $n-row citizen table..."
land_citizens
cp "$root/bench/desensitize-pipeline.yaml" "$out/pipeline.yaml"
sed 's/^name: .*/name: citizens-desensitized-again/; s/^product: .*/product: citizens-desensitized-again/' \
  "$out/pipeline.yaml" > "$out/pipeline-again.yaml"
grant_citizens "$out/home" "$out/pipeline.yaml"
grant_citizens "$out/home" "$out/pipeline-again.yaml"
files="$out/home/warehouse/ods/public_security__citizens/data/*.parquet"

measure_in_heap "$heap" "dataops pipeline run over $n rows" "$root/bin/dataops" pipeline run "$out/pipeline.yaml" \
  --home "$out/home" --json --as bench-op
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
read -r duck_wall duck_rss < <(measure duckdb java -cp "$jar" "$root/bench/DuckDbDesensitize.java" "$files" \
  "$out/duckdb.parquet")
# DuckDB with a privacy report and a leak check of its own after the same query (closer to what the run does).
read -r checked_wall checked_rss < <(measure duckdb-checked \
  java -cp "$jar" "$root/bench/DuckDbDesensitize.java" "$files" "$out/duckdb-checked.parquet" --checked)
again_wall=0 again_rss=0
if [[ "$mode" != --memory ]]; then
read -r again_wall again_rss < <(measure dataops-again \
  env DATAOPS_HEAP=$heap "$root/bin/dataops" pipeline run \
  "$out/pipeline-again.yaml" --home "$out/home" --json --as bench-op)
fi

python3 - "$ours_wall" "$ours_rss" "$duck_wall" "$duck_rss" "$out" "$again_wall" "$again_rss" "$n" "$heap" \
  "$heap_note" "$load_after" "$checked_wall" "$checked_rss" <<'PY'
import json, os, sys
from benchlib import cpu, load_json
ow, orss, dw, drss, out = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
aw, arss, rows, heap, heap_note, load_after = float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), sys.argv[9], sys.argv[10], sys.argv[11]
again = aw > 0
cw, crss = float(sys.argv[12]), int(sys.argv[13])
v = load_json(out + "/dataops.out")
d = load_json(out + "/duckdb.out")
dk = load_json(out + "/duckdb-checked.out")
a = load_json(out + "/dataops-again.out") if again else None
oc, dc, kc = cpu(out, "dataops"), cpu(out, "duckdb"), cpu(out, "duckdb-checked")
ac = cpu(out, "dataops-again") if again else 0.0
n = v["rowsIn"]
# The land step may quarantine a few generated rows: the table's row count is what the run must read, all of it.
if v["rowsOut"] + v["rowsSuppressed"] != n:
    sys.exit(f"FAILED: the run read {n:,} rows but kept {v['rowsOut']:,} and suppressed {v['rowsSuppressed']:,}")
if n > rows or n < rows * 0.99:
    sys.exit(f"FAILED: the run read {n:,} of the {rows:,} generated rows")
assert v["rowsOut"] == d["rowsOut"], ("both must keep the same rows", v["rowsOut"], d["rowsOut"])
assert (dk["rowsOut"] == v["rowsOut"] and dk["suppressed"] == v["rowsSuppressed"]
        and dk["classes"] == v["privacy"]["classes"] and dk["leaks"] == 0), (
    "DuckDB's checked run must keep and suppress the same rows, count the same classes and find no leak", dk,
    v["rowsOut"], v["rowsSuppressed"], v["privacy"]["classes"])
if again:
    assert a["rowsOut"] == v["rowsOut"] and a["leakCheck"] == v["leakCheck"], ("the second run must give the same",
        a["rowsOut"], a["leakCheck"])
p = v["privacy"]
print(f"rows: {n:,} in, {v['rowsOut']:,} kept, {v['rowsSuppressed']:,} suppressed (k={p['k']}: {p['classes']:,} classes,"
      f" highest risk {p['maxRisk']:.3f}); leak check {v['leakCheck']}")
print(f"{'':32}{'wall s':>8}{'CPU s':>8}{'rows/s':>13}{'peak RSS MB':>13}")
print(f"{'dataops pipeline run':32}{ow:8.2f}{oc:8.1f}{n/ow:13,.0f}{orss/1024:13,.0f}   (in-process: {v['seconds']:.2f} s, {n/v['seconds']:,.0f} rows/s)")
print(f"{'duckdb masking SELECT + k':32}{dw:8.2f}{dc:8.1f}{n/dw:13,.0f}{drss/1024:13,.0f}   (in-process: {d['seconds']:.2f} s, {n/d['seconds']:,.0f} rows/s)")
print(f"{'duckdb + report + leak check':32}{cw:8.2f}{kc:8.1f}{n/cw:13,.0f}{crss/1024:13,.0f}   (in-process: {dk['seconds']:.2f} s; {dk['classes']:,} classes, smallest {dk['smallestClass']:,}, {dk['leaks']} leaks)")
if again:
    print(f"{'dataops second pipeline, cached':32}{aw:8.2f}{ac:8.1f}{n/aw:13,.0f}{arss/1024:13,.0f}   (in-process: {a['seconds']:.2f} s, {n/a['seconds']:,.0f} rows/s)")
print("dataops steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in v.get("stepSeconds", {}).items()))
if again:
    print("second run steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in a.get("stepSeconds", {}).items()))
print(f"dataops heap: {heap_note}")
print(f"load after the pipeline run {load_after}, at the end {' '.join(open('/proc/loadavg').read().split()[:3])}")
wall = {"dataops": ow, "duckdb": dw, "duckdb-checked": cw} | ({"dataops-second": aw} if again else {})
rss = {"dataops": orss, "duckdb": drss, "duckdb-checked": crss} | ({"dataops-second": arss} if again else {})
cpus = {"dataops": oc, "duckdb": dc, "duckdb-checked": kc} | ({"dataops-second": ac} if again else {})
ratio = ({"dataops/duckdb": round(dw / ow, 3)} | ({"dataops-second/duckdb": round(dw / aw, 3)} if again else {})
         | {"dataops/duckdb-checked": round(cw / ow, 3)})
steps = {"dataops": v.get("stepSeconds", {})} | ({"dataops-second": a.get("stepSeconds", {})} if again else {})
json.dump({"rows": n, "heap": heap, "heapUse": heap_note, "load": os.getloadavg(), "wallSeconds": wall, "cpuSeconds": cpus,
           "peakRssKiB": rss, "rowsPerSecond": {k: n / w for k, w in wall.items()}, "rowsOut": v["rowsOut"],
           "stepSeconds": steps, "ratio": ratio}, open(out + "/result.json", "w"), indent=1)
for k, r in ratio.items():
    print(f"ratio {k} {r:.2f}")
PY
