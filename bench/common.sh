# Shared by the benchmark scripts (sourced): the output folder, the built launcher, DuckDB's JDBC driver, and
# `measure LABEL COMMAND...`, which prints the command's wall seconds and peak RSS (KiB) from GNU time (its user and
# system CPU seconds follow them in $out/LABEL.time).
# Expects: root, n and the script's name in $bench_name.
out="$root/bench/out/$bench_name-$n"
# The Python summaries' shared helpers (bench/benchlib.py).
export PYTHONPATH="$root/bench${PYTHONPATH:+:$PYTHONPATH}"
duckdb_version=1.5.2.0
rm -rf "$out" && mkdir -p "$out"
[[ -f "$root/platform/target/dataops.jar" ]] || (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests package)
jar="$HOME/.m2/repository/org/duckdb/duckdb_jdbc/$duckdb_version/duckdb_jdbc-$duckdb_version.jar"
[[ -f "$jar" ]] || (cd "$root" && mvn -B -q -Dstyle.color=never dependency:get \
  -Dartifact=org.duckdb:duckdb_jdbc:$duckdb_version >/dev/null)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"

# `heap_check GC_LOG HEAP`: from a JVM's own GC log (-Xlog:gc,gc+init:file=GC_LOG), fails unless its maximum heap was
# HEAP (e.g. 512m), else prints one line: the peak heap in use before a collection and the most live after one.
heap_check() {
  python3 - "$1" "$2" <<'PY'
import re, sys
gc_log, heap = sys.argv[1], sys.argv[2]
UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
def size_of(text):
    m = re.fullmatch(r"(\d+)([kmg]?)b?", text.strip().lower())
    return int(m.group(1)) * UNITS[m.group(2)]
log = open(gc_log).read()
cap = re.search(r"Heap Max Capacity: (\d+[KMG]?)", log)
if not cap or size_of(cap.group(1)) != size_of(heap):
    sys.exit(f"FAILED: the JVM did not run with a {heap} heap (its GC log says: {cap.group(0) if cap else 'nothing'})")
pauses = [tuple(size_of(x) for x in p) for p in re.findall(r"Pause \S+ .*?(\d+[KMG])->(\d+[KMG])\((\d+[KMG])\)", log)]
# What a full collection leaves is what is really live (after a young one, old garbage still counts).
full = [tuple(size_of(x) for x in p) for p in re.findall(r"Pause Full .*?(\d+[KMG])->(\d+[KMG])\((\d+[KMG])\)", log)]
if pauses:
    print(f"{cap.group(1)} maximum heap; peak heap in use {max(p[0] for p in pauses) >> 20:,} MB before a collection, "
          f"{max(p[1] for p in pauses) >> 20:,} MB after one ({len(pauses)} collections"
          + (f"; at most {max(p[1] for p in full) >> 20:,} MB live after the {len(full)} full ones)" if full else ")"))
else:
    print(f"{cap.group(1)} maximum heap; no collection was needed")
PY
}

# On failure it prints nothing on stdout (so `read -r wall rss < <(measure ...)` fails rather than reading the
# message as numbers) and says why on stderr.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$out/$label.time" "$@" > "$out/$label.out" 2> "$out/$label.err" || {
    { echo "$label failed ($(head -1 "$out/$label.time")):"; cat "$out/$label.err"; tail -3 "$out/$label.out"; } >&2
    exit 1; }
  cut -d' ' -f1,2 "$out/$label.time"
}

