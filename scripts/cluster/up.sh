#!/usr/bin/env bash
# Brings up the `local` cluster: a single-node Kubernetes made by kubeadm, with
# containerd, the kubelet and the control plane as host processes (no systemd,
# no Docker), images from a local registry, and no traffic leaving the machine.
#
# Needs root. Changes to the host, all undone by down.sh:
#   processes (registry, containerd + shims, kubelet, etcd, kube-apiserver,
#   kube-controller-manager, kube-scheduler), the bridges tte0 and
#   tte-cni0 with their routes and veths, CNI network namespaces, iptables rules
#   (kube-proxy's KUBE-* chains and our TTE-ISOLATE), cgroups under kubepods,
#   kernel settings kubelet changes, /etc/kubernetes, /var/lib/kubelet,
#   $TUTORIAL_E2E_STATE and /run/tutorial-e2e.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

t0=$SECONDS
[[ $(id -u) -eq 0 ]] || die "the local cluster runs kubelet and containerd on the host: run as root"
# A cluster's state (etcd, containerd's images and pods' layers, logs) takes
# about 0.9 GiB after a run of the suite; the kubelet starts evicting pods when
# its filesystem is 90% full.
need_free_space "$TUTORIAL_E2E_STATE" "${TUTORIAL_E2E_MIN_FREE_MIB:-2048}" "the cluster's state: etcd, containerd's images and pods, logs"

# Already up and healthy: nothing to do.
if [[ -f "$KUBECONFIG_OUT" ]] && alive "$(pid_of kubelet || true)" &&
  kubectl_ get --raw /readyz >/dev/null 2>&1; then
  log "already up (kubeconfig: $KUBECONFIG_OUT)"
  exit 0
fi
if [[ -d "$STATE" || -d "$RUN_DIR" ]]; then
  die "$STATE exists but the cluster is not healthy (a killed run?): run 'npm run cluster:down' first"
fi
for d in "${HOST_DIRS[@]}"; do
  [[ -e "$d" ]] && die "$d exists: another Kubernetes seems installed on this host; refusing to touch it"
done
ip -o route show | grep -qE "^(${NODE_IP}|${POD_CIDR%/*}|${SERVICE_CIDR%/*})" &&
  die "an existing route overlaps the cluster's ranges ($NODE_IP, $POD_CIDR, $SERVICE_CIDR): set NODE_IP/POD_CIDR/SERVICE_CIDR"

bash "$here/install-deps.sh"
bash "$here/build.sh"

# Record the host as it is, for down.sh to restore and to check against.
before=$(mktemp)
bash "$here/inventory.sh" snapshot "$before"
mkdir -p "$STATE" "$PIDS" "$LOGS"
mv "$before" "$BEFORE"
for s in "${SYSCTLS[@]}"; do
  v=$(sysctl -n "$s" 2>/dev/null) && printf '%s=%s\n' "$s" "$v"
done >"$STATE/sysctl.before"

# A run interrupted or failing from here on removes what it made (unless
# TUTORIAL_E2E_KEEP_ON_FAILURE=1, to debug it).
on_fail() {
  local code=$?
  trap - EXIT INT TERM
  if [[ $code -ne 0 ]]; then
    log "cluster:up failed or was interrupted (exit $code); logs: $LOGS"
    for f in "$LOGS"/*.log; do [[ -f "$f" ]] && { echo "--- last lines of $f"; tail -15 "$f"; }; done
    if [[ "${TUTORIAL_E2E_KEEP_ON_FAILURE:-}" == 1 ]]; then
      log "keeping the half-made cluster (TUTORIAL_E2E_KEEP_ON_FAILURE=1); remove it with 'npm run cluster:down'"
    else
      bash "$here/down.sh" || true
    fi
  fi
  exit $code
}
trap on_fail EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- network: node address, containment ------------------------------------------
log "network: $NODE_BRIDGE $NODE_IP, pods $POD_CIDR, services $SERVICE_CIDR"
ip link add "$NODE_BRIDGE" type bridge
ip addr add "$NODE_IP/32" dev "$NODE_BRIDGE"
ip link set "$NODE_BRIDGE" up
# The pod bridge holds the whole pod range (the CNI bridge plugin adopts it as
# it is), so every pod address, used or not, stays on this machine; service
# addresses no rule rewrote go to the node bridge, which has no ports.
# The whole /16, not a /24: the IPAM hands out addresses in turn and, in a /24,
# came back to recently freed ones every two runs or so. The host still had the
# old pod's MAC for such an address (a stale neighbour entry, never collected
# below 128 entries), so its first packets to the new pod (the kubelet's HTTP
# probes) went nowhere for 5-8 s while the kernel re-probed: the blog's
# liveness probe (1 s timeout, 2 failures) then restarted a healthy container.
ip link add "$POD_BRIDGE" type bridge
ip addr add "$POD_GATEWAY/${POD_CIDR#*/}" dev "$POD_BRIDGE"
ip link set "$POD_BRIDGE" up
ip route add "$SERVICE_CIDR" dev "$NODE_BRIDGE"
# Services and pods are reached through the node's routing (kubeadm checks it).
sysctl -qw net.ipv4.ip_forward=1
# Pods may talk to pods, to the node and to services; nothing they send is
# forwarded anywhere else. mangle/FORWARD runs before kube-proxy's filter rules.
for ipt in iptables ip6tables; do
  $ipt -w -t mangle -N TTE-ISOLATE
  $ipt -w -t mangle -I FORWARD 1 -m comment --comment "tutorial-e2e: pods stay on this machine" -j TTE-ISOLATE
