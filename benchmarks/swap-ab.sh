#!/usr/bin/env bash
# Cold starts and swaps with the real llama-server and --models-max 1: llama.cpp's router beside one or
# more checkouts' launchers, taking turns:
#
#   BENCH_MODELS=/tmp/two-models benchmarks/swap-ab.sh 3 20 . /tmp/previous-landing
#
# BENCH_MODELS is a models dir with two GGUF models (benchmarks/run.sh makes a tiny one from the real-
# engine tests' generator); LLAMA_SERVER the binary (default: the real-engine tooling's build). For
# ROUNDS rounds, each contestant in turn starts, idles 2 s, times the first request (the cold load),
# swaps three more times to warm up, then times SWAPS swaps (a chat completion of one token for the
# model not loaded: the other model's first answer) and prints the round's median; at the end, every
# contestant's cold times and swap medians.
set -euo pipefail
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
rounds="$1" swaps="$2"
shift 2
llama_server="${LLAMA_SERVER:-$HOME/.cache/switchboard/llama.cpp/node-llama-cpp-3.21.1/bin/llama-server}"
models="${BENCH_MODELS:?a models dir with two GGUF models}"
names=("$models"/*.gguf)
first="${names[0]##*/}" second="${names[1]##*/}"
first="${first%.gguf}" second="${second%.gguf}"
# start_router, chat_ms and median, as run.sh uses them (start_router logs under $work and starts
# "$root/switchboard")
llama_models="$models"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pids=()
source "$(dirname "${BASH_SOURCE[0]}")/llama-points.sh"
declare -A medians colds
for ((round = 0; round < rounds; round++)); do
    for contestant in router "$@"; do
        port=$((19500 + RANDOM % 500))
        if [[ "$contestant" == router ]]; then
            start_router router "$port"
        else
            root="$contestant" start_router switchboard "$port"
        fi
        pid="$router_pid"
        until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.01; done
        sleep 2
        times=()
        for ((i = 0; i < swaps + 4; i++)); do
            if ((i % 2)); then model="$second"; else model="$first"; fi
            took="$(chat_ms "http://127.0.0.1:$port" "$model")"
            if ((i == 0)); then took0="$took" colds[$contestant]+="$took "; fi
            if ((i >= 4)); then times+=("$took"); fi
        done
        kill "$pid"
        wait "$pid" 2>/dev/null || true
        m="$(printf '%s\n' "${times[@]}" | median)"
        medians[$contestant]+="$m "
        echo "round $((round + 1)) $contestant: cold $took0 ms, swaps median $m ms of ${times[*]}"
        sleep 1
    done
done
for contestant in router "$@"; do
    echo "$contestant: cold ${colds[$contestant]}ms; swap medians ${medians[$contestant]}ms"
done
