#!/usr/bin/env bash
# The host state a cluster can change, as sorted text lines, so that "down
# leaves no trace" is a diff, not a belief.
#
#   inventory.sh snapshot FILE   write the current inventory to FILE
#   inventory.sh compare FILE    compare the current inventory with FILE;
#                                prints the differences and exits 1 if any
#   inventory.sh print           print the current inventory
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

# Folders that kubeadm, kubelet, containerd or the CNI plugins may create.
CANDIDATE_DIRS=(/etc/kubernetes /var/lib/kubelet /var/lib/etcd /var/lib/cni /etc/cni
  /opt/cni /opt/containerd /var/log/pods /var/log/containers /run/netns /var/run/nri
  /run/containerd /var/lib/containerd /run/tutorial-e2e "$TUTORIAL_E2E_STATE")

# Process names the cluster runs, on the host or in its pods.
PROC_RE='^(containerd|containerd-shim.*|kubelet|kube-apiserver|kube-controller|kube-scheduler|kube-proxy|etcd|coredns|docker-registry|pause|kubelet-supervi.*)$'

inventory() {
  local name s h d t ipt
  # Each probe may find nothing; that is a result, not an error.
  set +e +o pipefail
  # processes: by name, and anything still in a cgroup of the cluster's
  # (not zombies: a daemon just stopped stays one until this machine's init reaps it)
  ps -eo stat=,comm= | awk '$1 !~ /^Z/ {print $2}' | grep -E "$PROC_RE" | sort | uniq -c | awk '{print "process " $2 " x" $1}' || true
  { grep -l kubepods /proc/[0-9]*/cgroup 2>/dev/null || true; } | wc -l | awk '$1 > 0 {print "process-in-kubepods x" $1}'
  # mounts (mount points only: IDs and options change by themselves)
  awk '{print "mount " $5}' /proc/self/mountinfo | sort -u
  # network namespaces, interfaces, addresses, routes
  for d in /run/netns /var/run/netns; do
    [[ -d $d ]] && find "$d" -mindepth 1 -maxdepth 1 -printf "netns %f\n"
  done | sort -u
  ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print "link " $2}' | sort
  ip -o addr show | awk '{print "addr " $2 " " $4}' | sort
  for t in -4 -6; do ip "$t" route show table all | grep -v '^local fe80\|^fe80\|^multicast\|^ff00' | sed "s/^/route$t /"; done | sort
  # packet filter rules, without counters
  for ipt in iptables ip6tables iptables-legacy ip6tables-legacy; do
    command -v "$ipt-save" >/dev/null || continue
    "$ipt-save" 2>/dev/null | grep -v '^#' | sed -e 's/\[[0-9]*:[0-9]*\]//' -e "s/^/$ipt /" | sort
  done
  if command -v nft >/dev/null; then nft list tables 2>/dev/null | sed 's/^/nft /' | sort; fi
  # cgroups: the first level of every v1 hierarchy, and the kubepods trees
  for h in /sys/fs/cgroup/*/; do
    find "$h" -mindepth 1 -maxdepth 1 -type d -printf "cgroup $(basename "$h")/%f\n" 2>/dev/null
  done | sort
  # which controllers are bound to a v1 hierarchy (mounted or not): a node's systemd in the host's
  # cgroup namespace once made hierarchies of hugetlb, net_cls/net_prio and perf_event that no
  # mount showed and that outlived it (scripts/kind/runc-dropcaps.sh)
  awk 'NR > 1 && $2 != 0 {print "cgroup-v1-controller " $1}' /proc/cgroups | sort
  # kernel settings that kubelet and kube-proxy change
  for s in "${SYSCTLS[@]}"; do
    printf 'sysctl %s=%s\n' "$s" "$(sysctl -n "$s" 2>/dev/null || echo absent)"
  done
  for d in "${CANDIDATE_DIRS[@]}"; do
    [[ -e "$d" ]] && echo "dir $d"
  done
  return 0
}

case "${1:-}" in
  snapshot)
    [[ -n "${2:-}" ]] || die "usage: inventory.sh snapshot FILE"
    inventory >"$2"
    ;;
  compare)
    [[ -f "${2:-}" ]] || die "usage: inventory.sh compare FILE (FILE from 'inventory.sh snapshot')"
    now=$(mktemp)
    inventory >"$now"
    if diff -u --label before --label after "$2" "$now" >"$now.diff"; then
      echo "[inventory] host state is as before ($(wc -l <"$2") items compared)"
      rm -f "$now" "$now.diff"
    else
      echo "[inventory] host state differs from before (- before, + after):"
      grep -E '^[-+][^-+]' "$now.diff"
      rm -f "$now" "$now.diff"
      exit 1
    fi
    ;;
  print) inventory ;;
  *) die "usage: inventory.sh snapshot FILE | compare FILE | print" ;;
esac
