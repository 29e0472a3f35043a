# Sourced by benchmarks/run.sh: the real llama-server child through llama.cpp's router vs through
# Switchboard, side by side on the same binary and models. Needs $llama_server (the binary) and two
# model files in $llama_models; writes a markdown section to stdout.

# Starts a router ("router" or "switchboard") on port $2; sets router_pid.
start_router() {
    local which="$1" port="$2"
    if [[ "$which" == router ]]; then
        "$llama_server" --models-dir "$llama_models" --models-max 1 --host 127.0.0.1 --port "$port" \
            >"$work/$which.log" 2>&1 &
    else
        "$root/switchboard" --models-dir "$llama_models" --models-max 1 --llama-server "$llama_server" \
            --host 127.0.0.1 --port "$port" >"$work/$which.log" 2>&1 &
    fi
    router_pid=$!
    pids+=("$router_pid")
}

# Milliseconds one chat completion for model $2 at $1 takes (max_tokens 1).
chat_ms() {
    curl -s -o /dev/null -w '%{time_total}' -H 'Content-Type: application/json' \
        -d "{\"model\":\"$2\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" \
        "$1/v1/chat/completions" | awk '{ printf "%.0f", $1 * 1000 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

llama_points() {
    local which port base t0 names first second i
    local -A start rss cold swap rps1 p99_1 rps8 p99_8
    for which in router switchboard; do
        port="$(free_port)"
        base="http://127.0.0.1:$port"
        t0="$(now_ms)"
        start_router "$which" "$port"
        start[$which]="$(await_200 "$base/health" "$t0")"
        sleep 2
        rss[$which]="$(rss_mb "$router_pid")"
        names="$(curl -s "$base/v1/models" | python3 -c 'import json,sys; print(" ".join(sorted(m["id"] for m in json.load(sys.stdin)["data"])))')"
        read -r first second <<<"$names"
        cold[$which]="$(chat_ms "$base" "$first")"
        local swaps=()
        for i in 1 2 3 4 5 6; do
            if ((i % 2)); then swaps+=("$(chat_ms "$base" "$second")"); else swaps+=("$(chat_ms "$base" "$first")"); fi
        done
        swap[$which]="$(printf '%s\n' "${swaps[@]}" | median)"
        chat_ms "$base" "$first" >/dev/null
        cat >"$work/llama.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"$first","max_tokens":4,"messages":[{"role":"user","content":"hello"}]}'
EOF
        # the same warm-up for both (Switchboard's JIT compiles on the cores the engine computes on)
        wrk -t1 -c8 -d"${WARMUP:-8s}" -s "$work/llama.lua" "$base/v1/chat/completions" >/dev/null
        read -r rps1[$which] _ p99_1[$which] < <(wrk_point "$base/v1/chat/completions" 1 "$work/llama.lua")
        read -r rps8[$which] _ p99_8[$which] < <(wrk_point "$base/v1/chat/completions" 8 "$work/llama.lua")
        stop_pid "$router_pid"
        say "$which: start ${start[$which]} ms, RSS ${rss[$which]} MB, cold ${cold[$which]} ms, swap ${swap[$which]} ms"
    done
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
    echo "Real \`llama-server\` ($llama_server), models \`$first\` and \`$second\` from $llama_models, \`--models-max 1\`;"
    echo "chat completions of 4 tokens, wrk $duration per point. Ratio: Switchboard / router (above 1 is"
    echo "better for req/s, worse for the others)."
    echo
    echo "| what | llama.cpp router | Switchboard | ratio |"
    echo "|---|---|---|---|"
    echo "| req/s, 1 connection | ${rps1[router]} | ${rps1[switchboard]} | $(ratio "${rps1[switchboard]}" "${rps1[router]}") |"
    echo "| p99 µs, 1 connection | ${p99_1[router]} | ${p99_1[switchboard]} | $(ratio "${p99_1[switchboard]}" "${p99_1[router]}") |"
    echo "| req/s, 8 connections | ${rps8[router]} | ${rps8[switchboard]} | $(ratio "${rps8[switchboard]}" "${rps8[router]}") |"
    echo "| p99 µs, 8 connections | ${p99_8[router]} | ${p99_8[switchboard]} | $(ratio "${p99_8[switchboard]}" "${p99_8[router]}") |"
    echo "| swap (the other model's first answer), median of 6, ms | ${swap[router]} | ${swap[switchboard]} | $(ratio "${swap[switchboard]}" "${swap[router]}") |"
    echo "| first request after start (cold load), ms | ${cold[router]} | ${cold[switchboard]} | $(ratio "${cold[switchboard]}" "${cold[router]}") |"
    echo "| process start to \`/health\` 200, ms | ${start[router]} | ${start[switchboard]} | $(ratio "${start[switchboard]}" "${start[router]}") |"
    echo "| idle RSS, MB | ${rss[router]} | ${rss[switchboard]} | $(ratio "${rss[switchboard]}" "${rss[router]}") |"
}
