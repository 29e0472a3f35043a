#!/usr/bin/env bash
# Installs what llama.cpp's own server tests need (module llama-upstream-tests, run by ./mvnw verify):
# python3 with pytest and requests, and the tools tools/llama-server/build.sh uses (npm, git, cmake,
# a C++ compiler). Idempotent: installs only what is missing; apt-get update at most once.
set -euo pipefail

missing=()
have_python_modules() {
    local python
    for python in "$(command -v python3 || true)" /usr/bin/python3; do
        [[ -n "$python" && -x "$python" ]] && "$python" -c 'import pytest, requests' 2>/dev/null && return 0
    done
    return 1
}
have_python_modules || missing+=(python3 python3-pytest python3-requests)
command -v npm >/dev/null || missing+=(npm)
command -v git >/dev/null || missing+=(git)
command -v cmake >/dev/null || missing+=(cmake)
command -v c++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
echo "setup-llamatests: installing ${missing[*]}" >&2
sudo_cmd=()
[[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
