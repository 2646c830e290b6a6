#!/usr/bin/env bash
# Removes the `local` cluster and everything it changed on the host, also after
# a cluster:up that was killed halfway, then checks the host against the
# inventory up.sh took before it changed anything.
#
# Each step tolerates what is already gone, so down.sh can run any number of
# times. It ends only processes up.sh started (by the PIDs it recorded, and the
# shims of the containerd it started).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

t0=$SECONDS
[[ $(id -u) -eq 0 ]] || die "removing the local cluster needs root"
# The project's kind engine (scripts/kind/engine.sh) with any kind cluster on it: the kind provider
# removes what it started itself, but a run killed halfway leaves them to cluster:down, like the rest.
if [[ -f "$here/../kind/engine.sh" ]]; then bash "$here/../kind/engine.sh" down || log "kind engine: engine.sh down failed (see above)"; fi
if [[ ! -d "$STATE" && ! -d "$RUN_DIR" ]] && ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
  log "nothing to remove: no local cluster on this host"
  exit 0
fi
if [[ ! -f "$BEFORE" ]]; then
  # up.sh takes the inventory before it changes anything else: without it,
  # up.sh was stopped before it changed the host.
  rm -rf "$RUN_DIR" "$STATE"
  rmdir "$TUTORIAL_E2E_STATE" 2>/dev/null
  log "removed $STATE; up.sh had not changed the host yet (no inventory from before it)"
  exit 0
fi
before=$(mktemp)
cp "$BEFORE" "$before"
was() { grep -qxF "$1" "$before"; }

# 1. kubelet first, so nothing restarts the pods we remove; then the control
#    plane (host processes, together: the API server alone takes seconds to
#    drain), then etcd, whose clients they are.
stop_pid kubelet
for c in "${CONTROL_PLANE[@]}"; do [[ $c == etcd ]] || stop_pid "$c" & done
wait
stop_pid etcd

# 2. Pods through the CRI, so the CNI plugin releases their network (netns,
#    veth, IP). Then containerd, then any shim it left.
if [[ -S "$CTRD_SOCK" ]]; then
  pods=$(crictl_ pods -q 2>/dev/null)
  if [[ -n "$pods" ]]; then
    log "removing $(wc -w <<<"$pods") pod sandboxes"
    # shellcheck disable=SC2086
    crictl_ stopp $pods >/dev/null 2>&1
    # shellcheck disable=SC2086
    crictl_ rmp -f $pods >/dev/null 2>&1
  fi
fi
stop_pid containerd
# Shims are children of nobody once containerd is gone; their PIDs are recorded
# in the task folders of our containerd's state.
for f in $(find "$CTRD_STATE" -name 'shim.pid' -o -name 'init.pid' 2>/dev/null); do
  pid=$(cat "$f" 2>/dev/null)
  if alive "$pid"; then kill -KILL "$pid" 2>/dev/null; fi
done
# A shim whose task folder is gone still names our socket in its arguments.
for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $CTRD_SOCK" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
if [[ -f "$STATE/registry.started" ]]; then
  bash "$here/../images/registry.sh" stop >/dev/null 2>&1
  rm -rf "$TUTORIAL_E2E_STATE/registry"
fi

# 3. Mounts under our folders and kubelet's, deepest first.
unmount_under() {
  local prefix=$1 m
  awk '{print $5}' /proc/self/mountinfo | grep -E "^$prefix(/|$)" | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done
}
for p in /var/lib/kubelet "$STATE" "$RUN_DIR"; do unmount_under "$p"; done
was "mount /run/netns" || unmount_under /run/netns

# 4. Network namespaces, interfaces and routes the cluster made.
for d in /run/netns /var/run/netns; do
  for ns in "$d"/cni-*; do
    [[ -e "$ns" ]] || continue
    was "netns $(basename "$ns")" && continue
    umount "$ns" 2>/dev/null; rm -f "$ns"
  done
done
for l in $(ip -o link show master "$POD_BRIDGE" 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}'); do
  ip link delete "$l" 2>/dev/null
done
for l in "$POD_BRIDGE" "$NODE_BRIDGE"; do ip link delete "$l" 2>/dev/null; done
ip route del "$SERVICE_CIDR" 2>/dev/null

# 5. Packet filter: kube-proxy's chains, the CNI plugins' and ours.
for ipt in iptables ip6tables; do
  for table in filter nat mangle raw; do
    rules=$($ipt-save -t "$table" 2>/dev/null) || continue
    # Rules in built-in chains that jump to a cluster chain, then the chains.
    grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j (KUBE-|CNI-|TTE-)' <<<"$rules" |
      sed 's/^-A /-D /' | while read -r rule; do eval "$ipt -w -t $table $rule" 2>/dev/null; done
    chains=$(grep -oE '^:(KUBE-|CNI-|TTE-)[^ ]+' <<<"$rules" | tr -d ':')
    for c in $chains; do $ipt -w -t "$table" -F "$c" 2>/dev/null; done
    for c in $chains; do $ipt -w -t "$table" -X "$c" 2>/dev/null; done
  done
done
# Tables that did not exist before (iptables-nft creates them on first use).
if command -v nft >/dev/null; then
  nft list tables 2>/dev/null | while read -r _ family name; do
    was "nft table $family $name" || nft delete table "$family" "$name" 2>/dev/null
  done
fi

# 6. cgroups the kubelet and runc made, deepest first (only kubepods trees and
#    those that did not exist before; the machine's own are left alone).
for h in /sys/fs/cgroup/*/; do
  hn=$(basename "$h")
  for top in "$h"*/; do
    [[ -d "$top" ]] || continue
    was "cgroup $hn/$(basename "$top")" && continue
    find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
done

# 7. Kernel settings back to their values before up.
if [[ -f "$STATE/sysctl.before" ]]; then
  while IFS='=' read -r k v; do sysctl -qw "$k=$v" 2>/dev/null; done <"$STATE/sysctl.before"
fi

# 8. Folders: ours, and those of kubeadm/kubelet/CNI that did not exist before.
for d in /etc/kubernetes /var/lib/kubelet /var/lib/etcd /var/lib/cni /etc/cni /opt/cni \
  /opt/containerd /var/log/pods /var/log/containers /run/netns /var/run/nri /run/containerd; do
  [[ -e "$d" ]] || continue
  was "dir $d" && continue
  rm -rf "$d"
done
rm -rf "$RUN_DIR" "$STATE"
rm -f "$KUBECONFIG_OUT"
was "dir $TUTORIAL_E2E_STATE" || rmdir "$TUTORIAL_E2E_STATE" 2>/dev/null

log "down in $((SECONDS - t0))s"
bash "$here/inventory.sh" compare "$before"
code=$?
rm -f "$before"
exit $code
