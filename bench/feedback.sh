#!/usr/bin/env bash
# A department's feed of N citizen rows in which two rules fail on every row, landed with its suite in a 512 MB heap:
# the feed's quality run records 2N failing rows and the department's report lists every one of them
# (failing-rows.csv, sorted by rule and row number). Prints the wall and CPU seconds, failing rows/s and peak RSS, and
# writes them to bench/out/feedback-N/result.json.
# It is the proof that the feedback fits the heap: it exits non-zero unless the JVM ran with that maximum heap (its
# own GC log says so), never ran out of it (-XX:+ExitOnOutOfMemoryError) and the report holds all 2N rows. (Before
# the failing rows were sorted in bounded memory, 1,000,000 rows ran out of a 512 MB heap here.)
#   bench/feedback.sh 1000000
set -euo pipefail
n=${1:?usage: bench/feedback.sh ROWS}
heap=${BENCH_HEAP:-512m}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=feedback
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
echo "generating $n citizen rows..."
"$root/bin/dataops" generate --dataset citizens --rows "$n" --population "$n" --seed 1 \
  --out "$out/citizens.csv" --home "$out/home" >/dev/null
enroll "$out/home"
cat > "$out/suite.yaml" <<'YAML'
name: citizens.strict
expectations:
  - type: expect_table_row_count_to_be_between
    kwargs: {min_value: 1}
  - type: expect_column_values_to_be_in_set
    kwargs: {column: gender, value_set: [X]}
  - type: expect_column_values_to_match_regex
    kwargs: {column: phone, regex: "^0"}
YAML
"$root/bin/dataops" quality suite register --department public-security --dataset citizens --file "$out/suite.yaml" \
  --home "$out/home" --as ps-clerk >/dev/null

measure_in_heap "$heap" "dataops land of $n rows failing two rules each" "$root/bin/dataops" land \
  --home "$out/home" --department public-security --dataset citizens --file "$out/citizens.csv" --json --as ps-clerk

python3 - "$n" "$ours_wall" "$ours_rss" "$out" "$heap" "$heap_note" <<'PY'
import json, os, sys
from benchlib import cpu, load_json
n, wall, rss, out, heap, heap_note = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
land = load_json(out + "/dataops.out")
failing = land["quality"]["failingRows"]
csv = os.path.join(land["feedback"]["folder"], "failing-rows.csv")
with open(csv, "rb") as f:
    lines = sum(1 for _ in f) - 1
if not (land["rowsLanded"] == n and failing == 2 * n == lines):
    sys.exit(f"FAILED: landed {land['rowsLanded']} of {n}, {failing} failing rows recorded, {lines} in the report")
print(f"rows: {n:,}  failing rows: {failing:,}  report: {os.path.getsize(csv) / 1e6:,.0f} MB  load: {os.getloadavg()[0]:.2f}")
print(f"dataops land with feedback (-Xmx{heap}): {wall:.2f} s wall, {cpu(out, 'dataops'):.2f} s CPU, "
      f"{failing / wall:,.0f} failing rows/s, peak RSS {rss / 1024:,.0f} MB")
print(f"heap check passed: every failing row in the report, no OutOfMemoryError; {heap_note}")
json.dump({"rows": n, "failingRows": failing, "reportBytes": os.path.getsize(csv), "heap": heap,
           "heapCheck": heap_note, "load": os.getloadavg(), "wallSeconds": wall, "cpuSeconds": cpu(out, "dataops"),
           "peakRssKiB": rss, "failingRowsPerSecond": failing / wall}, open(out + "/result.json", "w"), indent=1)
PY
