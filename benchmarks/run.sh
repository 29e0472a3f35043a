#!/usr/bin/env bash
# Side-by-side benchmarks of Switchboard against its peers, in one run on one machine, written into
# docs/BENCHMARKS.md (between the run.sh markers) with the machine, the date and this command:
#
#   benchmarks/run.sh            all points (a few seconds each)
#   DURATION=8s WARMUP=8s benchmarks/run.sh   seconds per point, JIT warm-up of each gateway
#   BASELINE_JAR=/tmp/old/gateway-app-0.1.0-SNAPSHOT.jar benchmarks/run.sh
#                                adds rows for an earlier build (its lib/ next to it), side by side
#   BASELINE_JAR=/tmp/old-checkout/switchboard benchmarks/run.sh
#                                the same for an earlier checkout, started by its own launcher
#
# Points: wrk against a tiny fixed-reply upstream (nginx `return 200`) directly, through nginx
# `proxy_pass` and through Switchboard at 1 and 32 connections; a static answer from nginx, from a
# bare Jetty handler and from Switchboard's /health (the server stack's ceiling); process start to
# /health 200 and idle RSS; the real llama-server child through llama.cpp's router vs through
# Switchboard at 1 and 8 connections, swaps with --models-max 1, the first request after start,
# start-up and idle RSS of both (when the binary and a GGUF model are there: LLAMA_SERVER, default
# the build of tools/llama-server/build.sh, and BENCH_GGUF, default a tiny model written by the
# real-engine tests' TinyLlamaModels when backend-llamacpp's test classes are built); 10,000 idle SSE
# streams through a gateway with -Xmx512m; time to first byte of a stream, directly vs through the
# gateway.
# nginx and wrk come from Debian's packages, installed when missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
duration="${DURATION:-4s}"
# the gateway holds two sockets per stream: stay within the open-files limit
fd_limit="$(ulimit -n)"
streams="${STREAMS:-$(( fd_limit >= 20400 ? 10000 : (fd_limit - 400) / 2 ))}"
work="$(mktemp -d /tmp/switchboard-bench.XXXXXX)"
results="$work/results.md"
pids=()

cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

say() { echo "bench: $*" >&2; }

