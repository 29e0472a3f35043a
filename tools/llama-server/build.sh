#!/usr/bin/env bash
# Builds a real, CPU-only llama-server from the llama.cpp source release that the npm package
# node-llama-cpp ships (llama/gitRelease.bundle), and caches it outside the repository, keyed by version.
#
#   tools/llama-server/build.sh          prints the binary's path, building it on the first run (~10 min on 2 cores)
#   tools/llama-server/build.sh --src    prints the checked-out source tree (llama.cpp's tests, models/ vocab files)
#
# Cache: $SWITCHBOARD_CACHE (default ~/.cache/switchboard)/llama.cpp/<node-llama-cpp version>.
# Pinned: node-llama-cpp 3.21.1, which carries llama.cpp v0.4.0.
set -euo pipefail

NODE_LLAMA_CPP_VERSION="${NODE_LLAMA_CPP_VERSION:-3.21.1}"
cache="${SWITCHBOARD_CACHE:-$HOME/.cache/switchboard}/llama.cpp/node-llama-cpp-$NODE_LLAMA_CPP_VERSION"
src="$cache/src"
bin="$cache/bin/llama-server"
say() { echo "llama-server: $*" >&2; }

fetch_source() {
    [[ -f "$src/.complete" ]] && return
    command -v npm >/dev/null || { say "npm is needed to fetch node-llama-cpp (apt-get install npm)"; exit 1; }
    command -v git >/dev/null || { say "git is needed to unpack the source bundle"; exit 1; }
    say "fetching node-llama-cpp@$NODE_LLAMA_CPP_VERSION from the npm registry into $cache"
    rm -rf "$cache/pkg" "$src"
    mkdir -p "$cache/pkg"
    (cd "$cache/pkg" && npm pack --silent "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >/dev/null && tar xzf node-llama-cpp-*.tgz)
    local info="$cache/pkg/package/llama/llama.cpp.info.json" tag
    tag="$(sed -n 's/.*"tag": *"\([^"]*\)".*/\1/p' "$info")"
    say "unpacking llama.cpp $tag from llama/gitRelease.bundle"
    # the bundle holds one commit, the release itself, as HEAD
    git -c advice.detachedHead=false clone -q "$cache/pkg/package/llama/gitRelease.bundle" "$src"
    echo "$tag" >"$src/.tag"
    rm -rf "$cache/pkg"
    touch "$src/.complete"
}

build() {
    [[ -x "$bin" ]] && return
    command -v cmake >/dev/null || { say "cmake is needed (apt-get install cmake)"; exit 1; }
    local started=$SECONDS
    say "building llama-server $(cat "$src/.tag") CPU-only with $(nproc) jobs (about 10 minutes on 2 cores)"
    cmake -S "$src" -B "$cache/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_OPENSSL=OFF -DGGML_NATIVE=ON \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF \
        -DBUILD_SHARED_LIBS=OFF >"$cache/cmake-configure.log" 2>&1 \
        || { tail -n 30 "$cache/cmake-configure.log" >&2; exit 1; }
    cmake --build "$cache/build" --target llama-server -j"$(nproc)" >"$cache/cmake-build.log" 2>&1 \
        || { tail -n 30 "$cache/cmake-build.log" >&2; exit 1; }
    mkdir -p "$cache/bin"
    cp "$cache/build/bin/llama-server" "$bin.tmp" && mv "$bin.tmp" "$bin"
    echo "$((SECONDS - started))" >"$cache/build-seconds"
    say "built in $((SECONDS - started)) s: $bin"
}

# One build at a time per cache (CI and a developer's shell may race).
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
fetch_source
if [[ "${1:-}" == "--src" ]]; then
    echo "$src"
    exit 0
fi
started=$SECONDS
build
[[ $((SECONDS - started)) -lt 2 ]] && say "cached: $bin"
echo "$bin"
