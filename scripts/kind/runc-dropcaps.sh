#!/usr/bin/env bash
# OCI runtime wrapper for the kind engine's dockerd (engine.sh: --add-runtime/--default-runtime):
# removes from the OCI spec every capability this host's bounding set lacks
# (here CAP_SYS_RESOURCE), so `docker run --privileged` does not fail with
# "unable to apply caps: operation not permitted", then execs the real runc.
#   create/run: <bundle>/config.json (--bundle/-b, default: the current dir)
#   exec:       the --process/-p JSON
# It also gives every container a cgroup namespace of its own (create/run): dockerd 20.10 on
# cgroup v1 runs privileged containers in the host's, whatever --default-cgroupns-mode says, and
# minikube asks for none (kind asks for a private one). In the host's, a minikube node's systemd
# and kubelet made v1 hierarchies of the controllers this host keeps in its unified hierarchy
# (hugetlb, net_cls/net_prio, perf_event) with /kubepods in them, which outlived the node and then
# broke every kind node's kubelet ("missing paths: /sys/fs/cgroup/hugetlb/kubelet.slice").
# Real runtime: $TKE_RUNC (engine.sh sets the engine's own Debian runc), else runc on PATH.
# Needs jq and capsh (libcap2-bin) on the host.
set -euo pipefail
real=${TKE_RUNC:-$(command -v runc || echo /usr/sbin/runc)}
allowed() { # JSON array of "CAP_X" names in the bounding set
  capsh --decode="$(awk '/^CapBnd/{print $2}' /proc/self/status)" | sed 's/^[^=]*=//' | tr ',' '\n' |
    awk 'NF{print toupper($0)}' | jq -R . | jq -cs .
}
filter() { # file jq-path-prefix
  local f=$1 p=$2 a tmp
  [[ -f $f ]] || return 0
  a=$(allowed)
  tmp=$(mktemp "$f.XXXX")
  jq --argjson ok "$a" "if $p.capabilities then $p.capabilities |= with_entries(.value |= ((. // []) | map(select(. as \$c | \$ok | index(\$c))))) else . end" "$f" >"$tmp"
  cat "$tmp" >"$f"; rm -f "$tmp"
}
cmd='' bundle='' process='' prev=''
for a in "$@"; do
  case $prev in
    --bundle|-b) bundle=$a ;;
    --process|-p) process=$a ;;
  esac
  case $a in
    --bundle=*) bundle=${a#*=} ;;
    --process=*) process=${a#*=} ;;
    create|run|exec) [[ -z $cmd ]] && cmd=$a ;;
  esac
  prev=$a
done
own_cgroupns() { # config.json: a cgroup namespace unless the spec has one
  local f=$1 tmp
  [[ -f $f ]] || return 0
  tmp=$(mktemp "$f.XXXX")
  jq 'if .linux.namespaces and (.linux.namespaces | any(.type == "cgroup") | not) then .linux.namespaces += [{"type": "cgroup"}] else . end' "$f" >"$tmp"
  cat "$tmp" >"$f"; rm -f "$tmp"
}
case $cmd in
  create|run) filter "${bundle:-.}/config.json" .process; own_cgroupns "${bundle:-.}/config.json" ;;
  exec) [[ -n $process ]] && filter "$process" "" ;;
esac
exec "$real" "$@"
