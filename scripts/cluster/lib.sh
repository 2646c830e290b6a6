# Shared settings and helpers of the local cluster scripts. Sourced, not run.
here=${here:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck source=versions.sh
source "$here/versions.sh"

# --- Networking --------------------------------------------------------------
# The node's address lives on a bridge the cluster creates (tte0), not on the
# machine's outside interface: the cluster looks the same on every machine and
# nothing in it is bound to an address the outside world routes to.
# Ranges were chosen to collide with nothing these machines have (only the
# outside interface's /24 and loopback); up.sh checks that again.
: "${NODE_BRIDGE:=tte0}"
: "${NODE_IP:=10.217.0.1}"
: "${POD_CIDR:=10.218.0.0/16}"
: "${SERVICE_CIDR:=10.219.0.0/16}"
: "${CLUSTER_DNS_IP:=10.219.0.10}"
: "${POD_BRIDGE:=tte-cni0}"
# The pod bridge's address, the pods' gateway: the first of the pod range.
POD_GATEWAY=${POD_CIDR%.*}.1
: "${NODE_NAME:=tutorial-e2e}"
REGISTRY_ADDR=127.0.0.1:5000

# --- Paths ---------------------------------------------------------------------
# The cluster's own state; the registry keeps its own beside it
# ($TUTORIAL_E2E_STATE/registry) since it may outlive a cluster.
STATE=$TUTORIAL_E2E_STATE/cluster
RUN_DIR=/run/tutorial-e2e
PIDS=$STATE/pids
LOGS=$STATE/logs
CTRD_ROOT=$STATE/containerd/root
CTRD_STATE=$RUN_DIR/containerd
CTRD_SOCK=$RUN_DIR/containerd/containerd.sock
CTRD_CONF=$STATE/containerd/config.toml
CNI_CONF_DIR=$STATE/cni/net.d
KUBECONFIG_OUT=$TUTORIAL_E2E_STATE/kubeconfig
BEFORE=$STATE/inventory.before

K8S_BIN=$TUTORIAL_E2E_CACHE/bin/kubernetes-$K8S_VERSION
CTRD_BIN=$TUTORIAL_E2E_CACHE/bin/containerd-$CONTAINERD_VERSION
RUNC_BIN=$TUTORIAL_E2E_CACHE/bin/runc-$RUNC_VERSION
CNI_BIN=$TUTORIAL_E2E_CACHE/bin/cni-$CNI_PLUGINS_VERSION
CRICTL_BIN=$TUTORIAL_E2E_CACHE/bin/crictl-$CRICTL_VERSION
ETCD_BIN=$TUTORIAL_E2E_CACHE/bin/etcd-$ETCD_VERSION
export PATH="$K8S_BIN:$CTRD_BIN:$RUNC_BIN:$CRICTL_BIN:$ETCD_BIN:$PATH"

# The control plane: kubeadm writes it as static pod manifests in
# /etc/kubernetes/manifests (where its own checks read them); up.sh runs them
# as host processes (see control-plane-run.sh for why) and points the kubelet
# at an empty static pod folder, so they never run twice.
CONTROL_PLANE=(etcd kube-apiserver kube-controller-manager kube-scheduler)
MANIFESTS=/etc/kubernetes/manifests
STATIC_PODS=$STATE/static-pods

# Directories kubeadm and kubelet insist on; up.sh refuses to run when any of
# them exists before it (they would belong to someone else's cluster).
HOST_DIRS=(/etc/kubernetes /var/lib/kubelet)

# Kernel settings kubelet and kube-proxy change; down.sh puts them back.
SYSCTLS=(kernel.panic kernel.panic_on_oops vm.overcommit_memory vm.panic_on_oom
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward
  net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables
  net.ipv4.conf.all.route_localnet net.netfilter.nf_conntrack_max)

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

kubectl_() { kubectl --kubeconfig "$KUBECONFIG_OUT" "$@"; }
crictl_() { crictl --runtime-endpoint "unix://$CTRD_SOCK" --timeout 10s "$@"; }

# Starts a command in the background in its own session, output to a log file,
# and records its PID so that down.sh ends exactly what up.sh started.
start_bg() {
  local name=$1; shift
  mkdir -p "$PIDS" "$LOGS"
  setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

pid_of() { [[ -f "$PIDS/$1.pid" ]] && cat "$PIDS/$1.pid"; }
alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Ends a recorded process and waits (bounded) until it is gone.
stop_pid() {
  local name=$1 sig=${2:-TERM} pid
  pid=$(pid_of "$name") || return 0
  if alive "$pid"; then
    # The process leads its own session (setsid): signal the group, which
    # also ends children such as a supervisor's current kubelet.
    kill "-$sig" -- "-$pid" 2>/dev/null || kill "-$sig" "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
      log "$name (pid $pid) ignored SIG$sig for 10 s: killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$PIDS/$name.pid"
}

# Polls a condition with a deadline; on expiry says what it waited for and the
# last output of the probe. (Host-level conditions have no watch API.)
wait_until() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout)) out=""
  while ((SECONDS < deadline)); do
    if out=$("$@" 2>&1); then return 0; fi
    sleep 0.5
  done
  die "timed out after ${timeout}s waiting for $what; last seen: ${out:-(no output)}"
}

# The folder itself, or its nearest parent that exists (a folder not made yet).
existing_parent() {
  local d=$1
  until [[ -e "$d" ]]; do d=$(dirname "$d"); done
  echo "$d"
}

# Dies, naming the folder, its filesystem and the space it has, when less than
# NEED MiB are free there: a nearly full disk makes etcd, containerd and the
# kubelet fail in ways that name anything but the disk (evictions, a "no space
# left on device" deep in a log), so it is said first, before anything starts.
#   need_free_space DIR NEED_MIB WHAT
need_free_space() {
  local dir=$1 need=$2 what=$3 free mount
  read -r free mount < <(df -Pk "$(existing_parent "$dir")" | awk 'NR == 2 {print int($4 / 1024), $6}')
  if ((free < need)); then
    die "only $free MiB free on $mount, which holds $dir ($what); at least $need MiB are needed: free some space there, or point TUTORIAL_E2E_STATE at a roomier disk"
  fi
}