done
iptables -w -t mangle -A TTE-ISOLATE -i "$POD_BRIDGE" ! -o "$POD_BRIDGE" -j DROP
iptables -w -t mangle -A TTE-ISOLATE ! -i "$POD_BRIDGE" -o "$POD_BRIDGE" -j DROP
ip6tables -w -t mangle -A TTE-ISOLATE -i "$POD_BRIDGE" -j DROP
ip6tables -w -t mangle -A TTE-ISOLATE -o "$POD_BRIDGE" -j DROP

# --- registry and images ------------------------------------------------------------
# The registry may already run (an image build started it); then it stays.
if bash "$here/../images/registry.sh" status >/dev/null 2>&1; then
  log "registry already running: leaving it running after cluster:down"
else
  touch "$STATE/registry.started"
  bash "$here/../images/registry.sh" start
fi
bash "$here/../images/build.sh" all

# --- containerd ----------------------------------------------------------------------
mkdir -p "$CTRD_ROOT" "$CTRD_STATE" "$CNI_CONF_DIR" "$STATE/containerd/certs.d"
for reg in docker.io registry.k8s.io us-docker.pkg.dev; do
  mkdir -p "$STATE/containerd/certs.d/$reg"
  # `server` (not only a [host]) is the local registry: containerd never falls
  # back to the internet for these names.
  cat >"$STATE/containerd/certs.d/$reg/hosts.toml" <<EOF
server = "http://$REGISTRY_ADDR"
[host."http://$REGISTRY_ADDR"]
  capabilities = ["pull", "resolve"]
EOF
done
sed -e "s|@CTRD_ROOT@|$CTRD_ROOT|g" -e "s|@CTRD_STATE@|$CTRD_STATE|g" -e "s|@CTRD_SOCK@|$CTRD_SOCK|g" \
  -e "s|@CERTS_D@|$STATE/containerd/certs.d|g" -e "s|@CNI_BIN@|$CNI_BIN|g" -e "s|@CNI_CONF@|$CNI_CONF_DIR|g" \
  -e "s|@RUNC@|$RUNC_BIN/runc|g" "$here/containerd.toml.in" >"$CTRD_CONF"
sed -e "s|@POD_BRIDGE@|$POD_BRIDGE|g" -e "s|@POD_SUBNET@|$POD_CIDR|g" -e "s|@POD_GATEWAY@|$POD_GATEWAY|g" -e "s|@IPAM_DIR@|$STATE/cni/ipam|g" \
  "$here/cni.conflist.in" >"$CNI_CONF_DIR/10-tutorial-e2e.conflist"
log "containerd $CONTAINERD_VERSION"
start_bg containerd bash "$here/supervise.sh" containerd --config "$CTRD_CONF"
wait_until "containerd to answer on $CTRD_SOCK" 30 ctr --address "$CTRD_SOCK" version

# --- kubeadm ---------------------------------------------------------------------------
# Pods that use the node's DNS settings (dnsPolicy: Default, CoreDNS itself) get
# a resolv.conf with no nameserver: nothing resolves names outside the cluster.
printf '# tutorial-e2e: no upstream DNS on purpose\noptions ndots:1\n' >"$STATE/resolv.conf"
sed -e "s|@NODE_IP@|$NODE_IP|g" -e "s|@NODE_NAME@|$NODE_NAME|g" -e "s|@CTRD_SOCK@|$CTRD_SOCK|g" \
  -e "s|@K8S_VERSION@|$K8S_VERSION|g" -e "s|@POD_CIDR@|$POD_CIDR|g" -e "s|@POD_MASK@|${POD_CIDR#*/}|g" -e "s|@SERVICE_CIDR@|$SERVICE_CIDR|g" \
  -e "s|@ETCD_TAG@|${ETCD_VERSION#v}-0|g" -e "s|@COREDNS_TAG@|$COREDNS_VERSION|g" \
  -e "s|@ETCD_DIR@|$STATE/etcd|g" -e "s|@RESOLV@|$STATE/resolv.conf|g" -e "s|@CLUSTER_DNS_IP@|$CLUSTER_DNS_IP|g" -e "s|@STATIC_PODS@|$STATIC_PODS|g" \
  "$here/kubeadm.yaml.in" >"$STATE/kubeadm.yaml"

