#!/usr/bin/env bash
# Installs, from Debian packages, what scripts/images/ needs:
#   debootstrap + debian-archive-keyring  base root filesystems
#   umoci                                 OCI image layouts without a daemon
#   skopeo                                pushes to the local registry
#   docker-registry                       the local registry (distribution 2.8)
#   curl, jq                              registry API checks
#   runc, iproute2                        only for smoke-test.sh (runs an image once)
# Idempotent: installs only what is missing.
#
# Usage: scripts/images/install-deps.sh [--with-smoke]
set -euo pipefail

pkgs=(debootstrap debian-archive-keyring umoci skopeo docker-registry curl jq ca-certificates tar gzip coreutils util-linux)
[[ ${1:-} == --with-smoke ]] && pkgs+=(runc iproute2)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "[install-deps] all present: ${pkgs[*]}"
  exit 0
fi
echo "[install-deps] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"

# On a systemd host the package starts its own registry service on :5000 (all
# interfaces); ours is started by registry.sh on 127.0.0.1 only. Disable the
# packaged service, but only when this run is what installed it.
if [[ " ${missing[*]} " == *" docker-registry "* ]] && [[ -d /run/systemd/system ]]; then
  systemctl disable --now docker-registry.service 2>/dev/null || true
fi
echo "[install-deps] done"
