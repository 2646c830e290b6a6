#!/bin/bash
# Baked into the lab's kind node image as /kind/bin/lab-cni.sh, run by lab-cni.service: a stand-in
# for kindnetd (whose image and source are not available offline). Once the kubelet has its
# kubeconfig, writes a bridge + host-local CNI config for this node's spec.podCIDR, and every 5 s
# keeps routes to the other nodes' podCIDRs via their InternalIPs (all on the kind bridge).
set -u
kc=/etc/kubernetes/kubelet.conf
conf=/etc/cni/net.d/10-lab-bridge.conflist
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
  "name": "lab-bridge",
  "plugins": [
    { "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$cidr" }]], "routes": [{ "dst": "0.0.0.0/0" }] } },
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
