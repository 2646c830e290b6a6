#!/usr/bin/env bash
# Figures for the kind path on this machine (root, no other cluster running):
#   the engine (install, up, down), the node image (cold: its debootstrap root
#   and image removed first, with --cold; else as cached), `kind create cluster`
#   and `kind delete cluster` with one node and with three, RUNS times each,
#   from the cached node image and with the config the kind provider writes;
#   then the local provider's cluster:up / cluster:down, RUNS times, to compare.
# Prints a Markdown table (median, min, max seconds) on stdout; progress on stderr.
#
# Usage: scripts/kind/measure.sh [--cold]      (RUNS=3 by default; K8S_VERSION from versions.sh)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR/../cluster source=versions.sh
source "$here/../cluster/versions.sh"
RUNS=${RUNS:-3}
cold=0; [[ ${1:-} == --cold ]] && cold=1
log() { printf '[measure %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
work=$(mktemp -d /tmp/tte-measure.XXXX)
# Whatever happens, nothing of the measurement stays: its cluster, the engine, the local cluster.
trap 'bash "$here/engine.sh" down >/dev/null 2>&1; bash "$root/scripts/cluster/down.sh" >/dev/null 2>&1; rm -rf "$work"' EXIT
declare -A samples=()
# Runs "$@" quietly (its output to $work/last.log), adds its seconds to samples[$label].
timed() {
  local label=$1 s e; shift
  s=$(date +%s%N)
  "$@" >"$work/last.log" 2>&1 || { log "$label failed:"; tail -20 "$work/last.log" >&2; exit 1; }
  e=$(date +%s%N)
  samples[$label]+="$(( (e - s) / 1000000 )) "
}
stats() { # ms values -> "median min max" in seconds
  tr ' ' '\n' | awk 'NF' | sort -n | awk '{v[NR]=$1} END {printf "%.1f %.1f %.1f", v[int((NR+1)/2)]/1000, v[1]/1000, v[NR]/1000}'
}

KIND=$(bash "$here/install.sh")
export KUBECONFIG=$work/kubeconfig
kubectl=$TUTORIAL_E2E_CACHE/bin/kubernetes-$K8S_VERSION/kubectl

log "engine: install, up"
timed "engine.sh install (cached)" bash "$here/engine.sh" install
bash "$here/engine.sh" status >/dev/null 2>&1 && { log "the engine is already up: measure on a machine without it"; exit 1; }
timed "engine.sh up" bash "$here/engine.sh" up
eval "$(bash "$here/engine.sh" env)"
if [[ $cold -eq 1 ]]; then
  log "node image, cold: removing its root cache and image first"
  docker images --format '{{.Repository}}:{{.Tag}}' | grep "^tutorial-e2e/kind-node:$K8S_VERSION-" | xargs -r docker rmi >/dev/null
  rm -rf "$TUTORIAL_E2E_CACHE"/kind/rootfs-bookworm-*
  timed "node-image.sh, cold (debootstrap included)" bash "$here/node-image.sh"
fi
timed "node-image.sh, cached" bash "$here/node-image.sh"
image=$(bash "$here/node-image.sh" 2>/dev/null)

# The config the provider writes (kindConfig), for one and for three nodes.
for n in 1 3; do (cd "$root" && npx tsx scripts/kind/print-config.ts "$n") >"$work/kind-$n.yaml"; done

for n in 1 3; do
  for i in $(seq "$RUNS"); do
    log "kind create cluster, $n node(s), run $i/$RUNS"
    timed "kind create cluster, $n node(s) (--wait 120s: control plane Ready)" \
      "$KIND" create cluster --name tte-measure --image "$image" --config "$work/kind-$n.yaml" --kubeconfig "$KUBECONFIG" --wait 120s
    timed "then every node Ready, $n node(s)" "$kubectl" wait --for=condition=Ready nodes --all --timeout=180s
    timed "kind delete cluster, $n node(s)" "$KIND" delete cluster --name tte-measure --kubeconfig "$KUBECONFIG"
  done
done
timed "engine.sh down" bash "$here/engine.sh" down
unset DOCKER_HOST

for i in $(seq "$RUNS"); do
  log "local provider: cluster:up, cluster:down, run $i/$RUNS"
  timed "local: npm run cluster:up" bash "$root/scripts/cluster/up.sh"
  timed "local: npm run cluster:down" bash "$root/scripts/cluster/down.sh"
done

printf '| step (Kubernetes %s, %s runs) | median s | min s | max s |\n|---|---|---|---|\n' "$K8S_VERSION" "$RUNS"
for label in "engine.sh install (cached)" "engine.sh up" "node-image.sh, cold (debootstrap included)" "node-image.sh, cached" \
  "kind create cluster, 1 node(s) (--wait 120s: control plane Ready)" "then every node Ready, 1 node(s)" "kind delete cluster, 1 node(s)" \
  "kind create cluster, 3 node(s) (--wait 120s: control plane Ready)" "then every node Ready, 3 node(s)" "kind delete cluster, 3 node(s)" \
  "engine.sh down" "local: npm run cluster:up" "local: npm run cluster:down"; do
  [[ -n ${samples[$label]:-} ]] || continue
  read -r med min max <<<"$(stats <<<"${samples[$label]}")"
  printf '| %s | %s | %s | %s |\n' "$label" "$med" "$min" "$max"
done
