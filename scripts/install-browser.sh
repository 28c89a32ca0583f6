#!/usr/bin/env bash
# Headless Chromium and its driver from Debian, for the review page's browser test
# (tests/test_review_page.py drives them with selenium; nothing is downloaded at test time).
set -euo pipefail
command -v chromium >/dev/null && command -v chromedriver >/dev/null && exit 0
[[ $(id -u) == 0 ]] || { echo "install-browser: run as root (apt-get install chromium chromium-driver)" >&2; exit 1; }
echo "install-browser: installing chromium and chromium-driver" >&2
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=300 \
    chromium chromium-driver
