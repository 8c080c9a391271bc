#!/usr/bin/env bash
# A local S3-compatible server for trying the production storage profile without Docker: S3Proxy (from Maven
# Central) on 127.0.0.1, objects in a folder, signed requests required with a local access key made on first start.
#   infra/local-s3.sh start [BUCKET...]   starts it (default bucket: dataops), prints the AWS SDK variables to export
#   infra/local-s3.sh env                 prints them again
#   infra/local-s3.sh stop                stops it (the objects stay in the folder)
# LOCAL_S3_PORT (default 9000) and LOCAL_S3_DIR (default ~/.dataops-local-s3) change where it runs and keeps things.
# S3Proxy has no object lock: archives are then sealed by the platform itself (see the README).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port=${LOCAL_S3_PORT:-9000}
dir=${LOCAL_S3_DIR:-$HOME/.dataops-local-s3}
cmd=${1:-}
[[ $# -gt 0 ]] && shift

print_env() {
  # The key file is owner-only; the values are printed for the caller's shell, never logged.
  # shellcheck disable=SC1091
  source "$dir/credentials"
  echo "export AWS_ENDPOINT_URL=http://127.0.0.1:$port"
  echo "export AWS_ACCESS_KEY_ID=$LOCAL_S3_ACCESS_KEY"
  echo "export AWS_SECRET_ACCESS_KEY=$LOCAL_S3_SECRET_KEY"
  echo "export AWS_REGION=us-east-1"
}

running() {
  [[ -f "$dir/pid" ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null
}

case "$cmd" in
  start)
    buckets=("$@")
    [[ ${#buckets[@]} -eq 0 ]] && buckets=(dataops)
    mkdir -p "$dir/data" && chmod 700 "$dir"
    if [[ ! -f "$dir/credentials" ]]; then
      (umask 077; printf 'LOCAL_S3_ACCESS_KEY=local-%s\nLOCAL_S3_SECRET_KEY=%s\n' \
        "$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" "$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')" \
        > "$dir/credentials")
    fi
    # A bucket of S3Proxy's filesystem store is a folder: made here, so the platform finds them.
    for b in "${buckets[@]}"; do mkdir -p "$dir/data/$b"; done
    if running; then
      echo "local-s3: already running (pid $(cat "$dir/pid"))" >&2
      print_env
      exit 0
    fi
    if [[ ! -s "$dir/classpath" || "$root/infra/s3proxy/pom.xml" -nt "$dir/classpath" ]]; then
      echo "local-s3: resolving S3Proxy from Maven Central (once)..." >&2
      mvn -B -q -f "$root/infra/s3proxy/pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/classpath" >&2
    fi
    # shellcheck disable=SC1091
    source "$dir/credentials"
    (umask 077; cat > "$dir/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$LOCAL_S3_ACCESS_KEY
s3proxy.credential=$LOCAL_S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.identity=$LOCAL_S3_ACCESS_KEY
jclouds.credential=$LOCAL_S3_SECRET_KEY
jclouds.filesystem.basedir=$dir/data
PROPS
    )
    nohup java -Dlogback.configurationFile="$root/infra/s3proxy/logback.xml" -cp "$(cat "$dir/classpath")" \
      org.gaul.s3proxy.Main --properties "$dir/s3proxy.properties" > "$dir/s3proxy.log" 2>&1 < /dev/null &
    echo $! > "$dir/pid"
    for _ in $(seq 1 150); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "local-s3: S3Proxy on http://127.0.0.1:$port (pid $(cat "$dir/pid")), buckets: ${buckets[*]}," \
          "objects in $dir/data" >&2
        print_env
        exit 0
      fi
      if ! running; then break; fi
      sleep 0.2
    done
    echo "local-s3: S3Proxy did not start; its log:" >&2
    cat "$dir/s3proxy.log" >&2
    exit 1
    ;;
  env)
    [[ -f "$dir/credentials" ]] || { echo "local-s3: not started yet (infra/local-s3.sh start)" >&2; exit 2; }
    print_env
    ;;
  stop)
    if running; then
      kill "$(cat "$dir/pid")"
      for _ in $(seq 1 50); do running || break; sleep 0.2; done
      echo "local-s3: stopped (objects kept in $dir/data)" >&2
    else
      echo "local-s3: not running" >&2
    fi
    rm -f "$dir/pid"
    ;;
  *)
    echo "usage: infra/local-s3.sh start [BUCKET...] | env | stop" >&2
    exit 2
    ;;
esac
