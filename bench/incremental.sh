#!/usr/bin/env bash
# Incremental quality on append: lands FEEDS feeds of N citizen rows each with a suite registered (each land runs
# the suite on its feed and stores the analyzer states), then times a whole-table `quality run` that adds up those
# states against `quality run --full`, which reads every row. Checks both give the same unexpected counts.
#   bench/incremental.sh 1000000 5
set -euo pipefail
n=${1:?usage: bench/incremental.sh ROWS_PER_FEED FEEDS}
feeds=${2:?usage: bench/incremental.sh ROWS_PER_FEED FEEDS}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=incremental
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
# The benchmark suite without its two exact uniqueness rules, which keep no compact state and always scan.
python3 - "$root/bench/quality-suite.json" "$out/suite.json" <<'PY'
import json, sys
from benchlib import load_json
suite = load_json(sys.argv[1])
suite["expectations"] = [e for e in suite["expectations"] if e["type"] != "expect_column_values_to_be_unique"]
json.dump(suite, open(sys.argv[2], "w"), indent=1)
PY
enroll "$out/home"
"$root/bin/dataops" quality suite register --home "$out/home" --department public-security --dataset citizens \
  --file "$out/suite.json" --as ps-clerk >/dev/null
for ((f = 1; f <= feeds; f++)); do
  echo "landing and checking feed $f of $feeds ($n rows)..."
  "$root/bin/dataops" generate --dataset citizens --rows "$n" --population "$n" --defect-rate 0.01 --seed "$f" \
    --out "$out/citizens-$f.csv" --home "$out/home" >/dev/null
  "$root/bin/dataops" land --home "$out/home" --department public-security --dataset citizens \
    --file "$out/citizens-$f.csv" --as ps-clerk >/dev/null
  rm "$out/citizens-$f.csv"
done
read -r inc_wall inc_rss < <(measure added env DATAOPS_HEAP=1g "$root/bin/dataops" quality run --home "$out/home" \
  --table ods.public_security__citizens --json --as ps-clerk)
read -r full_wall full_rss < <(measure full env DATAOPS_HEAP=1g "$root/bin/dataops" quality run --home "$out/home" \
  --table ods.public_security__citizens --json --full --as ps-clerk)
python3 - "$out" "$inc_wall" "$inc_rss" "$full_wall" "$full_rss" <<'PY'
import json, sys
from benchlib import load_json
out, iw, irss, fw, frss = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
a, f = load_json(out + "/added.out"), load_json(out + "/full.out")
assert a["meta"]["incremental"] and not f["meta"]["incremental"], (a["meta"].get("incremental_note"), f["meta"])
counts = lambda v: [r["result"].get("unexpected_count") for r in v["results"]]
assert counts(a) == counts(f), ("incremental and full disagree", counts(a), counts(f))
n = f["meta"]["rows_scanned"]
assert a["meta"]["rows_scanned"] == n
print(f"table: {n:,} rows; unexpected per rule (added = scanned): {counts(a)}")
print(f"{'':34}{'wall s':>8}{'table rows/s':>14}{'peak RSS MB':>13}")
print(f"{'quality run (feed states added)':34}{iw:8.2f}{n/iw:14,.0f}{irss/1024:13,.0f}   (in-process: {a['meta']['seconds']:.2f} s; {a['meta']['incremental_note']})")
print(f"{'quality run --full (scan)':34}{fw:8.2f}{n/fw:14,.0f}{frss/1024:13,.0f}   (in-process: {f['meta']['seconds']:.2f} s)")
print(f"speed-up: {fw/iw:.1f}x")
PY
