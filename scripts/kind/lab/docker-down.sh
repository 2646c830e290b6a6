#!/usr/bin/env bash
# Stops the lab's dockerd (by the PID in its pidfile) after removing its containers and the "kind"
# network, then removes its mounts, cgroups, bridge and iptables chain. Keeps $LAB's files unless --purge.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
if [[ -S $LAB_SOCK ]] && docker version >/dev/null 2>&1; then
  ids=$(docker ps -aq); [[ -n $ids ]] && docker rm -f $ids
  docker network rm kind 2>/dev/null
  docker volume prune -f >/dev/null 2>&1
fi
if [[ -f $LAB/dockerd.pid ]]; then
  pid=$(cat "$LAB/dockerd.pid")
  kill "$pid" 2>/dev/null
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { echo "dockerd $pid still running: SIGKILL"; kill -9 "$pid"; }
fi
# Mounts under the lab (deepest first).
grep -oE " $LAB[^ ]*" /proc/self/mountinfo | awk '{print length, $1}' | sort -rn | cut -d' ' -f2 | while read -r m; do umount "$m" || umount -l "$m"; done
ip link del "$LAB_BRIDGE" 2>/dev/null
while iptables -t mangle -D FORWARD -m comment --comment "kind lab: nodes stay on this machine" -j "$LAB_CHAIN" 2>/dev/null; do :; done
iptables -t mangle -F "$LAB_CHAIN" 2>/dev/null; iptables -t mangle -X "$LAB_CHAIN" 2>/dev/null
for h in /sys/fs/cgroup/*/; do
  d="$h${LAB_CGROUP_PARENT#/}"; [[ -d $d ]] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
done
# What dockerd created outside the lab (listed by docker-up.sh).
if [[ -f $LAB/created-outside.txt ]]; then
  sort -u "$LAB/created-outside.txt" | while read -r f; do
    case $f in /etc/docker/key.json|/run/docker) rm -rf --one-file-system "$f" ;;
      /opt/containerd) find /opt/containerd -depth -type d -empty -delete 2>/dev/null ;; esac
  done
  rm -f "$LAB/created-outside.txt"
fi
if [[ ${1:-} == --purge ]]; then rm -rf --one-file-system "$LAB"; fi
echo "docker-down done"
