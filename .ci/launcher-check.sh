#!/usr/bin/env bash
# Proves the README's first command on this checkout, as a newcomer types it: `./switchboard --demo`
# builds the app when there is no jar (a fresh clone), serves the demo, and stops cleanly on SIGTERM;
# then the other launcher paths: an up-to-date jar starts without a build, a stale one is rebuilt,
# and with no JDK 21+ the launcher says so and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp -d)"
pid=""
cleanup() {
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
    rm -rf "$log"
}
trap cleanup EXIT
fail() { echo "launcher-check: FAILED: $*" >&2; tail -n 40 "$log/out" >&2 || true; exit 1; }

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Starts the demo in the background, waits for /health, checks a chat, stops it with SIGTERM.
demo_round() {
    local expect="$1" p started=$SECONDS
    p="$(port)"
    ./switchboard --demo --port "$p" >"$log/out" 2>&1 &
    pid=$!
    until curl -fsS "http://127.0.0.1:$p/health" >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || fail "the launcher exited before the gateway answered"
        ((SECONDS - started < 600)) || fail "no answer on port $p after 600 s"
        sleep 0.5
    done
    grep -q "$expect" "$log/out" || fail "expected the launcher to say '$expect'"
    curl -fsS "http://127.0.0.1:$p/v1/chat/completions" -H 'Content-Type: application/json' \
        -d '{"model":"llama","max_tokens":4,"messages":[{"role":"user","content":"hi"}]}' | grep -q '"choices"' \
        || fail "the demo did not answer a chat"
    kill -TERM "$pid"
    local code=0
    wait "$pid" || code=$?
    pid=""
    [[ "$code" == 0 ]] || fail "SIGTERM ended the gateway with exit code $code, not 0"
    echo "launcher-check: '$expect' -> answered in $((SECONDS - started)) s, stopped with exit 0"
}

[[ ! -d gateway-app/target ]] || echo "launcher-check: note: gateway-app/target exists; not a fresh clone"
demo_round "no gateway-app jar yet; building it"
demo_round "starting gateway-app"
if grep -q "building\|rebuilding" "$log/out"; then fail "an up-to-date jar was rebuilt"; fi
touch gateway-core/src/main/java/dev/switchboard/core/Gateway.java
demo_round "sources are newer than"

# The start-up cache the launcher trained holds a llama.cpp model's first request: its training start
# loads one (the simulator playing llama-server), so a cold request does not load those classes; and
# it holds the command line's parser (picocli built for Java 21: its own jar's Java 5 classes cannot
# be cached). (the launcher makes one on JDK 25 and newer)
if [[ "$("${JAVA_HOME:?}/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')" -ge 25 ]]; then
    jar="$(ls gateway-app/target/gateway-app-*.jar | grep -v -- '-tests.jar' | head -n 1)"
    cache="$(ls "${jar%.jar}".*.aot 2>/dev/null | head -n 1)"
    [[ -n "$cache" ]] || fail "the launcher left no start-up cache next to $jar"
    "${JAVA_HOME:?}/bin/java" -XX:AOTCache="$cache" -XX:+PrintSharedArchiveAndExit -jar "$jar" >"$log/out" 2>&1 || true
    for class in dev.switchboard.llamacpp.internal.ChildLaunch dev.switchboard.llamacpp.gguf.GgufReader picocli.CommandLine; do
        grep -q " $class app_loader" "$log/out" || fail "the start-up cache has no $class"
    done
    echo "launcher-check: the start-up cache holds the llama.cpp backend's launch path and the command-line parser"
fi

# No JDK 21+: only Debian's Java 17 on the PATH, no JAVA_HOME, no JVM directory to search.
java17="$(ls -d /usr/lib/jvm/java-17-openjdk-*/bin 2>/dev/null | head -n 1 || true)"
code=0
env -u JAVA_HOME SWITCHBOARD_JVM_DIR="$log/none" PATH="${java17:+$java17:}/usr/bin:/bin" \
    ./switchboard --demo >"$log/out" 2>&1 || code=$?
[[ "$code" == 1 ]] || fail "with no JDK 21+ the launcher exited $code, not 1"
grep -q "needs a JDK 21 or newer" "$log/out" || fail "with no JDK 21+ the launcher did not say why"
echo "launcher-check: no JDK 21+ -> exit 1: $(cat "$log/out")"
echo "launcher-check: all launcher paths passed"
