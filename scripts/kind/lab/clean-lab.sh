#!/usr/bin/env bash
# Removes everything the lab started: the kind cluster(s), then dockerd and its state (docker-down.sh --purge).
# Usage: clean-lab.sh [--keep-files]   (keeps $LAB's files, e.g. the node rootfs, when --keep-files)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/env.sh"
source "$here/../../cluster/versions.sh"
KIND=$TUTORIAL_E2E_CACHE/bin/kind-$KIND_VERSION/kind
if [[ -S $LAB_SOCK ]] && docker version >/dev/null 2>&1; then
  for c in $("$KIND" get clusters 2>/dev/null); do "$KIND" delete cluster --name "$c" --kubeconfig "$LAB/kind/kubeconfig"; done
fi
if [[ ${1:-} == --keep-files ]]; then bash "$here/docker-down.sh"; else bash "$here/docker-down.sh" --purge; fi
