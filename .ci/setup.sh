#!/usr/bin/env bash
# Installs, from Debian's packages, what `./mvnw verify` needs beyond a JDK and that a fresh machine
# may lack: the tools that build the real llama-server (cmake, g++, make, git, npm: real-engine-tests),
# python3 with pytest and requests (llama.cpp's own server tests: llama-upstream-tests), and chromium
# with its chromedriver (the web UI's browser tests). Idempotent: installs only what is missing, with
# one `apt-get update`; runs as root (or through sudo) with no stdin.
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("${@:2}"); }
need cmake cmake
need g++ g++
need make make
need git git
need npm npm
need chromium chromium
need chromedriver chromium-driver
python_ok=false
for python in "$(command -v python3 || true)" /usr/bin/python3; do
    if [[ -n "$python" && -x "$python" ]] && "$python" -c 'import pytest, requests' 2>/dev/null; then
        python_ok=true
    fi
done
$python_ok || missing+=(python3 python3-pytest python3-requests)

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup: every test prerequisite is present"
    exit 0
fi
[[ " ${missing[*]} " == *" chromium "* ]] && missing+=(fonts-dejavu-core)
echo "setup: installing ${missing[*]}"
sudo=()
[[ "$(id -u)" -eq 0 ]] || sudo=(sudo -n)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 update -qq </dev/null
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" </dev/null
