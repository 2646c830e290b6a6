#!/usr/bin/env bash
# Headless Chromium, Debian's package, for the test that opens the HTML report
# in a real browser (helpers/suite/html-report.browser.test.ts calls this
# first). Does nothing when `chromium` is already on the PATH; otherwise
# installs it with apt (needs root), or says why it could not.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "[chromium] error: chromium is not installed, and installing it needs root: run 'sudo apt-get install --no-install-recommends chromium' (or 'sudo bash scripts/install-chromium.sh')" >&2
  exit 1
fi
echo "[chromium] installing Debian's chromium (about 400 MB installed, once per machine)"
export DEBIAN_FRONTEND=noninteractive
# No sandbox helper: the test runs it with --no-sandbox, as root.
if ! apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
  # A machine whose package lists were never fetched (or are stale) finds no such package.
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
command -v chromium >/dev/null || { echo "[chromium] error: apt-get installed chromium, but no 'chromium' command is on the PATH" >&2; exit 1; }
echo "[chromium] installed: $(chromium --version 2>/dev/null || echo chromium)"
