#!/usr/bin/env bash
# Process start to /health 200 of two or more checkouts' launchers, alternating, on the embedded demo
# (which starts one engine beside the gateway) or on the arguments in GATEWAY_ARGS:
#
#   benchmarks/startup-ab.sh 10 . /tmp/previous-landing
#   GATEWAY_ARGS="--models-dir /tmp/no-models" benchmarks/startup-ab.sh 10 . /tmp/previous-landing
#
# starts each `<checkout>/switchboard $GATEWAY_ARGS` in turn N times (each checkout built beforehand, its
# start-up cache made by one start), polls /health every 5 ms, and prints per checkout every start's
# wall ms / CPU ms used by then, and the medians. Alternating keeps a busy box's drift out of the ratio.
set -euo pipefail
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
n="$1"
shift
read -r -a gateway_args <<<"${GATEWAY_ARGS:---demo}"
declare -A results
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
for ((i = 0; i < n; i++)); do
    for checkout in "$@"; do
        port=$((19000 + RANDOM % 500))
        t0=$(date +%s%N)
        "$checkout/switchboard" "${gateway_args[@]}" --port "$port" >/dev/null 2>&1 &
        pid=$!
        until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.005; done
        t1=$(date +%s%N)
        # utime + stime of the JVM (the launcher execs it), in clock ticks of 10 ms
        cpu=$(awk '{print ($14 + $15) * 10}' "/proc/$pid/stat")
        results[$checkout]+="$(((t1 - t0) / 1000000))/$cpu "
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        sleep 0.5
    done
done
for checkout in "$@"; do
    echo "$checkout: ${results[$checkout]}"
    echo "  median ms: $(cut -d/ -f1 <<<"${results[$checkout]// /$'\n'}" | median)" \
        " median CPU ms: $(cut -d/ -f2 <<<"${results[$checkout]// /$'\n'}" | median)"
done
