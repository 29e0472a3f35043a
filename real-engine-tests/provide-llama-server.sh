#!/usr/bin/env bash
# Provides the real llama-server to the real-engine tier: tools/llama-server/build.sh builds it on the
# first run and finds it cached afterwards. Writes the binary's and the source tree's paths to $1 (a
# properties file the tests read) and says, for the build log, how long the build took.
set -euo pipefail
out="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
started=$SECONDS
binary="$("$root/tools/llama-server/build.sh")"
source="$("$root/tools/llama-server/build.sh" --src)"
cache="$(dirname "$(dirname "$binary")")"
mkdir -p "$(dirname "$out")"
printf 'binary=%s\nsource=%s\n' "$binary" "$source" >"$out"
echo "real-engine tier: llama-server $(cat "$source/.tag") at $binary"
echo "real-engine tier: llama-server build time: cold $(cat "$cache/build-seconds" 2>/dev/null || echo '?') s (when the cache was filled), this run $((SECONDS - started)) s"
