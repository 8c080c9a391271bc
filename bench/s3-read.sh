#!/usr/bin/env bash
# DuckDB's two ways to S3 (issue 12): lands the desensitization bench's N-row citizen table into a warehouse on a
# local S3Proxy (infra/local-s3.sh, port 19000, its own folder), then times bench/S3ReadPaths.java: the read-through
# cache cold and warm (copy + DuckDB scan of the pipeline's columns) against Iceberg's Arrow reader streaming the same
# columns from S3 (the producing half of an Arrow stream handed to DuckDB; DuckDB's scan of it would come on top).
#   bench/s3-read.sh 1000000
set -euo pipefail
n=${1:?usage: bench/s3-read.sh ROWS}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_name=s3-read
# shellcheck source=bench/common.sh
source "$root/bench/common.sh"
export LOCAL_S3_PORT=${LOCAL_S3_PORT:-19000} LOCAL_S3_DIR="$out/s3"
eval "$("$root/infra/local-s3.sh" start bench)"
trap '"$root/infra/local-s3.sh" stop' EXIT
export DATAOPS_WAREHOUSE=s3://bench/warehouse DATAOPS_CACHE_DIR="$out/cache"
echo "preparing an $n-row citizen table in s3://bench/warehouse..."
land_citizens
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$root/platform/target/dataops.jar" \
  "$root/bench/S3ReadPaths.java" "$out/home"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
