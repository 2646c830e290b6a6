#!/usr/bin/env bash
# Builds every binary the local cluster runs, from Go modules, into a cache
# outside the repository keyed by component and version:
#   $TUTORIAL_E2E_CACHE/bin/<component>-<version>/
# A finished build leaves a `.done` marker and is never rebuilt.
#
# Usage: scripts/cluster/build.sh [component ...]
#   components: kubernetes etcd containerd runc coredns cni crictl pause (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.sh
source "$here/versions.sh"

log() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[build] error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null || die "go is not installed (Go 1.26 builds Kubernetes 1.34-1.37)"

src_root="$TUTORIAL_E2E_CACHE/src"
bin_root="$TUTORIAL_E2E_CACHE/bin"
mkdir -p "$src_root" "$bin_root"

# Runs a long command with its output in a log file, printing a heartbeat with
# the number of packages compiled so far, so CI shows progress, not silence.
run_logged() {
  local what=$1 logf=$2; shift 2
  local start=$SECONDS
  "$@" >"$logf" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 30 & wait $! || true
    kill -0 "$pid" 2>/dev/null &&
      log "$what: $((SECONDS - start))s, $(grep -c '' "$logf" || true) lines of build output so far"
  done
  if ! wait "$pid"; then
    tail -40 "$logf" >&2
    die "$what failed; full log: $logf"
  fi
  log "$what: done in $((SECONDS - start))s"
}

# A wrapper module per build: upstream go.mod files carry replace/exclude
# directives, which `go install pkg@version` refuses.
new_module() {
  local dir=$1 name=$2
  rm -rf "$dir"
  mkdir -p "$dir"
  printf 'module tutorial-e2e.invalid/%s\n\ngo 1.26.0\n' "$name" >"$dir/go.mod"
}

done_marker() { [[ -f "$1/.done" ]]; }

build_kubernetes() {
  local v=$K8S_VERSION out="$bin_root/kubernetes-$K8S_VERSION"
  done_marker "$out" && { log "kubernetes $v: cached in $out"; return; }
  local minor=${v#v1.}; minor=${minor%%.*}
  local dir="$src_root/kubernetes-$v"
  log "kubernetes $v: preparing wrapper module"
  new_module "$dir" kbuild
  (cd "$dir" && go mod download -json "k8s.io/kubernetes@$v" >dl.json)
  local gomod
  gomod=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' "$dir/dl.json")
  [[ -f "$gomod" ]] || die "could not download k8s.io/kubernetes@$v"
  # The main module's go and godebug lines are the ones that apply: mirror k/k's.
  local golines
  golines=$(grep -E '^(go|godebug) ' "$gomod")
  # k/k requires each staging module at v0.0.0 and replaces it with ./staging/...;
  # the published staging modules carry the tag v0.<minor>.<patch>.
  local staging_v="v0.${v#v1.}"
  {
    echo "module tutorial-e2e.invalid/kbuild"
    echo
    echo "$golines"
    echo
    echo "require k8s.io/kubernetes $v"
    echo
    echo "replace ("
    grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0$' "$gomod" | awk -v sv="$staging_v" '{print "\t" $1 " => " $1 " " sv}'
    echo ")"
  } >"$dir/go.mod"
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl kubeadm)
  {
    echo "//go:build tools"
    echo
    echo "package tools"
    echo
    echo "import ("
    for c in "${cmds[@]}"; do echo "	_ \"k8s.io/kubernetes/cmd/$c\""; done
    echo ")"
  } >"$dir/tools.go"
  run_logged "kubernetes $v: go mod tidy" "$dir/tidy.log" bash -c "cd '$dir' && go mod tidy"
  local date pkg ld=""
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X '$pkg.gitVersion=$v' -X '$pkg.gitMajor=1' -X '$pkg.gitMinor=$minor'"
    ld+=" -X '$pkg.gitCommit=0000000000000000000000000000000000000000' -X '$pkg.gitTreeState=clean'"
    ld+=" -X '$pkg.buildDate=$date'"
  done
  mkdir -p "$out.tmp"
  local targets=()
  for c in "${cmds[@]}"; do targets+=("k8s.io/kubernetes/cmd/$c"); done
  log "kubernetes $v: compiling ${cmds[*]} (a cold build takes 20-40 minutes on 2 cores)"
  run_logged "kubernetes $v: go build" "$dir/build.log" bash -c \
    "cd '$dir' && CGO_ENABLED=0 go build -v -trimpath -tags selinux,notest -ldflags \"all=-s -w $ld\" -o '$out.tmp/' ${targets[*]}"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
  "$out/kubectl" version --client | sed 's/^/  /'
}

build_etcd() {
  local v=$ETCD_VERSION out="$bin_root/etcd-$ETCD_VERSION" dir="$src_root/etcd-$ETCD_VERSION"
  done_marker "$out" && { log "etcd $v: cached"; return; }
  new_module "$dir" etcdbuild
  mkdir -p "$dir/etcd"
  # Exactly upstream's server/main.go.
  cat >"$dir/etcd/main.go" <<'EOF'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$dir" && go get "go.etcd.io/etcd/server/v3@$v" >/dev/null 2>&1)
  run_logged "etcd $v: go build" "$dir/build.log" bash -c \
    "cd '$dir' && go mod tidy && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o '$out.tmp/etcd' ./etcd"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
}

