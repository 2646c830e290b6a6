#!/usr/bin/env bash
# The leave-no-trace check of the local cluster, as CI runs it:
#  1. a cluster:up killed halfway (after containerd and kubelet started), then
#     cluster:down: the host must be as before;
#  2. (with --full) a complete cluster:up, then cluster:down: the same.
# down.sh itself compares against the inventory up.sh took; this script also
# compares against its own snapshot, taken before anything ran.
set -euo pipefail
here=$(cd "$(dirname "$0")/../cluster" && pwd)
source "$here/lib.sh"

snap=$(mktemp)
bash "$here/inventory.sh" snapshot "$snap"

log "check 1: cluster:up killed halfway"
TUTORIAL_E2E_KEEP_ON_FAILURE=1 setsid bash "$here/up.sh" >"$snap.up.log" 2>&1 &
up_pid=$!
# Kill it during the last kubeadm init step: containerd, the kubelet, the
# control plane processes, the bridge and the packet filter rules exist by then,
# and the kubelet is bootstrapping.
deadline=$((SECONDS + 1800))
until pgrep -f "kubeadm init --skip-phases=" >/dev/null; do
  if ! kill -0 "$up_pid" 2>/dev/null; then cat "$snap.up.log"; die "cluster:up ended before kubeadm started"; fi
  ((SECONDS < deadline)) || die "cluster:up did not reach kubeadm in 30 min"
  sleep 1
done
sleep 5
kill -KILL -- "-$up_pid" 2>/dev/null || kill -KILL "$up_pid"
wait "$up_pid" 2>/dev/null || true
log "killed cluster:up (pid $up_pid) during kubeadm init"
bash "$here/down.sh"
bash "$here/inventory.sh" compare "$snap"

if [[ "${1:-}" == --full ]]; then
  log "check 2: full cluster:up, then cluster:down"
  bash "$here/up.sh"
  bash "$here/down.sh"
  bash "$here/inventory.sh" compare "$snap"
fi
rm -f "$snap" "$snap.up.log"
log "leave-no-trace: passed"
