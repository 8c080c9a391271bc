#!/usr/bin/env bash
# Runs bench/desensitize-pipeline.yaml over an N-row citizen table on Flink at parallelism 1 and 2 (in-process
# mini-cluster) and on Spring Batch, from the same snapshot of one home, each a whole `dataops pipeline run` process
# under the same heap (BENCH_HEAP, default 1g, given to the launcher as DATAOPS_HEAP, i.e. -Xmx). Each run writes its
# own product (the pipeline's product name suffixed -p1, -p2, -sb): the same file on the same snapshot and engine would
# be recognized as done, and one product would get versions from the others. Prints rows/s and peak RSS of each,
# checks the three runs kept and suppressed the same rows, and ends with the lines `ratio p2/p1 X` and
# `ratio flink/spring-batch Y` (p2's rows/s over p1's and over Spring Batch's); the figures also go to
# bench/out/flink-N/result.json.
#   bench/flink.sh 1000000
set -euo pipefail
n=${1:?usage: bench/flink.sh ROWS}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=flink
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
echo "preparing an $n-row citizen table..."
land_citizens
for run in p1 p2 sb; do
  sed "s/^product: \(.*\)$/product: \1-$run/" "$root/bench/desensitize-pipeline.yaml" > "$out/pipeline-$run.yaml"
  grant_citizens "$out/home" "$out/pipeline-$run.yaml" # runs are refused without a grant for their product
done

heap=${BENCH_HEAP:-1g}
run() { # LABEL ENGINE-OPTIONS...
  local label=$1; shift
  measure "$label" env DATAOPS_HEAP="$heap" "$root/bin/dataops" pipeline run "$out/pipeline-$label.yaml" "$@" \
    --home "$out/home" --json --as bench-op
}
read -r p1_wall p1_rss < <(run p1 --engine flink --parallelism 1)
read -r p2_wall p2_rss < <(run p2 --engine flink --parallelism 2)
read -r sb_wall sb_rss < <(run sb --engine spring-batch)

python3 - "$out" "$n" "$heap" "$p1_wall" "$p1_rss" "$p2_wall" "$p2_rss" "$sb_wall" "$sb_rss" <<'PY'
import json, sys
from benchlib import load_json
out, n, heap = sys.argv[1], int(sys.argv[2]), sys.argv[3]
w = {k: float(v) for k, v in zip(["p1", "p2", "sb"], sys.argv[4::2])}
rss = {k: int(v) for k, v in zip(["p1", "p2", "sb"], sys.argv[5::2])}
runs = {k: load_json(f"{out}/{k}.out") for k in w}
for field in ["rowsIn", "rowsOut", "rowsSuppressed", "leakCheck"]:
    seen = {k: r[field] for k, r in runs.items()}
    assert len(set(seen.values())) == 1, (f"the engines must agree on {field}", seen)
assert all(not r["recognized"] for r in runs.values()), "every run must run, not be recognized"
names = {"p1": "flink, parallelism 1", "p2": "flink, parallelism 2", "sb": "spring-batch"}
print(f"rows: {n:,} in, {runs['sb']['rowsOut']:,} kept on every engine; heap -Xmx{heap}")
print(f"{'':26}{'wall s':>8}{'rows/s':>13}{'peak RSS MB':>13}")
for k in ["p1", "p2", "sb"]:
    print(f"{names[k]:26}{w[k]:8.2f}{n / w[k]:13,.0f}{rss[k] / 1024:13,.0f}   (in-process: {runs[k]['seconds']:.2f} s)")
    print(f"{'':26}steps (s): " + ", ".join(f"{s} {t:.1f}" for s, t in runs[k].get("stepSeconds", {}).items()))
speedup, versus = w["p1"] / w["p2"], w["sb"] / w["p2"]
json.dump({"rows": n, "heap": heap, "wallSeconds": w, "peakRssKiB": rss, "rowsPerSecond": {k: n / w[k] for k in w},
           "ratio": {"p2/p1": speedup, "flink/spring-batch": versus}}, open(f"{out}/result.json", "w"), indent=1)
print(f"ratio p2/p1 {speedup:.2f}")
print(f"ratio flink/spring-batch {versus:.2f}")
PY
