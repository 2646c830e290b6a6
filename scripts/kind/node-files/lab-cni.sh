#!/bin/bash
# Baked into the offline kind node image (scripts/kind/node-image.sh) as /kind/bin/lab-cni.sh, run by lab-cni.service: a stand-in
# for kindnetd (whose image and source are not available offline). Once the kubelet has its
# kubeconfig, writes a ptp + host-local CNI config for this node's spec.podCIDR, as kindnetd does, and
# every 5 s keeps routes to the other nodes' podCIDRs via their InternalIPs (all on the kind bridge).
# ptp, not bridge: each pod's traffic is routed through the node's own network stack, so a pod that
# reaches a Service backed by a pod of the same node gets its reply back through kube-proxy's NAT
# (on a bridge the reply would be switched past iptables and the connection would hang).
set -u
kc=/etc/kubernetes/kubelet.conf
conf=/etc/cni/net.d/10-kindnet-stand-in.conflist
me=$(hostname)
k() { /usr/bin/kubectl --kubeconfig "$kc" "$@"; }
while true; do
  if [[ -f $kc ]]; then
    if [[ ! -f $conf ]]; then
      cidr=$(k get node "$me" -o jsonpath='{.spec.podCIDR}' 2>/dev/null)
      if [[ -n $cidr ]]; then
        mkdir -p /etc/cni/net.d
        cat >"$conf.tmp" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "kindnet-stand-in",
  "plugins": [
    { "type": "ptp", "ipMasq": false,
      "ipam": { "type": "host-local", "dataDir": "/run/cni-ipam-state", "ranges": [[{ "subnet": "$cidr" }]], "routes": [{ "dst": "0.0.0.0/0" }] } },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON
        mv "$conf.tmp" "$conf"
        echo "lab-cni: $me uses $cidr"
      fi
    fi
    k get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.spec.podCIDR} {.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}' 2>/dev/null |
      while read -r n c ip; do
        [[ $n == "$me" || -z $c || -z $ip ]] && continue
        ip route replace "$c" via "$ip" 2>/dev/null
      done
  fi
  sleep 5
done
