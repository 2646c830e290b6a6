#!/usr/bin/env bash
# "Closed by default": every port the local cluster opens on the host must bind
# loopback or the node address, never a wildcard or the machine's outside
# interface.
#
#   listeners.sh snapshot FILE   record the TCP and UDP sockets listening now
#                                (before cluster:up)
#   listeners.sh check FILE      list the sockets listening now that FILE does
#                                not have (the ones cluster:up opened) and the
#                                NodePort rules; exit 1, naming each, if any
#                                answers on another address
#   listeners.sh print           the sockets listening now, as recorded
#
# A socket is "proto address:port processes" (process names, not PIDs, so a
# restarted process is the same socket). Allowed addresses: 127.0.0.0/8, ::1
# and the node address ($NODE_IP, 10.217.0.1 by default) exactly. A wildcard
# (0.0.0.0, ::, *) fails: it answers on every address, the outside one too
# (unless bound to the device lo).
# Not allowed either, on purpose: the rest of 10.217.0.0/16 (no host address
# there but the node's) and the pod range 10.218.0.0/16. Pods' own sockets
# (CoreDNS's) live in their network namespaces, which `ss` on the host does not
# see, so the only pod-range address a host socket could bind is the pod
# bridge's gateway (10.218.0.1), which every pod reaches and no component needs.
# `ss -p` names processes only when run as root (CI is); otherwise "-".
#
# NodePorts have no socket (kube-proxy's iptables rules answer them), so check
# also reads the nat table (root only): each rule entering KUBE-NODEPORTS must
# match the node address (-d $NODE_IP/32), not every local address (what
# "--dst-type LOCAL" means, with nodePortAddresses unset). IPv4 only: services
# are IPv4 only here, so the IPv6 KUBE-NODEPORTS chain stays empty.
set -euo pipefail
here=$(cd "$(dirname "$0")/../cluster" && pwd)
source "$here/lib.sh"

# One line per listening socket, sorted: "tcp 10.217.0.1:6443 kube-apiserver".
listeners() {
  ss -H -l -n -t -u -p | awk '
    {
      procs = ""; p = (NF >= 7) ? $7 : ""
      while (match(p, /\("[^"]*"/)) {
        n = substr(p, RSTART + 2, RLENGTH - 3); p = substr(p, RSTART + RLENGTH)
        if (index("," procs ",", "," n ",") == 0) procs = procs (procs == "" ? "" : ",") n
      }
      print $1, $5, (procs == "" ? "-" : procs)
    }' | sort -u
}

# Why an address (as ss prints it, without the port) is not allowed; empty
# when it is.
refusal() {
  local a=$1 dev=""
  a=${a#[}; a=${a%]}
  if [[ $a == *%* ]]; then dev=${a#*%}; a=${a%%%*}; fi
  a=${a#::ffff:}
  case $a in
    '*' | 0.0.0.0 | ::)
      [[ $dev == lo ]] && return 0
      echo "every address${dev:+ of $dev}" ;;
    127.*| ::1) ;;
    "$NODE_IP") ;;
    *) echo "not loopback or the node address $NODE_IP" ;;
  esac
}

# The nat rules that send packets to the NodePorts, as iptables-save prints them.
nodeport_rules() {
  iptables-save -t nat 2>/dev/null | grep -E '^-A [^ ]+ .*-j KUBE-NODEPORTS( |$)' || true
}

case "${1:-}" in
  snapshot)
    [[ -n "${2:-}" ]] || die "usage: listeners.sh snapshot FILE"
    listeners >"$2"
    echo "[listeners] recorded $(wc -l <"$2") listening sockets in $2"
    ;;
  check)
    [[ -f "${2:-}" ]] || die "usage: listeners.sh check FILE (FILE from 'listeners.sh snapshot')"
    now=$(listeners)
    opened=$(grep -vxF -f "$2" <<<"$now" || true)
    [[ -s "$2" ]] || opened=$now
    bad=0
    if [[ -z "$opened" ]]; then
      echo "[listeners] no socket opened since the snapshot"
    else
      echo "[listeners] sockets opened since the snapshot ($(wc -l <<<"$opened")):"
      while read -r proto addr procs; do
        why=$(refusal "${addr%:*}")
        if [[ -n "$why" ]]; then
          bad=$((bad + 1))
          printf '  FAIL %-4s %-24s %-28s %s\n' "$proto" "$addr" "$procs" "$why"
        else
          printf '  ok   %-4s %-24s %s\n' "$proto" "$addr" "$procs"
        fi
      done <<<"$opened"
    fi
    if [[ $(id -u) -ne 0 ]] || ! command -v iptables-save >/dev/null; then
      echo "[listeners] NodePorts: not checked (needs root and iptables-save)"
    else
      rules=$(nodeport_rules)
      if [[ -z "$rules" ]]; then
        echo "[listeners] NodePorts: no rule enters KUBE-NODEPORTS (no cluster, or not the iptables proxy)"
      else
        echo "[listeners] NodePorts (nat rules entering KUBE-NODEPORTS):"
        while read -r rule; do
          if [[ " $rule " == *" -d $NODE_IP/32 "* ]]; then
            printf '  ok   %s\n' "$rule"
          else
            bad=$((bad + 1))
            printf '  FAIL %s\n       (not only the node address %s)\n' "$rule" "$NODE_IP"
          fi
        done <<<"$rules"
      fi
    fi
    if ((bad > 0)); then
      echo "[listeners] $bad of them answer on an address other than loopback or the node address $NODE_IP (see scripts/cluster/kubeadm.yaml.in, 'listens:')" >&2
      exit 1
    fi
    echo "[listeners] all on loopback or the node address $NODE_IP"
    ;;
  print) listeners ;;
  *) die "usage: listeners.sh snapshot FILE | check FILE | print" ;;
esac