build_containerd() {
  local v=$CONTAINERD_VERSION out="$bin_root/containerd-$CONTAINERD_VERSION" dir="$src_root/containerd-$CONTAINERD_VERSION"
  done_marker "$out" && { log "containerd $v: cached"; return; }
  new_module "$dir" ctrdbuild
  local m=github.com/containerd/containerd/v2
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "%s/cmd/containerd"\n\t_ "%s/cmd/containerd-shim-runc-v2"\n\t_ "%s/cmd/ctr"\n)\n' $m $m $m >"$dir/tools.go"
  (cd "$dir" && go get "$m@$v" >/dev/null 2>&1)
  local ld="-s -w -X $m/version.Version=$v -X $m/version.Revision=module"
  run_logged "containerd $v: go build" "$dir/build.log" bash -c \
    "cd '$dir' && go mod tidy && CGO_ENABLED=0 go build -trimpath -tags 'no_aufs no_zfs no_btrfs no_devmapper' -ldflags '$ld' -o '$out.tmp/' $m/cmd/containerd $m/cmd/containerd-shim-runc-v2 $m/cmd/ctr"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
}

# `go install module@version` for modules whose go.mod allows it (no replace
# or exclude directives): name version cgo tags ldflags package.
go_install() {
  local name=$1 v=$2 cgo=$3 tags=$4 ld=$5 pkg=$6 out="$bin_root/$1-$2"
  done_marker "$out" && { log "$name $v: cached"; return; }
  run_logged "$name $v: go install" "$src_root/$name-$v.log" env GOBIN="$out.tmp" CGO_ENABLED="$cgo" \
    go install -trimpath -tags "$tags" -ldflags "-s -w $ld" "$pkg@$v"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
}

build_runc() {
  [[ -f /usr/include/seccomp.h ]] || die "runc needs libseccomp-dev (scripts/cluster/install-deps.sh installs it)"
  # runc needs cgo (nsenter) and the seccomp tag, or RuntimeDefault profiles break.
  go_install runc "$RUNC_VERSION" 1 seccomp "-X main.version=${RUNC_VERSION#v}" github.com/opencontainers/runc
}

build_coredns() { go_install coredns "$COREDNS_VERSION" 0 "" "" github.com/coredns/coredns; }

build_cni() {
  local v=$CNI_PLUGINS_VERSION out="$bin_root/cni-$CNI_PLUGINS_VERSION" dir="$src_root/cni-$CNI_PLUGINS_VERSION"
  # bridge for the local cluster; ptp for the kind nodes' kindnetd stand-in (scripts/kind/node-files);
  # firewall for minikube's `--cni=bridge` conflist (bridge, portmap, firewall).
  local plugins=(main/bridge main/loopback main/ptp ipam/host-local meta/portmap meta/firewall) have=1 p
  for p in "${plugins[@]}"; do [[ -x "$out/${p##*/}" ]] || have=0; done
  [[ $have -eq 1 ]] && done_marker "$out" && { log "cni plugins $v: cached"; return; }
  new_module "$dir" cnibuild
  local m=github.com/containernetworking/plugins targets=()
  for p in "${plugins[@]}"; do targets+=("$m/plugins/$p"); done
  (cd "$dir" && go get "$m@$v" >/dev/null 2>&1)
  printf '//go:build tools\n\npackage tools\n\nimport (\n' >"$dir/tools.go"
  for p in "${targets[@]}"; do printf '\t_ "%s"\n' "$p" >>"$dir/tools.go"; done
  printf ')\n' >>"$dir/tools.go"
  run_logged "cni plugins $v: go build" "$dir/build.log" bash -c \
    "cd '$dir' && go mod tidy && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o '$out.tmp/' ${targets[*]}"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
}

build_crictl() { go_install crictl "$CRICTL_VERSION" 0 "" "" sigs.k8s.io/cri-tools/cmd/crictl; }

# The pause container: upstream's pause.c from the Kubernetes module, built static.
build_pause() {
  local out="$bin_root/pause-$K8S_VERSION"
  done_marker "$out" && { log "pause: cached"; return; }
  local srcf="$(go env GOMODCACHE)/k8s.io/kubernetes@$K8S_VERSION/build/pause/linux/pause.c"
  [[ -f "$srcf" ]] || die "pause.c not found at $srcf: build kubernetes first"
  mkdir -p "$out.tmp"
  gcc -Os -Wall -Werror -static -DVERSION="v3.10-tutorial-e2e" -o "$out.tmp/pause" "$srcf"
  strip "$out.tmp/pause"
  rm -rf "$out"; mv "$out.tmp" "$out"; touch "$out/.done"
  log "pause: built"
}

all=(kubernetes etcd containerd runc coredns cni crictl pause)
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all[@]}")
start=$SECONDS
for t in "${targets[@]}"; do
  declare -F "build_$t" >/dev/null || die "unknown component '$t' (known: ${all[*]})"
  "build_$t"
done
log "all requested builds present after $((SECONDS - start))s (cache: $TUTORIAL_E2E_CACHE)"
