#!/usr/bin/env bash
# Runs the kubelet the way kubeadm expects systemd to: it waits for the files
# kubeadm writes, starts kubelet with kubeadm's flags, and restarts it when it
# exits (kubeadm restarts the kubelet after TLS bootstrap, and kubelet exits on
# some config changes). These machines have no systemd.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

child=""
trap '[[ -n "$child" ]] && kill -TERM "$child" 2>/dev/null; wait; exit 0' TERM INT

while [[ ! -f /var/lib/kubelet/config.yaml || ! -f /var/lib/kubelet/kubeadm-flags.env ]]; do
  sleep 0.2
done
while true; do
  KUBELET_KUBEADM_ARGS=""
  # shellcheck disable=SC1091
  source /var/lib/kubelet/kubeadm-flags.env
  # shellcheck disable=SC2086
  kubelet \
    --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf \
    --kubeconfig=/etc/kubernetes/kubelet.conf \
    --config=/var/lib/kubelet/config.yaml \
    $KUBELET_KUBEADM_ARGS &
  child=$!
  wait "$child"
  echo "[supervise] kubelet exited with $?; restarting in 1 s"
  sleep 1
done
