#!/usr/bin/env bash
# Runs bench/privacy-pipeline.yaml (the masks' retained parts counted as quasi-identifiers, k=5, the generalization
# search with at most 5% suppressed) with `dataops pipeline run` (Spring Batch executor, -Xmx1g) over an N-row citizen
# table. Prints the chosen levels, the information loss, the suppressed share, the frontier, the steps' times and the
# peak RSS; the load of the machine is printed first and last (others share it).
#   bench/privacy.sh 1000000
#   BENCH_PIPELINE=bench/privacy4-pipeline.yaml bench/privacy.sh 5000000   # four quasi-identifiers
set -euo pipefail
n=${1:?usage: bench/privacy.sh ROWS}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=privacy
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
echo "preparing an $n-row citizen table..."
land_citizens
cp "${BENCH_PIPELINE:-$root/bench/privacy-pipeline.yaml}" "$out/pipeline.yaml"
grant_citizens "$out/home" "$out/pipeline.yaml"

# BENCH_JAVA_OPTS: for the pipeline run only, e.g. a flight recording:
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/privacy.jfr,settings=profile" bench/privacy.sh 200000
# The JVM's CPU seconds (user + sys, from measure) beside the wall time: the search is single-threaded, others share
# the machine.
read -r wall rss < <(measure dataops env DATAOPS_HEAP=1g DATAOPS_JAVA_OPTS="${BENCH_JAVA_OPTS:-}" \
  "$root/bin/dataops" pipeline run \
  "$out/pipeline.yaml" --home "$out/home" --json --as bench-op)

python3 - "$wall" "$rss" "$out" <<'PY'
import json, sys
from benchlib import cpu, load_json
wall, rss, out = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cpu_seconds = cpu(out, "dataops")
v = load_json(out + "/dataops.out")
p = v["privacy"]
g = p["generalization"]
n = v["rowsIn"]
print(f"rows: {n:,} in, {v['rowsOut']:,} kept, {v['rowsSuppressed']:,} suppressed ({v['rowsSuppressed'] / max(n, 1):.2%},"
      f" limit {g['suppressionLimit']:.0%}); k={p['k']}: {p['classes']:,} classes, smallest {p['smallestClass']},"
      f" highest risk {p['maxRisk']:.3f}; leak check {v['leakCheck']}")
print("chosen: " + ", ".join(f"{c}={name}" for c, name in g["levelNames"].items()))
print(f"loss ({g['metric']}): {g['loss']:.4f}; per column: "
      + ", ".join(f"{c} {x:.3f}" for c, x in g["lossByColumn"].items()))
print(f"lattice: {g['latticeNodes']:,} nodes, {g['nodesEvaluated']:,} counted; frontier: "
      + "; ".join(f"{a['levels']} loss {a['loss']:.3f} suppressed {a['suppressedShare']:.2%}" for a in g["frontier"][:4]))
print(f"wall {wall:.1f} s, {n / wall:,.0f} rows/s, peak RSS {rss / 1024:,.0f} MB (in-process {v['seconds']:.1f} s), JVM CPU {cpu_seconds:.1f} s")
print("steps (s): " + ", ".join(f"{k} {x:.1f}" for k, x in v.get("stepSeconds", {}).items()))
PY
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
