#!/usr/bin/env bash
# Installs the Debian packages the local cluster and its image builds need.
# Idempotent: does nothing when everything is present.
set -euo pipefail

# package -> a command or file it provides (to skip apt when already installed)
declare -A provides=(
  [conntrack]=/usr/sbin/conntrack
  [iptables]=/usr/sbin/iptables
  [iproute2]=/usr/sbin/ip
  [socat]=/usr/bin/socat
  [docker-registry]=/usr/bin/docker-registry
  [skopeo]=/usr/bin/skopeo
  [umoci]=/usr/bin/umoci
  [debootstrap]=/usr/sbin/debootstrap
  [libseccomp-dev]=/usr/include/seccomp.h
  [gcc]=/usr/bin/gcc
  [libc6-dev]=/usr/include/stdio.h
  [kmod]=/usr/bin/kmod
  [psmisc]=/usr/bin/killall
  [curl]=/usr/bin/curl
  [nftables]=/usr/sbin/nft
  [python3-yaml]=/usr/lib/python3/dist-packages/yaml/__init__.py
)
missing=()
for p in "${!provides[@]}"; do
  [[ -e "${provides[$p]}" ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "[deps] all Debian packages present"
  exit 0
fi
[[ $(id -u) -eq 0 ]] || { echo "[deps] error: installing ${missing[*]} needs root" >&2; exit 1; }
echo "[deps] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "[deps] done"