# `measure_in_heap HEAP WHAT COMMAND...`: `measure dataops` of a dataops COMMAND in a HEAP heap, its GC log in
# $gc_log ($out/dataops-gc.log), with -XX:+ExitOnOutOfMemoryError (the process ends at the first OutOfMemoryError,
# even one a thread would swallow). Sets ours_wall, ours_rss and heap_note (heap_check's line, which fails unless the
# JVM ran with that heap); when the command fails, exits the script, saying that WHAT ran out of the heap if it did.
measure_in_heap() {
  local heap=$1 what=$2
  shift 2
  gc_log="$out/dataops-gc.log"
  if ! read -r ours_wall ours_rss < <(measure dataops env DATAOPS_HEAP="$heap" \
      DATAOPS_JAVA_OPTS="${DATAOPS_JAVA_OPTS:-} -XX:+ExitOnOutOfMemoryError -Xlog:gc,gc+init:file=$gc_log" "$@"); then
    if grep -qs OutOfMemoryError "$out/dataops.out" "$out/dataops.err"; then
      echo "FAILED: $what ran out of its $heap heap (GC log: $gc_log)" >&2
    fi
    exit 1
  fi
  heap_note=$(heap_check "$gc_log" "$heap")
}

# The people a benchmark acts as, enrolled in its home by the home's local admin: the public-security clerk who lands
# and checks feeds, and the operator "bench" whose pipeline the desensitization benchmark runs.
enroll() {
  local home=$1
  "$root/bin/dataops" org add public-security --name "public security" --kind department --home "$home" >/dev/null
  "$root/bin/dataops" user add ps-clerk --org public-security --roles department --save --home "$home" >/dev/null
  "$root/bin/dataops" org add bench --name "benchmark operator" --kind operator --home "$home" >/dev/null
  "$root/bin/dataops" user add bench-op --org bench --roles operator --save --home "$home" >/dev/null
  "$root/bin/dataops" org add bench-authority --name "benchmark authority" --kind authority --home "$home" >/dev/null
  "$root/bin/dataops" user add bench-auth --org bench-authority --roles authority --save --home "$home" >/dev/null
}

# The grant a benchmark pipeline runs under (runs are refused without one): "bench" applies for the pipeline's
# scenario, the citizen table with the columns its input lists, for its product; the authority and public security
# approve. Call it after the table is landed.   grant_citizens HOME PIPELINE_FILE
grant_citizens() {
  local home=$1 pipeline=$2 scenario product columns id
  scenario=$(sed -n 's/^scenario: *//p' "$pipeline")
  product=$(sed -n 's/^product: *//p' "$pipeline")
  columns=$(sed -n 's/^ *columns: *\[\(.*\)\]/\1/p' "$pipeline" | head -1)
  printf 'scenario: %s\npurpose: the benchmark of %s\nperiod: {until: %s}\nproducts: [%s]\nresources:\n' \
    "$scenario" "$product" "$(date -u -d '+30 days' +%F)" "$product" > "$home/bench-application.yaml"
  printf '  - table: ods.public_security__citizens\n    columns: [%s]\n' "$columns" >> "$home/bench-application.yaml"
  id=$("$root/bin/dataops" grant apply "$home/bench-application.yaml" --json --home "$home" --as bench-op \
    | python3 -c 'import json,sys; t=sys.stdin.read(); print(json.loads(t[0 if t.startswith("{") else t.index("\n{") + 1:])["id"])')
  "$root/bin/dataops" grant approve "$id" --home "$home" --as bench-auth >/dev/null
  "$root/bin/dataops" grant approve "$id" --home "$home" --as ps-clerk >/dev/null
}

# An N-row citizen table (seed 1, one person a row) landed as public security's feed in $out/home, with the bench's
# people enrolled; the CSV is removed after. Extra arguments go to `dataops generate` (e.g. --defect-rate 0.01).
#   land_citizens [GENERATE_OPTION...]
land_citizens() {
  "$root/bin/dataops" generate --dataset citizens --rows "$n" --population "$n" --seed 1 "$@" \
    --out "$out/citizens.csv" --home "$out/home" >/dev/null
  enroll "$out/home"
  "$root/bin/dataops" land --home "$out/home" --department public-security --dataset citizens \
    --file "$out/citizens.csv" --as ps-clerk >/dev/null
  rm -f "$out/citizens.csv"
}