install_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
    if ((${#missing[@]})); then
        say "installing ${missing[*]} from Debian's packages"
        local sudo=""
        [[ "$(id -u)" == 0 ]] || sudo=sudo
        $sudo apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
        || echo $((20000 + RANDOM % 20000))
}

now_ms() { date +%s%3N; }

# Waits until GET $1 answers 200; prints the milliseconds since $2 (a now_ms value).
await_200() {
    local url="$1" since="$2" i
    for ((i = 0; i < 6000; i++)); do
        if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" == 200 ]]; then
            echo $(($(now_ms) - since))
            return 0
        fi
        sleep 0.005
    done
    say "$url never answered 200"
    return 1
}

# CPU time (user + system) process $1 has used so far, in ms: unlike wall time, it hardly depends on
# what else the machine runs.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# wrk against $1 with $2 connections (POSTing what the Lua script $3 says, by default post.lua): prints
# "req/s p50_us p99_us".
wrk_point() {
    local url="$1" conns="$2" script="${3:-$work/post.lua}" threads=1 out
    ((conns > 1)) && threads=2
    out="$(wrk -t"$threads" -c"$conns" -d"$duration" --latency -s "$script" "$url")"
    if grep -q "Non-2xx" <<<"$out"; then
        say "non-2xx answers from $url:"
        echo "$out" >&2
        return 1
    fi
    awk '
        function us(v) {
            if (v ~ /us$/) return v + 0;
            if (v ~ /ms$/) return v * 1000;
            if (v ~ /s$/) return v * 1000000;
            return v;
        }
        /^ +50%/ { p50 = us($2) } /^ +99%/ { p99 = us($2) } /^Requests\/sec/ { rps = $2 }
        END { printf "%.0f %.0f %.0f\n", rps, p50, p99 }' <<<"$out"
}

start_nginx() {
    local up="$1" front="$2"
    mkdir -p "$work/nginx/logs"
    cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 20000; }
http {
    access_log off;
    upstream fixed { server 127.0.0.1:$up; keepalive 64; }
    server {
        listen 127.0.0.1:$up;
        location / { default_type application/json; return 200 '$reply'; }
    }
    server {
        listen 127.0.0.1:$front;
        location / {
            proxy_pass http://fixed;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
    /usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
    pids+=($!)
}

# Starts ./switchboard with $1 as configuration, or with $2 set the jar $2 as the launcher would;
# sets gw_pid.
start_gateway() {
    if [[ -n "${2:-}" && "$2" != *.jar ]]; then
        "$2" --config "$1" >"$work/gateway.log" 2>&1 &
    elif [[ -n "${2:-}" ]]; then
        read -r -a opts <<<"${SWITCHBOARD_JAVA_OPTS:-}"
        "$JAVA_HOME/bin/java" ${opts[@]+"${opts[@]}"} -jar "$2" --config "$1" >"$work/gateway.log" 2>&1 &
    else
        "$root/switchboard" --config "$1" >"$work/gateway.log" 2>&1 &
    fi
    gw_pid=$!
    pids+=("$gw_pid")
}

# Median of three starts to /health 200 (wall ms), the CPU ms the JVM had used by then (median), and
# the RSS of the third, idle for 2 s (the start-up compilations still running) and for 10 s (MB).
startup_point() {
    local config="$1" jar="${2:-}" times=() cpus=() i t0 rss settled
    for i in 1 2 3; do
        t0="$(now_ms)"
        start_gateway "$config" "$jar"
        times+=("$(await_200 "http://127.0.0.1:$gw_port/health" "$t0")")
        cpus+=("$(cpu_ms "$gw_pid")")
        if ((i == 3)); then
            sleep 2
            rss="$(rss_mb "$gw_pid")"
            sleep 8
            settled="$(rss_mb "$gw_pid")"
        fi
        stop_pid "$gw_pid"
    done
    say "start-up ${jar:-./switchboard}: ${times[*]} ms wall, ${cpus[*]} ms CPU; idle RSS $rss MB at 2 s, $settled MB at 10 s"
    echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p) $(printf '%s\n' "${cpus[@]}" | sort -n | sed -n 2p) $rss $settled"
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

row() { echo "$*" >>"$results"; }

install_tools
say "building (skipped when up to date)"
(cd "$root" && ./mvnw -q -B -ntp -DskipTests package -pl gateway-app,benchmarks -am)
bench_cp="$root/benchmarks/target/classes:$root/gateway-app/target/lib/*"
# the launcher rebuilds when sources are newer than the jar; the build above made it current
"$root/switchboard" --help >/dev/null 2>&1 || true

reply='{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}]}'
cat >"$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"bench","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}'
EOF

up_port="$(free_port)"
nginx_port="$(free_port)"
gw_port="$(free_port)"
start_nginx "$up_port" "$nginx_port"
cat >"$work/fixed.yaml" <<EOF
server: { host: 127.0.0.1, port: $gw_port }
gpus: none
backends:
  fixed: { type: openai, baseUrl: "http://127.0.0.1:$up_port/v1", models: [bench] }
EOF

# ---- start-up and idle RSS (before any load, so the figures are a fresh gateway's) ----
say "start-up: to /health 200"
read -r gw_start gw_cpu gw_idle_rss gw_settled_rss < <(startup_point "$work/fixed.yaml")
startup_rows="| Switchboard (\`./switchboard\`) | $gw_start | $gw_cpu | $gw_idle_rss | $gw_settled_rss |"
if [[ -n "${BASELINE_JAR:-}" ]]; then
    read -r b_start b_cpu b_rss b_settled < <(startup_point "$work/fixed.yaml" "$BASELINE_JAR")
    if [[ "$BASELINE_JAR" == *.jar ]]; then b_how="\`java -jar\`, default JVM options"; else b_how="its own launcher"; fi
    startup_rows+=$'\n'"| baseline build ($b_how) | $b_start | $b_cpu | $b_rss | $b_settled |"
fi

# ---- proxy overhead ----
say "proxy overhead: wrk $duration per point"
gateways=(switchboard)
[[ -n "${BASELINE_JAR:-}" ]] && gateways+=(baseline)
await_200 "http://127.0.0.1:$nginx_port/" "$(now_ms)" >/dev/null
row "| path | connections | req/s | p50 µs | p99 µs | p50 added µs | p99 added µs | req/s vs nginx |"
row "|---|---|---|---|---|---|---|---|"
for conns in 1 32; do
    read -r d_rps d_p50 d_p99 < <(wrk_point "http://127.0.0.1:$up_port/v1/chat/completions" "$conns")
    read -r n_rps n_p50 n_p99 < <(wrk_point "http://127.0.0.1:$nginx_port/v1/chat/completions" "$conns")
    row "| upstream directly | $conns | $d_rps | $d_p50 | $d_p99 | | | |"
    row "| nginx proxy_pass | $conns | $n_rps | $n_p50 | $n_p99 | $((n_p50 - d_p50)) | $((n_p99 - d_p99)) | 1.00 |"
    for gateway in "${gateways[@]}"; do
        if [[ "$gateway" == baseline ]]; then start_gateway "$work/fixed.yaml" "$BASELINE_JAR"; else start_gateway "$work/fixed.yaml"; fi
        await_200 "http://127.0.0.1:$gw_port/health" "$(now_ms)" >/dev/null
        wrk -t1 -c8 -d"${WARMUP:-8s}" -s "$work/post.lua" "http://127.0.0.1:$gw_port/v1/chat/completions" >/dev/null # JIT warm-up
        read -r s_rps s_p50 s_p99 < <(wrk_point "http://127.0.0.1:$gw_port/v1/chat/completions" "$conns")
        stop_pid "$gw_pid"
        label="Switchboard"
        [[ "$gateway" == baseline ]] && label="baseline build"
        row "| $label | $conns | $s_rps | $s_p50 | $s_p99 | $((s_p50 - d_p50)) | $((s_p99 - d_p99)) | $(awk -v a="$s_rps" -v b="$n_rps" 'BEGIN { printf "%.2f", a / b }') |"
    done
done
proxy_table="$(cat "$results")"
: >"$results"
echo "$proxy_table" >&2

# ---- the server stack's ceiling: a static answer, nothing proxied ----
say "stack ceiling: nginx return 200, bare Jetty, the gateway's /health at 32 connections"
: >"$work/get.lua"
jetty_port="$(free_port)"
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$bench_cp" dev.switchboard.bench.LoadHarness bare-jetty "$jetty_port" \
    >"$work/bare-jetty.log" 2>&1 &
pids+=($!)
start_gateway "$work/fixed.yaml"
row "| server, \`GET\` of a static answer | req/s at 32 connections | p50 µs | req/s vs nginx |"
row "|---|---|---|---|"
first=""
for url in "http://127.0.0.1:$up_port/" "http://127.0.0.1:$jetty_port/" "http://127.0.0.1:$gw_port/health"; do
    await_200 "$url" "$(now_ms)" >/dev/null
    wrk -t2 -c32 -d"${WARMUP:-8s}" "$url" >/dev/null # JIT warm-up
    read -r c_rps c_p50 _ < <(wrk_point "$url" 32 "$work/get.lua")
    first="${first:-$c_rps}"
    case "$url" in
        *"$up_port"*) label="nginx \`return 200\`" ;;
        *"$jetty_port"*) label="Jetty $(ls "$root/gateway-app/target/lib" | sed -n 's/^jetty-server-\(.*\)\.jar$/\1/p'), one core \`Handler\` (\`LoadHarness bare-jetty\`)" ;;
        *) label="Switchboard's \`/health\` (Javalin's servlet layer on that Jetty)" ;;
    esac
    row "| $label | $c_rps | $c_p50 | $(awk -v a="$c_rps" -v b="$first" 'BEGIN { printf "%.2f", a / b }') |"
done
stop_pid "$gw_pid"
ceiling_table="$(cat "$results")"
: >"$results"
echo "$ceiling_table" >&2

# ---- idle SSE streams and time to first byte ----
say "streams: $streams idle SSE streams through a gateway with -Xmx512m; time to first byte"
sse_port="$(free_port)"
"$JAVA_HOME/bin/java" -cp "$bench_cp" dev.switchboard.bench.LoadHarness sse-upstream "$sse_port" >"$work/sse-upstream.log" 2>&1 &
pids+=($!)
cat >"$work/sse.yaml" <<EOF
server: { host: 127.0.0.1, port: $gw_port }
gpus: none
backends:
  held: { type: openai, baseUrl: "http://127.0.0.1:$sse_port/v1", models: [bench] }
EOF
SWITCHBOARD_JAVA_OPTS="${SWITCHBOARD_JAVA_OPTS:-} -Xmx512m" start_gateway "$work/sse.yaml"
await_200 "http://127.0.0.1:$gw_port/health" "$(now_ms)" >/dev/null
gw_java="$(pgrep -P "$gw_pid" java || echo "$gw_pid")"
if ! stream_table="$("$JAVA_HOME/bin/java" -cp "$bench_cp" dev.switchboard.bench.LoadHarness streams \
    "http://127.0.0.1:$sse_port" "http://127.0.0.1:$gw_port" "$streams" "$gw_java")"; then
    stream_table="The stream measurement failed in this run (see the harness output above)."
fi
echo "$stream_table" >&2
stop_pid "$gw_pid"

# ---- the real llama-server: llama.cpp's router vs Switchboard ----
llama_server="${LLAMA_SERVER:-$HOME/.cache/switchboard/llama.cpp/node-llama-cpp-3.21.1/bin/llama-server}"
llama_models="$work/models"
# without BENCH_GGUF: a 9 MB random-weight model from the real-engine tests' generator, when built
# (./mvnw test-compile -pl backend-llamacpp -am)
tiny_classes="${TINY_CLASSES:-$root/backend-llamacpp/target/test-classes}"
vocab="$(dirname "$(dirname "$llama_server")")/src/models/ggml-vocab-llama-spm.gguf"
if [[ -z "${BENCH_GGUF:-}" && -f "$tiny_classes/dev/switchboard/llamacpp/gguf/TinyLlamaModels.class" && -f "$vocab" ]]; then
    cat >"$work/TinyModel.java" <<'JAVA'
public class TinyModel {
    public static void main(String[] args) throws Exception {
        dev.switchboard.llamacpp.gguf.TinyLlamaModels.write(java.nio.file.Path.of(args[0]),
                dev.switchboard.llamacpp.gguf.TinyLlamaModels.Size.TINY, 42, java.nio.file.Path.of(args[1]));
    }
}
JAVA
    if "$JAVA_HOME/bin/java" -cp "$tiny_classes:$root/backend-llamacpp/target/classes:$bench_cp" "$work/TinyModel.java" \
        "$work/tiny.gguf" "$vocab"; then
        BENCH_GGUF="$work/tiny.gguf"
    fi
fi
if [[ -x "$llama_server" && -n "${BENCH_GGUF:-}" && -f "${BENCH_GGUF:-}" ]]; then
    say "real llama-server: router vs Switchboard"
    mkdir -p "$llama_models"
    cp "$BENCH_GGUF" "$llama_models/bench-a.gguf"
    cp "$BENCH_GGUF" "$llama_models/bench-b.gguf"
    source "$root/benchmarks/llama-points.sh"
    llama_table="$(llama_points)" || llama_table="The llama-server measurement failed in this run."
    echo "$llama_table" >&2
else
    llama_table="Not measured in this run: it needs the real \`llama-server\` ($llama_server, from
\`tools/llama-server/build.sh\`: $([[ -x "$llama_server" ]] && echo found || echo missing)) and a small GGUF model in
\`BENCH_GGUF\` ($([[ -n "${BENCH_GGUF:-}" ]] && echo "${BENCH_GGUF}" || echo unset))."
fi

# ---- write docs/BENCHMARKS.md ----
machine="$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
section="$work/section.md"
cat >"$section" <<EOF
<!-- run.sh:begin (generated by benchmarks/run.sh; edits between the markers are overwritten) -->
## Side by side: \`benchmarks/run.sh\`

\`\`\`bash
DURATION=$duration benchmarks/run.sh
\`\`\`

Run $(date -u '+%Y-%m-%d %H:%M UTC') on $machine; $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///'). Everything shares the
same cores (load generator, nginx, gateway): read the ratios, not the absolute figures.

### Proxy overhead: a tiny fixed-reply upstream (nginx \`return 200\`), wrk $duration per point

Added latency is the path's percentile minus the upstream's own, measured in the same run.

$proxy_table

### What the server stack allows: a static answer, nothing proxied, wrk $duration

The gateway's proxy cannot be faster than its HTTP server answering a constant. The same upstream
nginx, the Jetty the gateway runs on with a single core handler, and the gateway's \`/health\`:

$ceiling_table

### Start-up and memory

| gateway | process start to \`/health\` 200, median of 3 (ms) | CPU time used by then (ms) | RSS 2 s after (MB) | RSS 10 s after, idle (MB) |
|---|---|---|---|---|
$startup_rows

### The real llama-server child: llama.cpp's router vs Switchboard

$llama_table

### Streams

$stream_table
<!-- run.sh:end -->
EOF
doc="$root/docs/BENCHMARKS.md"
if grep -q '<!-- run.sh:begin' "$doc"; then
    awk -v section="$section" '
        /<!-- run.sh:begin/ { while ((getline line < section) > 0) print line; skip = 1; next }
        /<!-- run.sh:end/ { skip = 0; next }
        !skip { print }' "$doc" >"$work/doc.md"
else
    # after the introduction (the first paragraph), before the first existing section
    awk -v section="$section" '
        /^## / && !done { while ((getline line < section) > 0) print line; print ""; done = 1 }
        { print }' "$doc" >"$work/doc.md"
fi
cp "$work/doc.md" "$doc"
say "wrote $doc"
cat "$section"
