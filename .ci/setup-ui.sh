#!/usr/bin/env bash
# Installs what the web UI's browser tests need: Debian's chromium and its chromedriver.
# Idempotent: installs only what is missing; runs as root (or via sudo) with no stdin.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core </dev/null