mkdir -p "$STATIC_PODS"
start_bg kubelet bash "$here/kubelet-supervise.sh"
log "kubeadm init ($K8S_VERSION)"
kubeadm_() {
  kubeadm "$@" --config "$STATE/kubeadm.yaml" >>"$LOGS/kubeadm-init.log" 2>&1 || {
    tail -40 "$LOGS/kubeadm-init.log" >&2
    die "kubeadm $* failed (log: $LOGS/kubeadm-init.log)"
  }
}
# SystemVerification rejects cgroup v1 from 1.35 on (kubelet runs with
# failCgroupV1: false); Service-Kubelet and Port-10250 concern systemd units.
kubeadm_ init phase preflight \
  --ignore-preflight-errors=SystemVerification,Service-Kubelet,Swap,FileExisting-ebtables,FileExisting-ethtool
kubeadm_ init phase certs all
kubeadm_ init phase kubeconfig all
kubeadm_ init phase etcd local
kubeadm_ init phase control-plane all
# The control plane kubeadm just wrote, as host processes (the kubelet's static
# pod folder is empty: see control-plane-run.sh for why).
for c in "${CONTROL_PLANE[@]}"; do
  start_bg "$c" bash "$here/control-plane-run.sh" "$MANIFESTS/$c.yaml"
done
# The rest of init: kubelet bootstrap, waiting for the control plane (at the
# health endpoints the manifests name), uploading config, node labels, tokens, kube-proxy.
kubeadm_ init --skip-phases=preflight,certs,kubeconfig,etcd,control-plane,addon/coredns
cp /etc/kubernetes/admin.conf "$KUBECONFIG_OUT"
chmod 600 "$KUBECONFIG_OUT"

# --- CoreDNS that answers cluster names only ---------------------------------------
# kubeadm's Corefile forwards everything else upstream; ours answers NXDOMAIN.
kubeadm init phase addon coredns --config "$STATE/kubeadm.yaml" --print-manifest >"$STATE/coredns.yaml" 2>/dev/null
awk -v corefile="$here/Corefile" '
  /^ *Corefile: \|/ {
    print; match($0, /^ */); pad = sprintf("%*s", RLENGTH + 2, "")
    while ((getline line < corefile) > 0) print pad line
    skip = 1; next
  }
  skip && (index($0, pad) == 1 || /^ *$/) { next }
  { skip = 0; print }
' "$STATE/coredns.yaml" | grep -v '^ *resourceVersion: "0"$' >"$STATE/coredns.patched.yaml"
grep -q 'template ANY ANY' "$STATE/coredns.patched.yaml" || die "could not put our Corefile into kubeadm's CoreDNS manifest"
grep -q 'forward' "$STATE/coredns.patched.yaml" && die "CoreDNS manifest still forwards upstream"
kubectl_ apply -f "$STATE/coredns.patched.yaml" >/dev/null

log "waiting for the node and CoreDNS to be Ready"
kubectl_ wait --for=condition=Ready "node/$NODE_NAME" --timeout=120s >/dev/null ||
  { kubectl_ describe node "$NODE_NAME" | tail -30; die "node $NODE_NAME not Ready in 120 s"; }
kubectl_ -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null ||
  { kubectl_ -n kube-system get pods -o wide; die "CoreDNS not Ready in 120 s"; }
kubectl_ -n kube-system rollout status daemonset/kube-proxy --timeout=120s >/dev/null ||
  { kubectl_ -n kube-system get pods -o wide; die "kube-proxy not Ready in 120 s"; }
# The default ServiceAccount is what the tutorial's pods run as.
wait_until "the default ServiceAccount" 60 kubectl_ -n default get serviceaccount default

trap - EXIT INT TERM
log "up in $((SECONDS - t0))s: $(kubectl_ version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1) node $NODE_NAME ($NODE_IP)"
log "kubeconfig: $KUBECONFIG_OUT  (export KUBECONFIG=$KUBECONFIG_OUT)"
