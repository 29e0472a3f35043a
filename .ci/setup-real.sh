#!/usr/bin/env bash
# The real-engine tier builds llama-server from source (tools/llama-server/build.sh, run by Maven in
# real-engine-tests): it needs cmake, a C++ compiler, git and npm. Installs, from Debian's packages,
# only those that are missing; idempotent, non-interactive.
set -euo pipefail
missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v git >/dev/null || missing+=(git)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-real: cmake, g++, make, git and npm are present"
    exit 0
fi
echo "setup-real: installing ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq </dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
