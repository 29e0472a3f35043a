#!/usr/bin/env bash
# Runs llama.cpp's own server tests (tools/server/tests of the release build.sh builds) against
# Switchboard, or against the real llama-server as the reference, offline.
#
#   tools/llama-server/run-upstream-tests.sh [--target switchboard|llama-server] [pytest args / test files]
#
# Without test arguments it runs the router-mode suites: unit/test_router.py, unit/test_stream.py,
# the router-mode tests of unit/test_security.py, the tools suites unit/test_mcp_servers.py and
# unit/test_tools_builtin.py, and Switchboard's own unit/test_sse_latency.py (upstream/tests: a
# `requests` client sees each streamed event within 50 ms). Test paths are relative to the release's tests/
# folder (unit/test_x.py, unit/test_x.py::test_name). Any pytest option may be given (-k, -x, -v).
#
# What it sets up, in a fresh temporary folder (kept with KEEP_WORK=1):
#   - a copy of the release's tests/, plus unit/conftest.py (upstream/unit_conftest.py) that skips the
#     session-wide online warm-up of every ServerPreset, and stubs (upstream/stubs) for the Python
#     packages the machine lacks that only download (wget, openai, filelock);
#   - tiny GGUF models (upstream/models.py) in an offline Hugging Face cache (LLAMA_CACHE) and in a
#     loopback stand-in for the Hub (upstream/fake_hub.py; MODEL_ENDPOINT and HF_ENDPOINT point at it);
#   - LLAMA_SERVER_BIN_PATH: the real binary, or a script that starts switchboard (the gateway-app jar,
#     SWITCHBOARD_JAR or the one under gateway-app/target) with the test's arguments plus
#     --llama-server <real binary>;
#   - PORT: a free port (the tests default to 8080).
# Needs python3 with pytest and requests (Debian: python3-pytest python3-requests), and a JDK 21+
# (JAVA_HOME) for the switchboard target.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
say() { echo "upstream-tests: $*" >&2; }

target=switchboard
if [[ "${1:-}" == "--target" ]]; then
    target="${2:?--target needs switchboard or llama-server}"
    shift 2
fi
case "$target" in switchboard | llama-server) ;; *) say "unknown target '$target'"; exit 2 ;; esac

# A python3 that has pytest and requests: the one on the PATH, else Debian's.
python=""
for candidate in "$(command -v python3 || true)" /usr/bin/python3; do
    if [[ -n "$candidate" && -x "$candidate" ]] && "$candidate" -c 'import pytest, requests' 2>/dev/null; then
        python="$candidate"
        break
    fi
done
[[ -n "$python" ]] || { say "needs python3 with pytest and requests (apt-get install python3-pytest python3-requests)"; exit 1; }

binary="$("$here/build.sh")"
src="$("$here/build.sh" --src)"

work="$(mktemp -d "${TMPDIR:-/tmp}/upstream-tests.XXXXXX")"
hub_pid=""
cleanup() {
    [[ -n "$hub_pid" ]] && kill "$hub_pid" 2>/dev/null || true
    if [[ "${KEEP_WORK:-0}" == 1 ]]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# at the path it has in the release: test_tools_builtin.py reads files by their place in the tree
tests="$work/tools/server/tests"
mkdir -p "$work/tools/server"
cp -r "$src/tools/server/tests" "$tests"
mkdir -p "$tests/tmp"
cp "$here/upstream/unit_conftest.py" "$tests/unit/conftest.py"
cp "$here/upstream/tests/"*.py "$tests/unit/"
mkdir -p "$work/stubs"
for module in wget openai filelock; do
    "$python" -c "import $module" 2>/dev/null || cp "$here/upstream/stubs/$module.py" "$work/stubs/"
done

# Models: generated once per machine (they depend only on the release's vocab and models.py).
models_cache="${SWITCHBOARD_CACHE:-$HOME/.cache/switchboard}/upstream-models-$(cat "$here/upstream/models.py" "$here/upstream/tiny_gguf.py" | sha1sum | cut -c1-12)"
mkdir -p "$models_cache"
"$python" "$here/upstream/models.py" "$src/models/ggml-vocab-llama-spm.gguf" "$models_cache/hub" "$work/cache"
mkdir -p "$work/hub"
cp -rl "$models_cache/hub/." "$work/hub/"

"$python" "$here/upstream/fake_hub.py" "$work/hub" "$work/hub.port" 2>"$work/hub.log" &
hub_pid=$!
for _ in $(seq 100); do [[ -s "$work/hub.port" ]] && break; sleep 0.1; done
[[ -s "$work/hub.port" ]] || { say "the stand-in hub did not start:"; cat "$work/hub.log" >&2; exit 1; }
export MODEL_ENDPOINT="http://127.0.0.1:$(cat "$work/hub.port")/" HF_ENDPOINT="http://127.0.0.1:$(cat "$work/hub.port")/"
export LLAMA_CACHE="$work/cache" HF_HUB_OFFLINE=1
unset HF_TOKEN LLAMA_API_KEY LLAMA_ARG_MODELS_DIR LLAMA_ARG_MODELS_PRESET LLAMA_ARG_MODELS_MAX LLAMA_ARG_MODELS_AUTOLOAD

if [[ "$target" == llama-server ]]; then
    export LLAMA_SERVER_BIN_PATH="$binary"
else
    jar="${SWITCHBOARD_JAR:-}"
    if [[ -z "$jar" ]]; then
        for candidate in "$root"/gateway-app/target/gateway-app-*.jar; do
            case "$candidate" in *-sources.jar | *-tests.jar | *-javadoc.jar) ;; *) [[ -f "$candidate" ]] && jar="$candidate" ;; esac
        done
    fi
    [[ -n "$jar" ]] || { say "no gateway-app jar: build it first (./mvnw -q -B -DskipTests package -pl gateway-app -am)"; exit 1; }
    java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
    cat >"$work/switchboard-as-llama-server" <<SCRIPT
#!/usr/bin/env bash
exec "$java" -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC \${SWITCHBOARD_JAVA_OPTS:-} -jar "$jar" "\$@" --llama-server "$binary"
SCRIPT
    chmod +x "$work/switchboard-as-llama-server"
    export LLAMA_SERVER_BIN_PATH="$work/switchboard-as-llama-server"
fi
PORT="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export PORT
export PYTHONPATH="$work/stubs${PYTHONPATH:+:$PYTHONPATH}"

if [[ $# -eq 0 ]] || [[ "$(printf '%s\n' "$@" | grep -c '^unit/')" -eq 0 ]]; then
    set -- "$@" unit/test_router.py unit/test_stream.py unit/test_sse_latency.py \
        unit/test_security.py::test_cors_origins_localhost_reflects \
        unit/test_security.py::test_cors_origins_localhost_rejects \
        unit/test_security.py::test_cors_origins_defaults_to_localhost_with_tools_enabled \
        unit/test_mcp_servers.py unit/test_tools_builtin.py
fi
# the tools tests read and write anywhere under /tmp: confine the gateway's file tools to / for them
export SWITCHBOARD_TOOLS_ROOTS="${SWITCHBOARD_TOOLS_ROOTS:-/}"
say "target $target ($LLAMA_SERVER_BIN_PATH), port $PORT, hub $MODEL_ENDPOINT, cache $LLAMA_CACHE"
cd "$tests"
"$python" -m pytest -p no:cacheprovider -o console_output_style=classic -rA "$@"
