#!/usr/bin/env bash
# Finds Chromium for the end-to-end tests (Playwright cannot download browsers here).
# Order: CHROMIUM_PATH, /usr/bin/chromium; when missing and we are root on Debian, install it.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found: installing Debian's chromium package..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  [ -x /usr/bin/chromium ] && exit 0
fi
echo "Chromium is missing: install it (as root: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary, then run npm test again." >&2
exit 1
