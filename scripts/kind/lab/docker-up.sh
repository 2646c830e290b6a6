#!/usr/bin/env bash
# Starts an isolated dockerd (Debian docker.io) for the kind lab:
#   own --data-root/--exec-root/--pidfile and unix socket under $LAB (use DOCKER_HOST from env.sh),
#   --iptables=false --ip-forward=false --bridge=none, no TCP, cgroup parent $LAB_CGROUP_PARENT,
#   runc-dropcaps.sh as the default OCI runtime (so --privileged works without CAP_SYS_RESOURCE);
# then creates the "kind" network on $LAB_BRIDGE/$LAB_SUBNET and the $LAB_CHAIN mangle chain
# that drops all forwarding in or out of that bridge (pods and nodes reach nothing past the machine).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
mkdir -p "$LAB/docker" "$LAB/exec"
if [[ -f $LAB/dockerd.pid ]] && kill -0 "$(cat "$LAB/dockerd.pid")" 2>/dev/null; then echo "dockerd already running"; exit 0; fi
# dockerd 20.10 writes outside its roots: /etc/docker/key.json (its trust key; no flag moves it),
# /run/docker/plugins, and its managed containerd 1.6 makes /opt/containerd/{bin,lib} (the "opt"
# plugin's default path). Note which of them it will create, for docker-down.sh to remove.
[[ -e /opt/containerd ]] || echo /opt/containerd >>"$LAB/created-outside.txt"
[[ -e /etc/docker/key.json ]] || echo /etc/docker/key.json >>"$LAB/created-outside.txt"
[[ -e /run/docker ]] || echo /run/docker >>"$LAB/created-outside.txt"
# Isolation first, before any container can exist.
iptables -t mangle -N "$LAB_CHAIN" 2>/dev/null || iptables -t mangle -F "$LAB_CHAIN"
iptables -t mangle -A "$LAB_CHAIN" -i "$LAB_BRIDGE" ! -o "$LAB_BRIDGE" -j DROP
iptables -t mangle -A "$LAB_CHAIN" ! -i "$LAB_BRIDGE" -o "$LAB_BRIDGE" -j DROP
iptables -t mangle -C FORWARD -m comment --comment "kind lab: nodes stay on this machine" -j "$LAB_CHAIN" 2>/dev/null ||
  iptables -t mangle -I FORWARD -m comment --comment "kind lab: nodes stay on this machine" -j "$LAB_CHAIN"
setsid dockerd \
  --host "unix://$LAB_SOCK" --data-root "$LAB/docker" --exec-root "$LAB/exec" --pidfile "$LAB/dockerd.pid" \
  --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false --bridge=none \
  --default-address-pool "base=$LAB_POOL,size=24" --cgroup-parent "$LAB_CGROUP_PARENT" \
  --exec-opt native.cgroupdriver=cgroupfs --storage-driver overlay2 \
  --add-runtime "lab-runc=$here/runc-dropcaps.sh" --default-runtime lab-runc \
  --userland-proxy=true --log-level info >"$LAB/dockerd.log" 2>&1 </dev/null &
for _ in $(seq 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
docker version --format 'dockerd {{.Server.Version}} up' 
docker network inspect kind >/dev/null 2>&1 ||
  docker network create -d bridge --subnet "$LAB_SUBNET" -o com.docker.network.bridge.name="$LAB_BRIDGE" \
    -o com.docker.network.bridge.enable_ip_masquerade=false -o com.docker.network.driver.mtu=1400 kind
