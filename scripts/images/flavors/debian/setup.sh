#!/bin/sh
# Pods cannot reach a package mirror: the stand-in has no apt sources, so the
# tutorial's `apt update && apt install -y curl` succeeds without network
# (curl is preinstalled; apt reports it is already the newest version).
set -eu
rm -f /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
cat >/etc/apt/sources.list <<'LIST'
# tutorial-e2e local stand-in: no package sources (pods have no mirror to reach).
# curl, ca-certificates and iproute2 are preinstalled.
LIST
